"""Queueing and delivering e-mail through the outbox.

`message_queue` is called inside the service's transaction, so a message exists exactly
when its cause was committed. After commit a `deliver_message` task is enqueued; the
worker sends it. A failed delivery is retried with back-off until OUTBOX_MAX_ATTEMPTS,
then marked failed (the secretariat can put it back with `message_retry`). A message is
claimed before it is sent, so two workers never send the same message; `deliver_mail`
(cron, systemd timer, or by hand) sweeps up whatever the worker did not get to.

Delivery is at-least-once: a worker killed between the mail server's "250 OK" and the
status update leaves the message 'sending'. The next worker run (`db_worker` at its
start and before each delivery, `deliver_mail`, `bin/run-dev`) gives a message claimed by
a process of this host that no longer runs back to the queue at once
(`message_recover_orphaned`); `message_recover_stuck` does so for any claim older than
15 minutes. It is sent again with the same Message-ID, so that mail clients can
recognise the duplicate.
"""

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F
from django.template import Context, Template
from django.template.loader import select_template
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from . import complaints
from .models import MessageTemplate, OutboxMessage, OutboxStatus
from .workers import worker_alive, worker_identity

if TYPE_CHECKING:
    from klachtroute.accounts.models import User

logger = logging.getLogger(__name__)


OPEN_RECORD = gettext_noop("Open de klacht in Klachtroute: %(url)s")


def _message_id_new() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "klachtroute"
    return make_msgid(domain=domain)


def message_queue(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    language: str = "nl",
    complaint=None,
    recipient_name: str = "",
    postal_address: str = "",
) -> OutboxMessage:
    """Write a message to the outbox: an e-mail, delivered after the transaction commits,
    or without an address a letter that waits in the secretariat's list of post."""
    message = OutboxMessage.objects.create(
        complaint=complaint,
        to=to,
        subject=subject,
        body=body,
        kind=kind,
        language=language,
        recipient_name=recipient_name,
        postal_address=postal_address,
        status=OutboxStatus.PENDING if to else OutboxStatus.TO_POST,
        next_attempt_at=timezone.now(),
        message_id=_message_id_new(),
    )
    if to:
        _with_the_transaction(lambda: _enqueue_delivery(message.pk))
    return message


def message_render(*, key: str, language: str, context: dict, procedure=None) -> tuple[str, str]:
    """Subject and body of a message: the administrator's own text for this procedure and
    language when there is one, else the product's default `notifications/email/<key>.txt`
    (its first line is the subject)."""
    override = None
    if procedure is not None:
        override = MessageTemplate.objects.filter(
            procedure=procedure, key=key, language=language
        ).first()
    return _render(
        key=key, language=language, context=context, procedure=procedure, override=override
    )


def _render(
    *, key: str, language: str, context: dict, procedure, override: MessageTemplate | None
) -> tuple[str, str]:
    """`message_render` with the administrator's own text (or None) already looked up."""
    with translation.override(language):
        if override is not None:
            subject = Template("{% load i18n %}" + override.subject).render(
                Context(context, autoescape=False)
            )
            body = Template("{% load i18n %}" + override.body).render(
                Context(context, autoescape=False)
            )
        else:
            names = [f"notifications/email/{key}.txt"]
            if procedure is not None:
                # A procedure may ship its own default text for a message.
                names.insert(0, f"notifications/email/{procedure.code}/{key}.txt")
            text = select_template(names).render(context)
            subject, _, body = text.strip().partition("\n")
    return " ".join(subject.split()), body.strip() + "\n"


def _with_record_url(body: str, *, record_url: str, language: str, record_line: str = "") -> str:
    """A message to staff always carries the page about the complaint, also when the
    administrator's own text for the message does not mention it, offered with
    `record_line` (an untranslated message id with `%(url)s`; by default `OPEN_RECORD`)."""
    if record_url and record_url not in body:
        with translation.override(language):
            line = gettext(record_line or OPEN_RECORD) % {"url": record_url}
        body = f"{body}\n{line}\n"
    return body


def message_queue_from_template(
    *, to: str, template: str, context: dict, kind: str, language: str, complaint=None
) -> OutboxMessage:
    """Render a message (see `message_render`) and queue it for e-mail delivery."""
    procedure = complaint.procedure_version.procedure if complaint is not None else None
    subject, body = message_render(
        key=template, language=language, context=context, procedure=procedure
    )
    return message_queue(
        to=to, subject=subject, body=body, kind=kind, language=language, complaint=complaint
    )


def message_send_to(
    *,
    key: str,
    context: dict,
    complaint=None,
    email: str = "",
    name: str = "",
    postal_address: str = "",
    language: str = "nl",
    record_url: str = "",
    record_line: str = "",
) -> OutboxMessage:
    """Send a message to a person: by e-mail when there is an address, otherwise as a
    letter that waits in the secretariat's list of post to send.

    `record_url` is the page about the complaint that the member of staff can open (its
    record page, or a respondent's own link page): a message to staff always carries it,
    also when the administrator's own text for the message does not mention it, offered
    with `record_line` (an untranslated message id with `%(url)s`)."""
    procedure = complaint.procedure_version.procedure if complaint is not None else None
    subject, body = message_render(key=key, language=language, context=context, procedure=procedure)
    body = _with_record_url(body, record_url=record_url, language=language, record_line=record_line)
    return message_queue(
        to=email,
        subject=subject,
        body=body,
        kind=key,
        language=language,
        complaint=complaint,
        recipient_name=name,
        postal_address=postal_address,
    )


