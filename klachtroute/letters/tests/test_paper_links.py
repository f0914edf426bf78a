"""A letter on paper carries its private link as a short address to type, a QR code to
scan, the phone number as the way without a computer, and a reply slip where an answer
is asked; whoever else prints the letter gets no working link."""

import datetime as dt
import re

import pytest
import time_machine

from klachtroute.cases.models import RespondentType
from klachtroute.cases.services import (
    admissible_declare,
    complaint_register,
    findings_respond,
    findings_share,
    no_agreement_declare,
    procedure_send,
    respondent_set,
    solution_propose,
)
from klachtroute.links.models import PrivateLink, Purpose
from klachtroute.links.tokens import links_revoke
from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.testing.factories import complaint_data, letter_parts

from .conftest import ADDRESS, AMSTERDAM, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

SHORT = re.compile(r"/p/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/")


@pytest.fixture
def acknowledgement(by_post):
    return OutboxMessage.objects.get(
        complaint=by_post, kind="acknowledgement", status=OutboxStatus.TO_POST
    )


@pytest.fixture
def approval_letter(by_post):
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, 0, tzinfo=AMSTERDAM), tick=False):
        respondent_set(
            complaint=by_post, actor=by_post.handler, respondent_type=RespondentType.ORGANISATION
        )
        solution_propose(
            complaint=by_post,
            actor=by_post.handler,
            text="Excuses en twee inhaallessen.",
            reasons="De lessen zijn uitgevallen zonder bericht.",
            remedy_due=dt.date(2026, 4, 1),
            **letter_parts("solution", reasons=None, remedy_due=None),
        )
    return OutboxMessage.objects.get(
        complaint=by_post, kind="solution_for_approval", status=OutboxStatus.TO_POST
    )


@pytest.fixture
def no_agreement_letter(by_post):
    no_agreement_declare(complaint=by_post, actor=by_post.handler, reason="Geen oplossing.")
    return OutboxMessage.objects.get(
        complaint=by_post, kind="no_agreement_notice", status=OutboxStatus.TO_POST
    )


@pytest.fixture
def lsr_by_post(letterhead, lsr_organisation, secretariat, trainers, course):
    """An LSR complaint by post about a trainer, investigated by that trainer, whose
    findings went to the complainant on paper."""
    complaint = complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="post",
            complainant_name="Petra de Vries",
            complainant_email="",
            complainant_address=ADDRESS,
            course=course,
        )
    )
    admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="trainer",
        respondent_type="person",
        respondent=trainers[0],
    )
    criteria = complaint.procedure_version.spec.criteria_for("trainer")
    findings_share(
        complaint=complaint,
        actor=trainers[0],
        summary="De trainer is drie keer te laat gekomen zonder uitleg.",
        proposed_solution="De gemiste tijd wordt ingehaald.",
        judgements={c.code: ("in_order", "") for c in criteria},
        **letter_parts("findings"),
    )
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def director_procedure_letter(lsr_by_post, secretariat):
    findings_respond(complaint=lsr_by_post, actor=secretariat, agree=False, reason="Per brief.")
    procedure_send(complaint=lsr_by_post, actor=secretariat)
    return OutboxMessage.objects.get(
        complaint=lsr_by_post, kind="director_procedure", status=OutboxStatus.TO_POST
    )


@pytest.fixture
def findings_letter(lsr_by_post):
    return OutboxMessage.objects.get(
        complaint=lsr_by_post, kind="findings", status=OutboxStatus.TO_POST
    )


def _printed(client, secretariat, message) -> str:
    client.force_login(secretariat)
    response = client.get(f"/post/{message.pk}/pdf/")
    assert response.status_code == 200
    return pdf_text(response.content)


