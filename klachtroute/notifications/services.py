"""Queueing and delivering e-mail through the outbox.

`message_queue` is called inside the service's transaction; delivery is a task that
runs after commit. A failed delivery is retried with back-off until
OUTBOX_MAX_ATTEMPTS, then marked failed. A message is claimed before it is sent,
so two workers never send the same message.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)


def message_queue(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    language: str = "nl",
    complaint=None,
) -> OutboxMessage:
    message = OutboxMessage.objects.create(
        complaint=complaint,
        to=to,
        subject=subject,
        body=body,
        kind=kind,
        language=language,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return message


def message_queue_from_template(
    *, to: str, template: str, context: dict, kind: str, language: str, complaint=None
) -> OutboxMessage:
    """Render `notifications/email/<template>.txt` (first line is the subject) and queue it."""
    with translation.override(language):
        text = render_to_string(f"notifications/email/{template}.txt", context)
    subject, _, body = text.strip().partition("\n")
    return message_queue(
        to=to,
        subject=subject.strip(),
        body=body.strip() + "\n",
        kind=kind,
        language=language,
        complaint=complaint,
    )


def _enqueue_delivery(message_id: int) -> None:
    from .tasks import deliver_message

    try:
        deliver_message.enqueue(message_id)
    except Exception:
        # The row is safe in the outbox; the periodic sweep delivers it.
        logger.exception("Could not enqueue delivery of outbox message %s", message_id)


def backoff(attempts: int) -> timedelta:
    """Wait longer after each failed attempt: base, 2×base, 4×base … capped at six hours."""
    seconds = settings.OUTBOX_BACKOFF_SECONDS * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, 6 * 3600))


def _claim(message_id: int) -> OutboxMessage | None:
    with transaction.atomic():
        claimed = OutboxMessage.objects.filter(
            pk=message_id,
            status=OutboxStatus.PENDING,
            next_attempt_at__lte=timezone.now(),
        ).update(status=OutboxStatus.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now())
        if not claimed:
            return None
    return OutboxMessage.objects.get(pk=message_id)


def message_deliver(*, message_id: int) -> str:
    """Try to send one message now. Returns its status afterwards."""
    message = _claim(message_id)
    if message is None:
        current = OutboxMessage.objects.filter(pk=message_id).values_list("status", flat=True)
        return current.first() or "missing"
    message_id_header = message.message_id or make_msgid(domain="klachtroute")
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message_id_header, "Content-Language": message.language},
    )
    try:
        get_connection(fail_silently=False).send_messages([email])
    except Exception as exc:  # any failure of the mail server: retry later
        failed = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
            next_attempt_at=timezone.now() + backoff(message.attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            message_id=message_id_header,
        )
        logger.warning("Delivery of outbox message %s failed: %s", message.pk, exc)
        return OutboxStatus.FAILED if failed else OutboxStatus.PENDING
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        last_error="",
        message_id=message_id_header,
    )
    return OutboxStatus.SENT


def messages_deliver_due(*, limit: int = 100) -> int:
    """Deliver every pending message whose time has come; returns how many were sent."""
    due = OutboxMessage.objects.filter(
        status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:limit]
    return sum(message_deliver(message_id=pk) == OutboxStatus.SENT for pk in list(due))


def message_retry(*, message: OutboxMessage) -> None:
    """Put a failed message back in the queue (the secretariat asked for it)."""
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    transaction.on_commit(lambda: _enqueue_delivery(message.pk))


def message_recover_stuck(*, older_than: timedelta = timedelta(minutes=15)) -> int:
    """A worker killed while sending leaves a message 'sending'; give it back to the queue."""
    return OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING, claimed_at__lte=timezone.now() - older_than
    ).update(status=OutboxStatus.PENDING)
