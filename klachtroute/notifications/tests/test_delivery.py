"""Delivery of the outbox through a real SMTP server (aiosmtpd), LIVP-3 and LSR-4b."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import dateformat, translation

from klachtroute.cases.services import complaint_register
from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.notifications.services import (
    backoff,
    message_deliver,
    message_queue,
    messages_deliver_due,
)
from klachtroute.testing.factories import complaint_data

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A Monday in March, far from public holidays.
MONDAY_MORNING = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)

pytestmark = pytest.mark.usefixtures("handler_reads_mail_elsewhere")


def long_date(day: dt.date, language: str) -> str:
    with translation.override(language):
        return dateformat.format(day, "l j F Y")


def acknowledgement_of(complaint) -> OutboxMessage:
    return OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")


def test_livp_3_acknowledgement_delivered_through_smtp(smtp_server, organisation, course, trainers):
    complaint = complaint_register(**complaint_data(course=course))
    handler = trainers[2]  # the only trainer who does not teach the course (LIVP-4)
    assert complaint.handler == handler

    report = messages_deliver_due()

    assert report.sent == 1
    assert len(smtp_server.inbox) == 1
    received = smtp_server.inbox[0]
    assert received.rcpt_tos == ["jan@example.org"]
    assert received.mail_from == "klachten@example.org"
    assert complaint.number in received.subject
    body = received.body
    assert handler.display_name in body
    assert long_date(complaint.first_contact_due, "nl") in body
    assert long_date(complaint.settle_due, "nl") in body
    assert "Uw klacht wordt altijd vertrouwelijk behandeld." in body
    assert received.message["Content-Language"] == "nl"

    message = acknowledgement_of(complaint)
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.last_error == ""
    assert received.message["Message-ID"] == message.message_id
    # The complaint's history shows that the acknowledgement went out.
    assert complaint.events.filter(kind="message_sent").count() == 1


def test_livp_3_acknowledgement_survives_the_mail_server_being_down(
    smtp_down, organisation, course
):
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        complaint = complaint_register(**complaint_data(course=course))
        message = acknowledgement_of(complaint)

        report = messages_deliver_due()

        assert report.sent == 0 and report.retrying == 1
        message.refresh_from_db()
        assert message.status == OutboxStatus.PENDING
        assert message.attempts == 1
        assert message.last_error  # e.g. "ConnectionRefusedError: [Errno 111] ..."
        assert message.next_attempt_at == MONDAY_MORNING + backoff(1)
        assert backoff(1) == dt.timedelta(seconds=60)

        # Before the back-off has passed, another run leaves the message alone.
        traveller.shift(dt.timedelta(seconds=30))
        assert messages_deliver_due().sent == 0
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)

        # The mail server is back and the back-off has passed: delivered, once.
        smtp_down.start()
        traveller.shift(dt.timedelta(seconds=31))
        assert messages_deliver_due().sent == 1
        assert messages_deliver_due().sent == 0
        assert message_deliver(message_id=message.pk) == OutboxStatus.SENT

    assert len(smtp_down.inbox) == 1
    assert complaint.number in smtp_down.inbox[0].subject
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert message.sent_at == MONDAY_MORNING + dt.timedelta(seconds=61)
    assert message.last_error == ""


def test_back_off_doubles_after_each_failure_up_to_six_hours(settings):
    settings.OUTBOX_BACKOFF_SECONDS = 60
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30) == dt.timedelta(hours=6)


def test_after_the_last_attempt_the_message_is_failed_and_the_secretariat_retries_it(
    smtp_down, settings, organisation, course, secretariat, client
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        complaint = complaint_register(**complaint_data(course=course))
        message = acknowledgement_of(complaint)
        for attempt in (1, 2, 3):
            messages_deliver_due()
            message.refresh_from_db()
            assert message.attempts == attempt
            traveller.shift(backoff(attempt) + dt.timedelta(seconds=1))
        assert message.status == OutboxStatus.FAILED
        # A failed message is not tried again on its own.
        assert messages_deliver_due().sent == 0
        assert complaint.events.filter(kind="message_failed").count() == 1

        client.force_login(secretariat)
        page = client.get("/berichten/?status=failed")
        assert page.status_code == 200
        assert complaint.number in page.content.decode()
        assert message.subject in page.content.decode()
        assert client.get("/berichten/?status=sent").content.decode().count(complaint.number) == 0

        smtp_down.start()
        response = client.post(f"/berichten/{message.pk}/opnieuw/")
        assert response.status_code == 302
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
        retried = complaint.events.get(kind="message_retried")
        assert retried.actor == secretariat

        assert messages_deliver_due().sent == 1

    assert len(smtp_down.inbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_a_mail_server_that_refuses_the_address_fails_the_message_at_once(
    smtp_server, organisation, course
):
    class RefusingHandler:
        async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
            return "550 5.1.1 No such user"

    smtp_server.start(handler=RefusingHandler())
    message = message_queue(to="nobody@example.org", subject="Test", body="Tekst", kind="test")

    assert messages_deliver_due().failed == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert "550" in message.last_error


def test_deliver_mail_recovers_a_message_stuck_in_sending_and_sends_it_once(
    smtp_server, organisation, course
):
    complaint = complaint_register(**complaint_data(course=course))
    message = acknowledgement_of(complaint)
    # A worker claimed the message an hour ago and was killed before it finished.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING,
        attempts=1,
        claimed_at=message.created_at - dt.timedelta(hours=1),
    )

    out = StringIO()
    call_command("deliver_mail", stdout=out)
    call_command("deliver_mail", stdout=out)

    assert len(smtp_server.inbox) == 1
    assert smtp_server.inbox[0].rcpt_tos == ["jan@example.org"]
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    output = out.getvalue()
    assert "Recovered from 'sending': 1" in output
    assert "Sent: 1; still pending: 0; failed: 0." in output
    assert "Sent: 0; still pending: 0; failed: 0." in output


def test_deliver_mail_leaves_a_message_that_is_being_sent_right_now_alone(
    smtp_server, organisation, course
):
    complaint = complaint_register(**complaint_data(course=course))
    message = acknowledgement_of(complaint)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=message.created_at
    )

    call_command("deliver_mail", stdout=StringIO())

    assert smtp_server.inbox == []
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING


def test_deliver_mail_reports_pending_and_failed_messages(smtp_down, organisation, course):
    complaint_register(**complaint_data(course=course))
    out = StringIO()
    call_command("deliver_mail", stdout=out)
    assert "Sent: 0; still pending: 1; failed: 0." in out.getvalue()
    assert "1 failed attempt(s) will be retried after the back-off" in out.getvalue()


def test_livp_3_acknowledgement_for_an_english_speaking_complainant_is_in_english(
    smtp_server, organisation, course
):
    complaint = complaint_register(**complaint_data(course=course, complainant_language="en"))
    message = acknowledgement_of(complaint)
    assert message.language == "en"

    messages_deliver_due()

    received = smtp_server.inbox[0]
    assert received.message["Content-Language"] == "en"
    body = received.body
    # The procedure's own English texts and English dates.
    assert "Your complaint is always treated confidentially." in body
    assert "contacts you personally within 5 working days" in body
    assert long_date(complaint.settle_due, "en") in body
    assert complaint.number in received.subject


def test_livp_3_english_acknowledgement_subject_and_greeting_are_translated(
    smtp_server, organisation, course
):
    complaint = complaint_register(**complaint_data(course=course, complainant_language="en"))
    messages_deliver_due()
    received = smtp_server.inbox[0]
    assert received.subject == f"Acknowledgement of your complaint {complaint.number}"
    assert received.body.startswith("Dear Jan Jansen,")
    assert "Ontvangst" not in received.body and "uiterlijk" not in received.body


def test_file_backend_writes_a_readable_message_under_the_mail_dir(
    settings, tmp_path, organisation, course, trainers
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    complaint = complaint_register(**complaint_data(course=course))

    assert messages_deliver_due().sent == 1

    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    assert "To: jan@example.org" in text
    assert complaint.number in text
    assert trainers[2].display_name in text
    assert "Uw klacht wordt altijd vertrouwelijk behandeld." in text
