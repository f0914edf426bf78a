"""The page of sent messages (/berichten/) and the outbox in Django's admin."""

import pytest

from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.notifications.services import message_queue
from klachtroute.testing.factories import UserFactory


@pytest.fixture
def failed_message(db):
    message = message_queue(
        to="klager@example.org",
        subject="Onderwerp mislukt",
        body="Volledige tekst\nregel 2",
        kind="t",
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED, attempts=8, last_error="ConnectionRefusedError: weg"
    )
    message.refresh_from_db()
    return message


def test_sent_messages_page_asks_anonymous_visitors_to_log_in(client, failed_message):
    response = client.get("/berichten/")
    assert response.status_code == 302
    assert "/inloggen/" in response["Location"]
    assert client.get(f"/berichten/{failed_message.pk}/").status_code == 302


def test_sent_messages_are_hidden_from_trainers_and_the_director(
    client, trainers, director, failed_message
):
    for user in (trainers[0], director):
        client.force_login(user)
        assert client.get("/berichten/").status_code == 403
        assert client.get(f"/berichten/{failed_message.pk}/").status_code == 403
        assert client.post(f"/berichten/{failed_message.pk}/opnieuw/").status_code == 403
    failed_message.refresh_from_db()
    assert failed_message.status == OutboxStatus.FAILED


def test_the_secretariat_reads_address_subject_and_error_of_every_message(
    client, secretariat, failed_message
):
    client.force_login(secretariat)
    page = client.get("/berichten/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "klager@example.org" in html
    assert "Onderwerp mislukt" in html
    assert "ConnectionRefusedError: weg" in html
    assert f'href="/berichten/{failed_message.pk}/"' in html


@pytest.mark.parametrize("role", ["is_administrator", "is_superuser"])
def test_administrators_see_status_and_kind_of_messages_not_who_or_what(
    client, role, failed_message
):
    client.force_login(UserFactory(username=f"u-{role}", **{role: True}))
    page = client.get("/berichten/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/berichten/{failed_message.pk}/"' in html
    assert "Mislukt" in html
    assert "klager@example.org" not in html
    assert "Onderwerp mislukt" not in html
    assert "ConnectionRefusedError" not in html


def test_sent_messages_newest_first_paginated_and_filtered_by_status(client, secretariat):
    for i in range(30):
        message_queue(to=f"p{i}@example.org", subject=f"Bericht nummer {i:02d}", body="x", kind="t")
    OutboxMessage.objects.filter(subject="Bericht nummer 03").update(status=OutboxStatus.SENT)
    client.force_login(secretariat)

    first = client.get("/berichten/").content.decode()
    assert first.count("Bericht nummer") == 25
    assert first.index("Bericht nummer 29") < first.index("Bericht nummer 28")
    assert "Bericht nummer 04" not in first
    second = client.get("/berichten/?page=2").content.decode()
    assert second.count("Bericht nummer") == 5
    assert "Bericht nummer 00" in second

    sent = client.get("/berichten/?status=sent").content.decode()
    assert sent.count("Bericht nummer") == 1
    assert "Bericht nummer 03" in sent
    pending = client.get("/berichten/?status=pending").content.decode()
    assert pending.count("Bericht nummer") == 25
    assert "status=pending&amp;page=2" in pending


def test_message_detail_shows_the_full_text_to_the_secretariat(client, secretariat, failed_message):
    client.force_login(secretariat)
    html = client.get(f"/berichten/{failed_message.pk}/").content.decode()
    assert "Volledige tekst\nregel 2" in html
    assert "Onderwerp mislukt" in html


def test_message_detail_hides_text_and_address_from_an_administrator(
    client, administrator, failed_message
):
    client.force_login(administrator)
    html = client.get(f"/berichten/{failed_message.pk}/").content.decode()
    assert "Volledige tekst" not in html
    assert "Onderwerp mislukt" not in html
    assert "klager@example.org" not in html
    assert "Mislukt" in html
    # Only the secretariat resends mail.
    assert "Opnieuw versturen" not in html
    assert client.post(f"/berichten/{failed_message.pk}/opnieuw/").status_code == 403


def test_secretariat_resends_a_failed_message(client, secretariat, failed_message):
    client.force_login(secretariat)
    assert "Opnieuw versturen" in client.get(f"/berichten/{failed_message.pk}/").content.decode()

    response = client.post(f"/berichten/{failed_message.pk}/opnieuw/", follow=True)

    assert response.redirect_chain[-1][0] == f"/berichten/{failed_message.pk}/"
    failed_message.refresh_from_db()
    assert failed_message.status == OutboxStatus.PENDING
    assert failed_message.attempts == 0
    assert "Het bericht wordt opnieuw verstuurd." in response.content.decode()


def test_a_message_that_did_not_fail_cannot_be_resent(client, secretariat):
    message = message_queue(to="a@example.org", subject="Gewoon", body="x", kind="t")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT, attempts=1)
    client.force_login(secretariat)
    assert "Opnieuw versturen" not in client.get(f"/berichten/{message.pk}/").content.decode()
    assert client.get(f"/berichten/{message.pk}/opnieuw/").status_code == 405

    client.post(f"/berichten/{message.pk}/opnieuw/")

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)


