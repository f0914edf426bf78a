"""Background tasks for mail delivery (run by `manage.py db_worker`)."""

from django.utils import timezone
from django_tasks import task

from .models import OutboxMessage, OutboxStatus
from .services import message_deliver


@task()
def deliver_message(message_id: int) -> str:
    status = message_deliver(message_id=message_id)
    if status == OutboxStatus.PENDING:
        # Not sent yet: try again when its back-off has passed.
        retry_at = (
            OutboxMessage.objects.filter(pk=message_id)
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        if retry_at and retry_at > timezone.now():
            deliver_message.using(run_after=retry_at).enqueue(message_id)
    return status
