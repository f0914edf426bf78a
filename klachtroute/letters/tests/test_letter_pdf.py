"""Issue 4 point 3: a message as a PDF letter on the organisation's letterhead."""

import datetime as dt

import pytest
from django.utils import timezone

from klachtroute.letters.render import letter_filename, letter_pdf, page_counter_css
from klachtroute.notifications.models import OutboxMessage, OutboxStatus

from .conftest import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def test_letters_3_extension_letter_shows_letterhead_address_reference_subject_and_body(letter):
    text = pdf_text(letter_pdf(letter))

    assert "Instituut Voorbeeld" in text
    assert "Stationsplein 4" in text and "3511 ED Utrecht" in text
    assert "030-1234567" in text and "info@testinstituut.example" in text
    assert "Petra de Vries" in text
    assert "Dorpsstraat 12" in text and "1234 AB Ergenshuizen" in text
    assert letter.complaint.number in text
    assert letter.subject in text
    assert "Wij wachten op de verklaring van een tweede cursist." in text
    assert "Met vriendelijke groet," in text
    assert "5 maart 2026" in text  # the date the letter was written, in Dutch
    assert "pagina 1 van 1" in text


def test_letters_3_body_keeps_paragraphs_and_shows_markup_as_text(letterhead):
    message = OutboxMessage.objects.create(
        to="",
        recipient_name="A. <b>Bold</b>",
        postal_address="Laan 1\n9999 ZZ Stad",
        subject="Over <script>",
        body="Eerste alinea.\n\nTweede <i>alinea</i> & meer.\n",
        kind="test",
        status=OutboxStatus.TO_POST,
        next_attempt_at=timezone.now(),
    )
    text = pdf_text(letter_pdf(message))
    assert "Eerste alinea. Tweede <i>alinea</i> & meer." in text
    assert "A. <b>Bold</b>" in text
    assert "Over <script>" in text


def test_letters_3_english_letter_is_dated_in_english(letter):
    letter.language = "en"
    text = pdf_text(letter_pdf(letter))
    assert "5 March 2026" in text
    assert "maart" not in text.split(letter.subject)[0]


def test_letters_3_a_long_letter_numbers_its_pages(letterhead):
    paragraph = "Dit is een lange alinea over de klacht en wat er is gebeurd. " * 8
    message = OutboxMessage.objects.create(
        to="",
        recipient_name="Petra de Vries",
        postal_address="Laan 1\n9999 ZZ Stad",
        subject="Een lange brief",
        body="\n\n".join([paragraph] * 12) + "\n\nSlotzin van de brief.",
        kind="test",
        status=OutboxStatus.TO_POST,
        next_attempt_at=timezone.now(),
    )
    data = letter_pdf(message)
    text = pdf_text(data)
    assert pdf_pages(data) == 2
    assert "pagina 1 van 2" in text and "pagina 2 van 2" in text
    assert "Slotzin van de brief." in text


def test_letters_3_emailed_message_as_letter_for_the_dossier_names_the_address(letterhead):
    message = OutboxMessage.objects.create(
        to="jan@example.org",
        subject="Ontvangstbevestiging",
        body="Beste Jan,\n\nWij hebben uw klacht ontvangen.\n",
        kind="acknowledgement",
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    text = pdf_text(letter_pdf(message))
    assert "Per e-mail: jan@example.org" in text
    assert "Wij hebben uw klacht ontvangen." in text


def test_letter_filename_is_clean(letter):
    assert letter_filename(letter) == f"{letter.complaint.number}-brief-{letter.pk}.pdf"
    letter.complaint = None
    assert letter_filename(letter) == f"brief-{letter.pk}.pdf"


@pytest.mark.parametrize(
    "text, css",
    [
        ("pagina %(page)s van %(pages)s", '"pagina " counter(page) " van " counter(pages)'),
        ('%(page)s / "%(pages)s"', 'counter(page) " / \\"" counter(pages) "\\""'),
    ],
)
def test_page_counter_css(text, css):
    assert page_counter_css(text) == css


def test_letter_date_is_the_day_the_message_was_written(letter):
    OutboxMessage.objects.filter(pk=letter.pk).update(
        created_at=dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)  # 1 April in Amsterdam
    )
    letter.refresh_from_db()
    assert "1 april 2026" in pdf_text(letter_pdf(letter))
