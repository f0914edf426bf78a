"""Writes for mail received in the complaint mailbox: fetch the mailbox (one fetch at a
time), store a fetched message, register it as a complaint, reject it as not a complaint,
purge it after the retention period. Each write runs in one transaction."""

import logging
import re
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.cases.models import Channel, Complaint
from klachtroute.cases.services import complainant_information_add, complaint_register
from klachtroute.cases.services.registration import document_add
from klachtroute.cases.uploads import files_removed_on_failure, remember_stored_file
from klachtroute.notifications.models import OutboxMessage

from .mailbox import (
    FetchReport,
    ParsedMail,
    attachments_checked,
    mail_parse,
    mailbox_fetch,
    original_checked,
)
from .models import MailboxFetch, MailStatus, ReceivedMail
from .selectors import NEVER_A_COMPLAINT, received_mails_due_for_purge

logger = logging.getLogger(__name__)

NUMBER_IN_SUBJECT = re.compile(r"\bK-\d{4}-\d{4,}\b")


def _reply_target(parsed: ParsedMail) -> Complaint | None:
    """The open complaint this message answers: its number in the subject, or a message we
    sent about it in In-Reply-To/References; only when it comes from that complainant."""
    candidates = []
    if parsed.in_reply_to:
        candidates += list(
            Complaint.objects.filter(
                pk__in=OutboxMessage.objects.filter(
                    message_id__in=parsed.in_reply_to, complaint__isnull=False
                ).values("complaint_id")
            )
        )
    numbers = NUMBER_IN_SUBJECT.findall(parsed.subject)
    if numbers:
        candidates += list(Complaint.objects.filter(number__in=numbers))
    for complaint in candidates:
        if complaint.complainant_email and (
            complaint.complainant_email.strip().lower() == parsed.sender_email
        ):
            return complaint
    return None


def _information_added(mail: ReceivedMail, parsed: ParsedMail, raw: bytes, complaint) -> bool:
    accepted, _rows = attachments_checked(parsed)
    original, _reason = original_checked(raw)
    files = [c.file for c in accepted] + ([original.file] if original else [])
    text = parsed.body or parsed.subject
    try:
        with transaction.atomic():
            complainant_information_add(
                complaint=complaint,
                text=text,
                files=files,
                actor_label=_("Klager (per e-mail)"),
            )
    except ValidationError:
        return False  # closed, or too long: the secretariat looks at it
    return True


def received_mail_store(*, raw: bytes, received_at: datetime | None = None) -> bool:
    """Keep one fetched message; True if it is new. A message seen before (same
    Message-ID) is not stored again. A reply from a complainant about an open complaint is
    added to it as information; mail sent by a machine is kept aside and answered never."""
    parsed = mail_parse(raw)
    key = parsed.key(raw)
    if ReceivedMail.objects.filter(key=key).exists():
        return False
    now = timezone.now()
    _accepted, rows = attachments_checked(parsed)
    _original, original_refused = original_checked(raw)
    if original_refused:
        rows.append({"name": "e-mail.eml", "size": len(raw), "refused": original_refused})
    mail = ReceivedMail(
        key=key,
        message_id=parsed.message_id,
        received_at=min(received_at or now, now),
        sender_name=parsed.sender_name,
        sender_email=parsed.sender_email,
        subject=parsed.subject,
        body=parsed.body,
        raw_size=len(raw),
        attachments=rows,
        automatic_reason=parsed.automatic_reason,
        status=MailStatus.AUTOMATIC if parsed.automatic_reason else MailStatus.WAITING,
    )
    try:
        with files_removed_on_failure(), transaction.atomic():
            mail.raw.save(f"{key[:16]}.eml", ContentFile(raw), save=False)
            remember_stored_file(mail.raw.storage, mail.raw.name)
            mail.save()
            if mail.status == MailStatus.WAITING:
                target = _reply_target(parsed)
                if target is not None and _information_added(mail, parsed, raw, target):
                    mail.status = MailStatus.ADDED
                    mail.complaint = target
                    mail.handled_at = now
                    mail.save(update_fields=["status", "complaint", "handled_at"])
    except IntegrityError:
        if ReceivedMail.objects.filter(key=key).exists():
            return False  # another run stored it at the same moment
        raise
    return True


def _hold() -> timedelta:
    """How long a fetch holds the mailbox after it starts or stores a message: a fetch that
    dies lets go after this; one that works keeps renewing it."""
    return timedelta(seconds=max(300, 10 * settings.IMAP_TIMEOUT))


def mailbox_fetch_claim(*, every: float | None = None) -> str | None:
    """Claim the mailbox for one fetch; a token to let go of it with, or None when another
    fetch holds it or (with `every`) one started less than `every` seconds ago. One
    conditional UPDATE decides, so that two processes never both get it."""
    now = timezone.now()
    MailboxFetch.objects.get_or_create(pk=1)
    free = Q(held_until__isnull=True) | Q(held_until__lt=now)
    if every:
        free &= Q(started_at__isnull=True) | Q(started_at__lte=now - timedelta(seconds=every))
    token = secrets.token_hex(16)
    claimed = (
        MailboxFetch.objects.filter(pk=1)
        .filter(free)
        .update(holder=token, held_until=now + _hold(), started_at=now)
    )
    return token if claimed else None


