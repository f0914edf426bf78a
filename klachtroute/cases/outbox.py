"""The complaint's answers to the outbox (`klachtroute.notifications.complaints`): who may
read a message of a complaint, and the history entry of a delivery outcome."""

from collections.abc import Iterable

from klachtroute.notifications import complaints as outbox
from klachtroute.notifications.models import OutboxMessage

from .events import event_record
from .phrases import Phrase
from .selectors import complaints_visible_to
from .workflow import EventKind

OUTCOME_KINDS = {
    outbox.SENT: EventKind.MESSAGE_SENT,
    outbox.FAILED: EventKind.MESSAGE_FAILED,
    outbox.RETRIED: EventKind.MESSAGE_RETRIED,
}


def visible_ids(user, complaint_ids: Iterable[int]) -> set[int]:
    ids = set(complaint_ids)
    return set(complaints_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def history_note(
    *,
    message: OutboxMessage,
    actor,
    outcome: str,
    text: str,
    text_args: dict | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Record a delivery outcome in the history of the message's complaint, if it has one."""
    if message.complaint is None:
        return
    event_record(
        complaint=message.complaint,
        actor=actor,
        kind=OUTCOME_KINDS[outcome],
        summary=Phrase(text, **(text_args or {})),
        before=before,
        after=after,
    )


def register() -> None:
    outbox.complaint_link_register(
        outbox.ComplaintLink(visible_ids=visible_ids, history_note=history_note)
    )
