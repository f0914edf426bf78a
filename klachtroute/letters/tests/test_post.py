"""Issue 4 point 3: letters to post wait in the secretariat's list until marked posted."""

import pytest
from django.utils import timezone

from klachtroute.cases.models import Event
from klachtroute.notifications.models import OutboxMessage, OutboxStatus

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_letters_3_letter_to_complainant_without_email_waits_in_post_list(
    client, secretariat, letter
):
    client.force_login(secretariat)
    response = client.get("/post/")
    assert response.status_code == 200
    html = response.content.decode()
    assert letter.complaint.number in html
    assert "Petra de Vries" in html
    assert "Dorpsstraat 12" in html
    assert letter.subject in html
    assert f'href="/post/{letter.pk}/pdf/"' in html
    assert f'action="/post/{letter.pk}/verstuurd/"' in html


def test_letters_3_post_list_oldest_first(client, secretariat, letter):
    older = OutboxMessage.objects.create(
        to="",
        recipient_name="Eerst Verstuurd",
        subject="Een oudere brief",
        body="Tekst.",
        kind="test",
        status=OutboxStatus.TO_POST,
        next_attempt_at=timezone.now(),
    )
    OutboxMessage.objects.filter(pk=older.pk).update(
        created_at=letter.created_at - timezone.timedelta(days=1)
    )
    client.force_login(secretariat)
    html = client.get("/post/").content.decode()
    assert html.index("Een oudere brief") < html.index(letter.subject)


def test_letters_3_secretariat_downloads_the_letter_as_pdf(client, secretariat, letter):
    client.force_login(secretariat)
    response = client.get(f"/post/{letter.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="{letter.complaint.number}-brief-{letter.pk}.pdf"'
    )
    text = pdf_text(response.content)
    assert "Petra de Vries" in text and "Dorpsstraat 12" in text
    download = client.get(f"/post/{letter.pk}/pdf/?download=1")
    assert download["Content-Disposition"].startswith("attachment; ")


def test_letters_3_marking_posted_records_it_and_moves_it_out_of_the_list(
    client, secretariat, letter
):
    client.force_login(secretariat)
    response = client.post(f"/post/{letter.pk}/verstuurd/", follow=True)
    assert response.redirect_chain[-1][0] == "/post/"

    letter.refresh_from_db()
    assert letter.status == OutboxStatus.POSTED
    assert letter.sent_at is not None
    event = Event.objects.get(complaint=letter.complaint, kind="letter_posted")
    assert event.summary == f"Brief per post verstuurd: {letter.subject}"
    assert event.actor == secretariat

    html = response.content.decode()
    to_post, _, posted = html.partition("Onlangs verstuurd")
    assert f"/post/{letter.pk}/verstuurd/" not in html
    assert letter.subject in posted
    # Still in the dossier as a letter.
    assert client.get(f"/post/{letter.pk}/pdf/").status_code == 200


def test_letters_3_marking_posted_twice_is_harmless(client, secretariat, letter):
    client.force_login(secretariat)
    client.post(f"/post/{letter.pk}/verstuurd/")
    letter.refresh_from_db()
    first_sent_at = letter.sent_at

    response = client.post(f"/post/{letter.pk}/verstuurd/", follow=True)
    assert response.status_code == 200
    assert "niet (meer) klaar" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == OutboxStatus.POSTED
    assert letter.sent_at == first_sent_at
    assert Event.objects.filter(complaint=letter.complaint, kind="letter_posted").count() == 1


def test_letters_3_an_email_cannot_be_marked_posted(client, secretariat, letter):
    email = OutboxMessage.objects.create(
        complaint=letter.complaint,
        to="jan@example.org",
        subject="Per e-mail",
        body="Tekst.",
        kind="test",
        status=OutboxStatus.SENT,
        next_attempt_at=timezone.now(),
    )
    client.force_login(secretariat)
    client.post(f"/post/{email.pk}/verstuurd/")
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT
    assert not Event.objects.filter(kind="letter_posted").exists()


def test_letters_3_marking_needs_post(client, secretariat, letter):
    client.force_login(secretariat)
    assert client.get(f"/post/{letter.pk}/verstuurd/").status_code == 405
    letter.refresh_from_db()
    assert letter.status == OutboxStatus.TO_POST


def test_letters_3_trainer_may_not_see_post_nor_others_letters(client, trainers, letter):
    outsider = trainers[0]  # teaches the course, does not handle this complaint
    client.force_login(outsider)
    assert client.get("/post/").status_code == 403
    assert client.post(f"/post/{letter.pk}/verstuurd/").status_code == 403
    assert client.get(f"/post/{letter.pk}/pdf/").status_code == 404
    letter.refresh_from_db()
    assert letter.status == OutboxStatus.TO_POST


def test_letters_3_handler_may_download_letters_about_their_complaint(client, trainers, letter):
    handler = trainers[2]
    assert letter.complaint.handler == handler
    client.force_login(handler)
    response = client.get(f"/post/{letter.pk}/pdf/")
    assert response.status_code == 200
    assert letter.complaint.number in pdf_text(response.content)
    assert client.get("/post/").status_code == 403


def test_letters_3_message_without_complaint_only_for_secretariat_and_administrator(
    client, letterhead, trainers, director, administrator, secretariat
):
    message = OutboxMessage.objects.create(
        to="dirk@example.org",
        subject="Weekoverzicht",
        body="Geen nieuwe klachten.",
        kind="weekly_digest",
        status=OutboxStatus.SENT,
        next_attempt_at=timezone.now(),
    )
    url = f"/post/{message.pk}/pdf/"
    for person, status in [
        (trainers[0], 404),
        (director, 404),
        (administrator, 200),
        (secretariat, 200),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status, person
    assert client.get(url)["Content-Disposition"] == f'inline; filename="brief-{message.pk}.pdf"'


def test_letters_3_unknown_message_is_404(client, secretariat, letterhead):
    client.force_login(secretariat)
    assert client.get("/post/999999/pdf/").status_code == 404
    assert client.post("/post/999999/verstuurd/").status_code == 404


def test_letters_3_anonymous_goes_to_login(client, letter):
    for url in ["/post/", f"/post/{letter.pk}/pdf/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"] or "inloggen" in response["Location"]
    assert client.post(f"/post/{letter.pk}/verstuurd/").status_code == 302
    letter.refresh_from_db()
    assert letter.status == OutboxStatus.TO_POST


def test_letters_3_post_link_in_menu_for_secretariat_only(client, secretariat, trainers, letter):
    client.force_login(secretariat)
    assert 'href="/post/"' in client.get("/werk/").content.decode()
    client.force_login(trainers[2])
    assert 'href="/post/"' not in client.get("/werk/").content.decode()


def test_letters_3_post_list_in_english(client, secretariat, letter):
    client.force_login(secretariat)
    response = client.get("/en/post/")
    assert response.status_code == 200
    assert 'href="/en/post/' in response.content.decode()
