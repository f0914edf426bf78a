"""The worker's task: delivery after commit, and a retry scheduled after the back-off."""

import datetime as dt

import pytest
import time_machine

from klachtroute.cases.services import complaint_register
from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.notifications.tasks import deliver_message
from klachtroute.testing.factories import complaint_data

pytestmark = pytest.mark.usefixtures("handler_reads_mail_elsewhere")


def delivery_tasks(backend) -> list:
    return [r for r in backend.results if r.task.func is deliver_message.func]


def test_livp_3_delivery_task_is_enqueued_when_the_registration_commits(
    task_backend, organisation, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complaint_register(**complaint_data(course=course))
        # Nothing is enqueued while the transaction is still open.
        assert delivery_tasks(task_backend) == []
    message = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
    [enqueued] = delivery_tasks(task_backend)
    assert enqueued.args == [message.pk]
    assert enqueued.task.run_after is None


def test_delivery_task_reenqueues_itself_after_the_back_off_when_delivery_failed(
    task_backend, smtp_down, organisation, course
):
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        complaint = complaint_register(**complaint_data(course=course))
        message = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")

        assert deliver_message.call(message.pk) == OutboxStatus.PENDING

    message.refresh_from_db()
    assert message.attempts == 1
    [retry] = delivery_tasks(task_backend)
    assert retry.args == [message.pk]
    assert retry.task.run_after == message.next_attempt_at
    assert retry.task.run_after == now + dt.timedelta(seconds=60)


def test_delivery_task_does_not_reenqueue_when_sent_or_failed(
    task_backend, smtp_server, settings, organisation, course
):
    complaint = complaint_register(**complaint_data(course=course))
    message = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
    assert deliver_message.call(message.pk) == OutboxStatus.SENT
    # Running it again (a duplicate task) sends nothing and schedules nothing.
    assert deliver_message.call(message.pk) == OutboxStatus.SENT
    assert len(smtp_server.inbox) == 1

    smtp_server.stop()
    settings.OUTBOX_MAX_ATTEMPTS = 1
    other = complaint_register(**complaint_data(course=course, complainant_name="Piet Pieters"))
    other_message = OutboxMessage.objects.get(complaint=other, kind="acknowledgement")
    assert deliver_message.call(other_message.pk) == OutboxStatus.FAILED
    assert delivery_tasks(task_backend) == []


def test_immediate_backend_delivers_on_commit_and_does_not_break_on_failure(
    settings, smtp_server, organisation, course, django_capture_on_commit_callbacks
):
    """With a backend that cannot defer, a failed delivery waits for `deliver_mail`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        complaint_register(**complaint_data(course=course))
    assert len(smtp_server.inbox) == 1

    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        other = complaint_register(**complaint_data(course=course, complainant_name="Piet"))
    message = OutboxMessage.objects.get(complaint=other, kind="acknowledgement")
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1


def test_messages_written_together_go_to_one_delivery_task_that_sends_or_retries_each(
    task_backend, smtp_down, organisation, course, django_capture_on_commit_callbacks
):
    """`messages_send_many`: one delivery task for the e-mails of a batch (a letter waits for
    the post); the task delivers each, and one whose delivery failed comes back alone."""
    from klachtroute.notifications.services import NewMessage, messages_send_many
    from klachtroute.notifications.tasks import deliver_messages

    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        complaint = complaint_register(**complaint_data(course=course))
        task_backend.clear()

        def to(email: str) -> NewMessage:
            return NewMessage(
                key="no_agreement_notice",
                context={"complaint": complaint, "organisation": organisation},
                complaint=complaint,
                email=email,
                name="Jan Jansen",
                postal_address="" if email else "Dorpsstraat 1",
            )

        with django_capture_on_commit_callbacks(execute=True):
            first, second, letter = messages_send_many(
                items=[to("a@example.org"), to("b@example.org"), to("")]
            )
        [enqueued] = [r for r in task_backend.results if r.task.func is deliver_messages.func]
        assert enqueued.args == [[first.pk, second.pk]]
        assert letter.status == OutboxStatus.TO_POST and letter.postal_address == "Dorpsstraat 1"
        assert first.subject.startswith("Geen overeenstemming over uw klacht")

        assert deliver_messages.call([first.pk, second.pk]) == {OutboxStatus.PENDING: 2}
    # Each comes back on its own after the back-off.
    retries = delivery_tasks(task_backend)
    assert sorted(r.args[0] for r in retries) == [first.pk, second.pk]
    assert all(r.task.run_after == now + dt.timedelta(seconds=60) for r in retries)
    smtp_down.start()
    with time_machine.travel(now + dt.timedelta(minutes=2), tick=False):
        assert deliver_messages.call([first.pk, second.pk]) == {OutboxStatus.SENT: 2}
    assert len(smtp_down.inbox) == 2