def test_postal_letter_prints_the_link_as_a_short_address_with_a_qr_code(
    client, secretariat, acknowledgement
):
    assert "/p/" in acknowledgement.body  # the message itself holds the long link
    text = _printed(client, secretariat, acknowledgement)
    code = SHORT.search(text.replace(" ", ""))
    assert code, text
    long_token = re.search(r"/p/([^/\s]+)/", acknowledgement.body).group(1)
    assert long_token not in text.replace(" ", "")
    assert "Scan de code met de camera van uw telefoon" in text
    assert "Bel ons op 030-1234567." in text

    from klachtroute.letters.render import letter_html

    html = letter_html(acknowledgement, for_post=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'class="qr"' in html


def test_typed_short_address_opens_the_complainants_page_however_it_is_typed(
    client, secretariat, acknowledgement
):
    code = SHORT.search(_printed(client, secretariat, acknowledgement).replace(" ", "")).group(1)
    client.logout()
    page = client.get(f"/p/{code}/")
    assert page.status_code == 200
    assert acknowledgement.complaint.number in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    # People type in lower case, leave out the dashes, read 0 as O and 1 as I or L.
    typed = code.lower().replace("-", "").replace("0", "o").replace("1", "l")
    assert client.get(f"/p/{typed}/").status_code == 200
    wrong = "Y" if code[-1] == "X" else "X"  # one character off (the code is random)
    assert client.get(f"/p/{code[:-1]}{wrong}/").status_code == 404
    assert client.get(f"/p/{code[:10]}/").status_code == 404


def test_short_address_stops_with_its_link(client, secretariat, acknowledgement):
    code = SHORT.search(_printed(client, secretariat, acknowledgement).replace(" ", "")).group(1)
    links_revoke(complaint=acknowledgement.complaint, purpose=Purpose.STATUS)
    client.logout()
    assert client.get(f"/p/{code}/").status_code == 404


def test_letter_asking_for_approval_has_a_reply_slip(client, secretariat, approval_letter):
    # Printed the day it was written, while its link still works.
    with time_machine.travel(dt.datetime(2026, 3, 9, 11, 0, tzinfo=AMSTERDAM), tick=False):
        text = _printed(client, secretariat, approval_letter)
    assert "Antwoordstrook" in text
    assert "Ik ga akkoord met de voorgestelde oplossing." in text
    assert "Ik ga niet akkoord met de voorgestelde oplossing, omdat:" in text
    assert f"kenmerk {approval_letter.complaint.number}" in text
    assert "Stationsplein 4" in text  # where to send it
    assert "U kunt ook de antwoordstrook bij deze brief invullen en terugsturen." in text


def test_findings_letter_has_a_reply_slip(client, secretariat, lsr_by_post):
    letter = OutboxMessage.objects.get(
        complaint=lsr_by_post, kind="findings", status=OutboxStatus.TO_POST
    )
    text = _printed(client, secretariat, letter)
    assert "Antwoordstrook" in text
    assert "Ik ben het eens met de bevindingen; de klacht kan worden afgesloten." in text
    assert "Ik ben het niet eens met de bevindingen, omdat:" in text
    assert f"kenmerk {lsr_by_post.number}" in text


def test_no_agreement_notice_letter_has_a_reply_slip(client, secretariat, no_agreement_letter):
    text = _printed(client, secretariat, no_agreement_letter)
    assert "Antwoordstrook" in text
    assert "Ik wil geen beroep instellen; u kunt mijn klacht afsluiten." in text
    assert "Ik leg mijn klacht voor aan de onafhankelijke derde. Mijn toelichting:" in text
    assert f"kenmerk {no_agreement_letter.complaint.number}" in text
    assert "Stationsplein 4" in text  # where to send it
    assert "U kunt ook de antwoordstrook bij deze brief invullen en terugsturen." in text
    assert SHORT.search(text.replace(" ", ""))  # and the status page's short address


def test_director_procedure_letter_has_a_reply_slip(client, secretariat, director_procedure_letter):
    text = _printed(client, secretariat, director_procedure_letter)
    assert "Antwoordstrook" in text
    assert "Ik leg mijn klacht voor aan de directeur. Mijn toelichting:" in text
    assert f"kenmerk {director_procedure_letter.complaint.number}" in text
    assert "Stationsplein 4" in text
    assert "U kunt ook de antwoordstrook bij deze brief invullen en terugsturen." in text
    assert SHORT.search(text.replace(" ", ""))


def test_acknowledgement_asks_no_answer_and_has_no_reply_slip(client, secretariat, acknowledgement):
    assert "Antwoordstrook" not in _printed(client, secretariat, acknowledgement)


def test_english_letter_prints_the_english_address_and_text(client, secretariat, acknowledgement):
    OutboxMessage.objects.filter(pk=acknowledgement.pk).update(language="en")
    acknowledgement.refresh_from_db()
    text = _printed(client, secretariat, acknowledgement).replace(" ", "")
    assert re.search(r"/en/p/[0-9A-Z-]{19}/", text)
    assert "Scanthecodewithyourphone'scamera" in text


def test_a_handler_printing_the_letter_gets_no_working_link(
    client, secretariat, trainers, acknowledgement
):
    handler = acknowledgement.complaint.handler
    client.force_login(handler)
    response = client.get(f"/post/{acknowledgement.pk}/pdf/")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "[privélink, niet opgenomen]" in text
    assert "/p/" not in text.replace(" ", "")
    assert "Scan de code" not in text


def test_a_link_sent_before_letters_had_short_addresses_gets_one_when_printed(
    client, secretariat, acknowledgement
):
    PrivateLink.objects.filter(complaint=acknowledgement.complaint).update(short_hash=None)
    code = SHORT.search(_printed(client, secretariat, acknowledgement).replace(" ", "")).group(1)
    client.logout()
    assert client.get(f"/p/{code}/").status_code == 200


COMPUTER_ONLY = re.compile(r"\b(klik|klikt|click|deze e-mail|deze mail|beantwoord deze)\b", re.I)


@pytest.mark.parametrize(
    "letter_fixture",
    [
        "acknowledgement",
        "letter",  # the extension notice
        "approval_letter",
        "no_agreement_letter",
        "findings_letter",
        "director_procedure_letter",
    ],
)
def test_every_letter_to_a_postal_complainant_works_on_paper_and_fits_post(
    request, client, secretariat, letter_fixture
):
    """Whatever the letter, a person without a computer can act on it: it is addressed to
    them, it gives the phone number, every link is printed as a short address (never the
    long one), it says nothing only a screen can do ("klik", "deze e-mail"), and it fits
    one sheet printed on both sides, a reply slip on a page of its own."""
    message = request.getfixturevalue(letter_fixture)
    client.force_login(secretariat)
    # Printed the day it was written, while its links work.
    with time_machine.travel(message.created_at + dt.timedelta(hours=1), tick=False):
        response = client.get(f"/post/{message.pk}/pdf/")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Petra de Vries" in text and "1234 AB Ergenshuizen" in text
    assert "030-1234567" in text
    assert not COMPUTER_ONLY.search(text), COMPUTER_ONLY.search(text)
    for token in re.findall(r"/p/([^/\s]+)/", message.body):
        assert token not in text.replace(" ", "")
    slip = "Antwoordstrook" in text or "antwoordstrook" in text
    assert pdf_pages(response.content) <= 2 + slip, (letter_fixture, pdf_pages(response.content))


def test_a_letter_printed_after_its_link_stopped_prints_no_dead_address(
    client, secretariat, approval_letter
):
    """Printed months later, when its link no longer works: the letter says so and points
    to the phone, rather than print a long address that leads nowhere."""
    with time_machine.travel(approval_letter.created_at + dt.timedelta(days=400), tick=False):
        text = _printed(client, secretariat, approval_letter)
    token = re.search(r"/p/([^/\s]+)/", approval_letter.body).group(1)
    assert token not in text.replace(" ", "")
    assert "deze link werkt niet meer; neem contact met ons op" in text
    assert "030-1234567" in text