class NewMessage(NamedTuple):
    """One message of `messages_send_many`: the arguments of `message_send_to`."""

    key: str
    context: dict
    complaint: Any = None
    email: str = ""
    name: str = ""
    postal_address: str = ""
    language: str = "nl"
    record_url: str = ""
    record_line: str = ""


def messages_send_many(*, items: list[NewMessage]) -> list[OutboxMessage]:
    """`message_send_to` for each item, in a constant number of queries however many: the
    administrator's own texts are read at once, the messages (e-mails and letters) inserted
    at once, and the e-mails are given to one delivery task after commit. A complaint's
    procedure version and procedure are read beforehand (select_related)."""
    if not items:
        return []
    procedures = {
        item.complaint.procedure_version.procedure for item in items if item.complaint is not None
    }
    overrides = {
        (template.procedure_id, template.key, template.language): template
        for template in MessageTemplate.objects.filter(
            procedure__in=procedures,
            key__in={item.key for item in items},
            language__in={item.language for item in items},
        )
    }
    now, rows = timezone.now(), []
    for item in items:
        procedure = item.complaint.procedure_version.procedure if item.complaint else None
        override = overrides.get((procedure.pk, item.key, item.language)) if procedure else None
        subject, body = _render(
            key=item.key,
            language=item.language,
            context=item.context,
            procedure=procedure,
            override=override,
        )
        rows.append(
            OutboxMessage(
                complaint=item.complaint,
                to=item.email,
                subject=subject,
                body=_with_record_url(
                    body,
                    record_url=item.record_url,
                    language=item.language,
                    record_line=item.record_line,
                ),
                kind=item.key,
                language=item.language,
                status=OutboxStatus.PENDING if item.email else OutboxStatus.TO_POST,
                next_attempt_at=now,
                message_id=_message_id_new(),
                recipient_name=item.name,
                postal_address=item.postal_address,
            )
        )
    messages = OutboxMessage.objects.bulk_create(rows)
    to_deliver = [m.pk for m in messages if m.status == OutboxStatus.PENDING]
    if to_deliver:
        _with_the_transaction(lambda: _enqueue_delivery_many(to_deliver))
    return messages


def _tasks_kept_in_this_database() -> bool:
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def _with_the_transaction(enqueue: Callable[[], None]) -> None:
    """Queue a delivery task so that the worker finds it only with its messages: a task kept
    in this database (django-tasks-db) is written inside the transaction, in a savepoint of
    its own, so that the messages and their task take one commit together (a task that
    cannot be written is logged and the transaction goes on); with any other task backend
    it is queued after the commit. Either way `deliver_mail` delivers what no task did."""
    if not transaction.get_connection().in_atomic_block or not _tasks_kept_in_this_database():
        transaction.on_commit(enqueue)
        return
    try:
        with transaction.atomic():
            enqueue()
    except Exception:
        logger.exception("Could not queue a delivery task inside the transaction")


def _enqueue_delivery_many(message_ids: list[int]) -> None:
    from .tasks import deliver_messages

    try:
        deliver_messages.enqueue(message_ids)
    except Exception:
        # The rows are safe in the outbox; `deliver_mail` delivers them.
        logger.exception("Could not enqueue delivery of %s outbox messages", len(message_ids))


def _enqueue_delivery(message_id: int) -> None:
    from .tasks import deliver_message

    try:
        deliver_message.enqueue(message_id)
    except Exception:
        # The row is safe in the outbox; `deliver_mail` delivers it.
        logger.exception("Could not enqueue delivery of outbox message %s", message_id)


def backoff(attempts: int) -> timedelta:
    """Wait longer after each failed attempt: base, 2×base, 4×base … capped at six hours."""
    seconds = settings.OUTBOX_BACKOFF_SECONDS * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, 6 * 3600))


def _claim(message_id: int) -> OutboxMessage | None:
    """Mark a due message 'sending' in one UPDATE; only one worker can win it."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now
    ).update(
        status=OutboxStatus.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=now,
        claimed_by=worker_identity(),
    )
    if not claimed:
        return None
    return OutboxMessage.objects.get(pk=message_id)


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer about this message will not change by trying again later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


def _complaint_event(message: OutboxMessage, *, outcome: str, text: str, after: dict) -> None:
    """Note a delivery outcome in the complaint's history, so the complaint shows it; `text`
    is the untranslated message id (gettext_noop), written in the reader's language."""
    complaints.complaint_link().history_note(
        message=message,
        actor=None,
        outcome=outcome,
        text=text,
        text_args={"to": message.to, "subject": message.subject},
        after={"message": message.pk, "kind": message.kind, "to": message.to, **after},
    )


