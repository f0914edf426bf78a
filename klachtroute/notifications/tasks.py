"""Background tasks for mail delivery (run by `manage.py db_worker`)."""

import logging

from django.utils import timezone
from django_tasks import task

from .models import OutboxMessage, OutboxStatus
from .services import message_deliver, message_recover_orphaned

logger = logging.getLogger(__name__)


@task()
def deliver_message(message_id: int) -> str:
    """Send one outbox message; when the mail server failed, come back after the back-off."""
    started = timezone.now()
    _orphans_deliver(besides={message_id})
    return _deliver(message_id, started)


@task()
def deliver_messages(message_ids: list[int]) -> dict[str, int]:
    """Send the outbox messages one step queued together (`messages_send_many`): one task
    for the batch, each message delivered and retried as `deliver_message` does. Returns
    how many ended in each status."""
    started = timezone.now()
    _orphans_deliver(besides=set(message_ids))
    statuses: dict[str, int] = {}
    for message_id in message_ids:
        status = _deliver(message_id, started)
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


def _orphans_deliver(*, besides: set[int]) -> None:
    # A worker that died mid-send left its messages 'sending': while one worker lives
    # on, it takes them over here, without waiting for the next start or deliver_mail.
    for orphan in message_recover_orphaned():
        if orphan not in besides:
            message_deliver(message_id=orphan)


def _deliver(message_id: int, started) -> str:
    status = message_deliver(message_id=message_id)
    if status == OutboxStatus.PENDING:
        # Only the run that made the attempt schedules the next one, so that one chain
        # of tasks follows each message however many times it was enqueued.
        retry_at = (
            OutboxMessage.objects.filter(
                pk=message_id, status=OutboxStatus.PENDING, claimed_at__gte=started
            )
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        if retry_at is not None:
            deliver_message_later(message_id, retry_at)
    return status


def deliver_message_later(message_id: int, run_at) -> None:
    """Enqueue the delivery to run at `run_at`, where the task backend can defer."""
    if not deliver_message.get_backend().supports_defer:
        # e.g. the ImmediateBackend: `deliver_mail` picks the message up on its next run.
        return
    run_after = max(run_at, timezone.now())
    try:
        deliver_message.using(run_after=run_after).enqueue(message_id)
    except Exception:
        logger.exception("Could not enqueue the retry of outbox message %s", message_id)