def _mailbox_held(token: str) -> None:
    MailboxFetch.objects.filter(pk=1, holder=token).update(held_until=timezone.now() + _hold())


def _mailbox_let_go(token: str) -> None:
    MailboxFetch.objects.filter(pk=1, holder=token).update(
        holder="", held_until=None, finished_at=timezone.now()
    )


def mailbox_fetch_run(
    *, every: float | None = None, limit: int | None = None
) -> FetchReport | None:
    """Fetch the mailbox into the secretariat's list, unless another fetch holds it (or,
    with `every`, one started less than `every` seconds ago): then None. The worker's
    schedule, a timer and a person may all start one; they take turns."""
    token = mailbox_fetch_claim(every=every)
    if token is None:
        return None

    def process(raw: bytes, received_at: datetime | None) -> bool:
        new = received_mail_store(raw=raw, received_at=received_at)
        _mailbox_held(token)
        return new

    try:
        return mailbox_fetch(process, limit=limit)
    finally:
        _mailbox_let_go(token)


def mailbox_fetch_scheduled() -> FetchReport | None:
    """The worker's turn, every MAIL_FETCH_INTERVAL seconds."""
    report = mailbox_fetch_run(every=settings.MAIL_FETCH_INTERVAL)
    if report is not None and report.fetched:  # a fetch that stopped early has logged why
        logger.info("Mailbox: %d fetched, %d new", report.fetched, report.new)
    return report


def _secretariat_only(actor) -> None:
    if not getattr(actor, "is_secretariat", False):
        raise PermissionDenied(_("Alleen het secretariaat behandelt binnengekomen e-mail."))


def _locked(mail: ReceivedMail, allowed: set) -> ReceivedMail:
    mail = ReceivedMail.objects.select_for_update().get(pk=mail.pk)
    if mail.status not in allowed:
        raise ValidationError(
            _("Deze e-mail is al verwerkt (%(status)s).")
            % {"status": MailStatus(mail.status).label}
        )
    return mail


def received_mail_register(*, mail: ReceivedMail, actor, **fields) -> Complaint:
    """The secretariat registers the message as a complaint received by e-mail, with the
    date of receipt of the mailbox; every accepted attachment and the original message
    become documents of the complaint."""
    _secretariat_only(actor)
    raw = mail.raw.open("rb").read()
    mail.raw.close()
    parsed = mail_parse(raw)
    accepted, _rows = attachments_checked(parsed)
    original, _reason = original_checked(raw)
    with files_removed_on_failure(), transaction.atomic():
        mail = _locked(mail, {MailStatus.WAITING})
        complaint = complaint_register(
            actor=actor,
            channel=Channel.EMAIL,
            received_at=mail.received_at,
            document=None,
            settled_on_the_spot=False,
            **fields,
        )
        for checked in accepted:
            document_add(
                complaint=complaint,
                checked=checked,
                actor=actor,
                description=_("Bijlage bij de e-mail"),
            )
        if original is not None:
            document_add(
                complaint=complaint,
                checked=original,
                actor=actor,
                description=_("De oorspronkelijke e-mail"),
            )
        mail.status = MailStatus.REGISTERED
        mail.complaint = complaint
        mail.handled_by = actor
        mail.handled_at = timezone.now()
        mail.save(update_fields=["status", "complaint", "handled_by", "handled_at"])
    return complaint


@transaction.atomic
def received_mail_reject(*, mail: ReceivedMail, actor, reason: str) -> ReceivedMail:
    """Not a complaint: the message is kept, with the reason and who decided."""
    _secretariat_only(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf op waarom dit geen klacht is.")})
    mail = _locked(mail, {MailStatus.WAITING, MailStatus.AUTOMATIC})
    mail.status = MailStatus.REJECTED
    mail.reject_reason = reason
    mail.handled_by = actor
    mail.handled_at = timezone.now()
    mail.save(update_fields=["status", "reject_reason", "handled_by", "handled_at"])
    return mail


def _file_delete(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        # The row is gone already; a file left behind is logged for the administrator.
        logger.exception("Retention purge: could not delete mail file %s", name)


def received_mail_purge(*, mail: ReceivedMail) -> bool:
    """Remove a message that never became part of a complaint (rejected, or sent by a
    machine), with its .eml once the removal has committed. Mail that belongs to a complaint
    goes with that complaint's purge instead; mail still waiting is never removed."""
    with transaction.atomic():
        locked = ReceivedMail.objects.select_for_update().filter(pk=mail.pk).first()
        if locked is None or locked.status not in NEVER_A_COMPLAINT or locked.complaint_id:
            return False
        storage, name = locked.raw.storage, locked.raw.name
        locked.delete()
        if name:
            transaction.on_commit(lambda: _file_delete(storage, name))
    return True


def received_mails_purge_due(*, today: date, dry_run: bool = False) -> int:
    """Purge every message that never became part of a complaint and is past its retention
    period; one transaction each. Returns how many were (or, dry run, would be) purged."""
    due = received_mails_due_for_purge(today=today)
    if dry_run:
        return len(due)
    return sum(received_mail_purge(mail=mail) for mail in due)