def message_deliver(*, message_id: int) -> str:
    """Try to send one message now, if it is due. Returns its status afterwards."""
    message = _claim(message_id)
    if message is None:
        current = OutboxMessage.objects.filter(pk=message_id).values_list("status", flat=True)
        return current.first() or "missing"
    message_id_header = message.message_id or _message_id_new()
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message_id_header, "Content-Language": message.language},
    )
    try:
        if get_connection(fail_silently=False).send_messages([email]) != 1:
            raise RuntimeError("the mail backend did not accept the message")
    except Exception as exc:  # any failure of the mail server: retry later
        failed = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS or _is_permanent(exc)
        status = OutboxStatus.FAILED if failed else OutboxStatus.PENDING
        error = f"{type(exc).__name__}: {exc}"[:2000]
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=status,
                next_attempt_at=timezone.now() + backoff(message.attempts),
                last_error=error,
                message_id=message_id_header,
            )
            if failed:
                _complaint_event(
                    message,
                    outcome=complaints.FAILED,
                    text=gettext_noop("E-mail aan %(to)s kon niet worden verzonden: %(subject)s"),
                    after={"status": status, "attempts": message.attempts, "error": error},
                )
        logger.warning(
            "Delivery of outbox message %s failed (attempt %s, now %s): %s",
            message.pk,
            message.attempts,
            status,
            exc,
        )
        return status
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.SENT,
            sent_at=timezone.now(),
            last_error="",
            message_id=message_id_header,
        )
        _complaint_event(
            message,
            outcome=complaints.SENT,
            text=gettext_noop("E-mail verzonden aan %(to)s: %(subject)s"),
            after={"status": OutboxStatus.SENT, "attempts": message.attempts},
        )
    logger.info("Outbox message %s sent to %s", message.pk, message.to)
    return OutboxStatus.SENT


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0  # another worker got there first


def messages_deliver_due(*, batch_size: int = 100) -> DeliveryReport:
    """Deliver every pending message whose time has come, oldest first.

    Each message is tried at most once per run, so a server that keeps failing (or a
    back-off of zero) cannot make this loop forever.
    """
    report = DeliveryReport()
    tried: set[int] = set()
    while True:
        due = list(
            OutboxMessage.objects.filter(
                status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now()
            )
            .exclude(pk__in=tried)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not due:
            return report
        for pk in due:
            tried.add(pk)
            status = message_deliver(message_id=pk)
            if status == OutboxStatus.SENT:
                report.sent += 1
            elif status == OutboxStatus.PENDING:
                report.retrying += 1
            elif status == OutboxStatus.FAILED:
                report.failed += 1
            else:
                report.skipped += 1


@transaction.atomic
def message_retry(*, message: OutboxMessage, actor: "User | None") -> bool:
    """Put a failed message back in the queue (the secretariat asked for it).

    Returns False when the message was not failed (anymore): nothing changes then.
    """
    updated = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    if not updated:
        return False
    complaints.complaint_link().history_note(
        message=message,
        actor=actor,
        outcome=complaints.RETRIED,
        text=gettext_noop("E-mail opnieuw aangeboden voor verzending: %(subject)s"),
        text_args={"subject": message.subject},
        before={"message": message.pk, "status": OutboxStatus.FAILED},
        after={"message": message.pk, "status": OutboxStatus.PENDING, "to": message.to},
    )
    transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return True


def message_recover_orphaned() -> list[int]:
    """Give back to the queue every message 'sending' under a worker process of this host
    that no longer runs (killed, crashed, the machine restarted). Returns their ids."""
    recovered = []
    claims = OutboxMessage.objects.filter(status=OutboxStatus.SENDING).exclude(claimed_by="")
    for pk, claimed_by in claims.values_list("pk", "claimed_by"):
        if worker_alive(claimed_by) is not False:
            continue
        # Only if it is still that dead worker's claim (no one else took it meanwhile).
        if OutboxMessage.objects.filter(
            pk=pk, status=OutboxStatus.SENDING, claimed_by=claimed_by
        ).update(status=OutboxStatus.PENDING, next_attempt_at=timezone.now()):
            recovered.append(pk)
    if recovered:
        logger.warning(
            "Gave %s outbox message(s) of a worker that died back to the queue", len(recovered)
        )
    return recovered


def messages_recover_and_enqueue() -> int:
    """What a worker does when it starts: take back the messages of dead workers and
    enqueue their delivery. Returns how many."""
    recovered = message_recover_orphaned()
    for pk in recovered:
        _enqueue_delivery(pk)
    return len(recovered)


def message_recover_stuck(*, older_than: timedelta = timedelta(minutes=15)) -> int:
    """A worker killed while sending leaves a message 'sending'; give it back to the queue.

    `older_than` is far beyond EMAIL_TIMEOUT, so a message that is really being sent
    right now is left alone.
    """
    recovered = len(message_recover_orphaned())
    recovered += OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING, claimed_at__lte=timezone.now() - older_than
    ).update(status=OutboxStatus.PENDING, next_attempt_at=timezone.now())
    if recovered:
        logger.warning("Recovered %s outbox message(s) stuck in 'sending'", recovered)
    return recovered
