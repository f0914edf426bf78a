"""Writes about letters: the secretariat has posted one."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from klachtroute.cases.events import event_record
from klachtroute.cases.phrases import Phrase
from klachtroute.cases.workflow import EventKind
from klachtroute.notifications.models import OutboxMessage, OutboxStatus

if TYPE_CHECKING:
    from klachtroute.accounts.models import User


@transaction.atomic
def letter_mark_posted(*, message: OutboxMessage, actor: "User | None") -> bool:
    """The letter has been printed and posted. Returns False when it was not waiting to be
    posted (already marked, or an e-mail): nothing changes then, so a second click is
    harmless."""
    now = timezone.now()
    updated = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.TO_POST).update(
        status=OutboxStatus.POSTED, sent_at=now
    )
    if not updated:
        return False
    message.status, message.sent_at = OutboxStatus.POSTED, now
    if message.complaint:
        event_record(
            complaint=message.complaint,
            actor=actor,
            kind=EventKind.LETTER_POSTED,
            summary=Phrase("Brief per post verstuurd: %(subject)s", subject=message.subject),
            before={"message": message.pk, "status": OutboxStatus.TO_POST},
            after={
                "message": message.pk,
                "status": OutboxStatus.POSTED,
                "kind": message.kind,
                "recipient": message.recipient_name,
            },
        )
    return True