def test_unknown_message_is_404(client, secretariat):
    client.force_login(secretariat)
    assert client.get("/berichten/999999/").status_code == 404


def test_outbox_is_read_only_in_the_admin(client, administrator, failed_message):
    client.force_login(administrator)
    listing = client.get("/beheer/notifications/outboxmessage/")
    assert listing.status_code == 200
    assert "klager@example.org" not in listing.content.decode()
    change = client.get(f"/beheer/notifications/outboxmessage/{failed_message.pk}/change/")
    assert change.status_code == 200
    for secret in ("klager@example.org", "Onderwerp mislukt", "Volledige tekst", "Refused"):
        assert secret not in change.content.decode().split("<main", 1)[-1]
    # Searching by address would tell an administrator whether someone complained.
    found = client.get("/beheer/notifications/outboxmessage/?q=klager%40example.org")
    assert f"/outboxmessage/{failed_message.pk}/change/" not in found.content.decode()
    by_number = client.get("/beheer/notifications/outboxmessage/?q=nobody")
    assert by_number.status_code == 200
    assert client.get("/beheer/notifications/outboxmessage/add/").status_code == 403
    client.post(f"/beheer/notifications/outboxmessage/{failed_message.pk}/delete/", {"post": "yes"})
    assert OutboxMessage.objects.filter(pk=failed_message.pk).exists()


def test_administrator_sees_the_recipient_role_not_the_complainant(
    client, organisation, course, administrator, secretariat
):
    from klachtroute.cases.services import complaint_register
    from klachtroute.testing.factories import complaint_data

    complaint = complaint_register(
        **complaint_data(
            course=course,
            complainant_name="Wilma Geheim",
            complainant_email="wilma@example.org",
            description="Een heel persoonlijk verhaal over de les.",
        )
    )
    message = OutboxMessage.objects.filter(complaint=complaint, to="wilma@example.org").first()
    assert message is not None
    assert "/p/" in message.body  # the acknowledgement carries the status link
    client.force_login(administrator)
    for url in ("/berichten/", f"/berichten/{message.pk}/"):
        html = client.get(url).content.decode()
        assert "klager" in html
        assert "Wilma" not in html
        assert "wilma@example.org" not in html
        assert "persoonlijk verhaal" not in html
        assert message.kind in html
    # The secretariat sees the complaint, so reads the message, but gets no working link.
    client.force_login(secretariat)
    html = client.get(f"/berichten/{message.pk}/").content.decode()
    assert "wilma@example.org" in html
    assert "/p/" not in html.split('class="mail-body"', 1)[1]
