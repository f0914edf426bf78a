"""A message claimed by a worker that died is delivered again by the next worker run, at
once and with the same Message-ID; a message a live worker is sending is left alone."""

import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from klachtroute.cases.services import complaint_register
from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.notifications.workers import worker_alive, worker_identity
from klachtroute.testing.factories import complaint_data

pytestmark = pytest.mark.usefixtures("handler_reads_mail_elsewhere")


def dead_worker_identity() -> str:
    """The identity of a real process of this host that has ended."""
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "from klachtroute.notifications.workers import worker_identity; "
            "print(worker_identity())",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def claimed_by(message, identity: str) -> None:
    # Claimed a moment ago: far from the 15 minutes after which deliver_mail gives up waiting.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=timezone.now(), claimed_by=identity
    )


def test_worker_identity_tells_a_live_process_from_a_dead_one():
    assert worker_alive(worker_identity()) is True
    assert worker_alive(dead_worker_identity()) is False
    assert worker_alive("elders.example.org:1:123") is None  # another host: unknown


@pytest.mark.django_db(transaction=True)
def test_the_next_worker_run_delivers_a_message_of_a_worker_that_died(
    smtp_server, organisation, course, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    complaint = complaint_register(**complaint_data(course=course))
    message = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
    # The worker that had claimed it is killed before it could record the result.
    claimed_by(message, dead_worker_identity())
    DBTaskResult.objects.all().delete()  # its task died with it

    out = StringIO()
    call_command("db_worker", batch=True, interval=0, startup_delay=False, stdout=out)

    assert "Recovered from a worker that died: 1 message(s)" in out.getvalue()
    assert len(smtp_server.inbox) == 1
    assert smtp_server.inbox[0].message["Message-ID"] == message.message_id
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2


@pytest.mark.django_db
def test_deliver_mail_and_the_dev_runner_take_over_a_dead_workers_message_at_once(
    smtp_server, organisation, course
):
    complaint = complaint_register(**complaint_data(course=course))
    message = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
    claimed_by(message, dead_worker_identity())

    # bin/run-dev runs deliver_mail before it starts the worker.
    call_command("deliver_mail", stdout=StringIO())

    assert len(smtp_server.inbox) == 1
    assert smtp_server.inbox[0].message["Message-ID"] == message.message_id


@pytest.mark.django_db
def test_a_live_workers_message_is_not_sent_twice(smtp_server, organisation, course):
    from klachtroute.notifications.tasks import deliver_message

    complaint = complaint_register(**complaint_data(course=course))
    message = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
    claimed_by(message, worker_identity())  # this process: alive, sending right now

    call_command("deliver_mail", stdout=StringIO())
    deliver_message.call(message.pk)

    assert smtp_server.inbox == []
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING
