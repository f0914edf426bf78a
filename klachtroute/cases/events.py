"""Appending to a complaint's history.

Every event is hashed and chained to the previous event of its complaint, so that
`manage.py verify_history` can show that no row was edited, removed or reordered.

What happened is given as a `Phrase` (cases/phrases.py), never as a finished sentence:
the history is read in the reader's language, whoever wrote it in whichever language.
"""

import json
from typing import NamedTuple

from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone, translation

from .hashing import event_chain_hash
from .models import Complaint, Event
from .phrases import Phrase
from .signals import history_appended
from .workflow import EventKind


def actor_label(actor) -> str:
    if actor is None:
        return "Systeem"
    return actor.display_name


def _as_stored(value: dict | None) -> dict:
    # Hash exactly what the database will give back (e.g. integer keys become strings).
    return json.loads(json.dumps(value or {}))


def _phrase_fields(phrase: Phrase, complaint: Complaint) -> dict:
    """The event's message, its arguments and its summary (the sentence in Dutch)."""
    if not isinstance(phrase, Phrase):
        raise TypeError(
            "An event's text is a Phrase (klachtroute.cases.phrases), not a finished "
            f"sentence: got {type(phrase).__name__}."
        )
    message, args = phrase.stored()
    with translation.override("nl"):
        summary = phrase.render(complaint=complaint)
    return {"message": message, "message_args": _as_stored(args), "summary": summary[:500]}


def event_record(
    *,
    complaint: Complaint,
    actor,
    kind: EventKind,
    summary: Phrase,
    before: dict | None = None,
    after: dict | None = None,
    actor_label_override: str = "",
) -> Event:
    """Add one event. Call inside the transaction of the change it records."""
    text = _phrase_fields(summary, complaint)
    # No savepoint of its own: it is part of its cause's transaction, which fails as a whole.
    with transaction.atomic(savepoint=False):
        # Writers of one complaint's history queue up here, so the chain cannot fork.
        locked = Complaint.objects.select_for_update().filter(pk=complaint.pk).first()
        previous = (
            Event.objects.filter(complaint_id=complaint.pk)
            .order_by("-id")
            .values_list("chain_hash", flat=True)
            .first()
        )
        event = Event(
            complaint=complaint,
            at=timezone.now(),
            actor=actor,
            actor_label=actor_label_override or actor_label(actor),
            kind=str(kind),
            **text,
            before=_as_stored(before),
            after=_as_stored(after),
        )
        event.content_hash = event.content_hash_compute(complaint_number=locked.number)
        event.chain_hash = event_chain_hash(
            previous=previous or "", content_hash=event.content_hash
        )
        event.save()
        history_appended.send(sender=Event, complaint_ids=[complaint.pk])
        return event


class NewEvent(NamedTuple):
    """One event of `events_record_many`: a plain tuple (complaint, kind, phrase, after)
    will do, with the state before as a fifth element where the event records a change."""

    complaint: Complaint
    kind: str
    summary: Phrase
    after: dict | None
    before: dict | None = None


def events_record_many(*, items: list[tuple] | list[NewEvent], actor=None) -> list[Event]:
    """Add one event by `actor` (None: the system) per item (complaint, kind, phrase, after and,
    optionally, before; see `NewEvent`), hashed and chained exactly as `event_record` does,
    in four queries however many: the complaints are locked together, their chain heads
    read at once, the events inserted at once (in the order given, so several events of one
    complaint chain in that order). Call inside the transaction of the changes they record."""
    if not items:
        return []
    items = [NewEvent(*item) for item in items]
    ids = sorted({item.complaint.pk for item in items})
    with transaction.atomic(savepoint=False):
        numbers = dict(
            Complaint.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "number")
        )
        last_ids = (
            Event.objects.filter(complaint_id__in=ids)
            .values("complaint_id")
            .annotate(last=Max("id"))
            .values("last")
        )
        heads = dict(
            Event.objects.filter(pk__in=last_ids).values_list("complaint_id", "chain_hash")
        )
        now = timezone.now()
        events = []
        for complaint, kind, summary, after, before in items:
            event = Event(
                complaint=complaint,
                at=now,
                actor=actor,
                actor_label=actor_label(actor),
                kind=str(kind),
                **_phrase_fields(summary, complaint),
                before=_as_stored(before),
                after=_as_stored(after),
            )
            event.content_hash = event.content_hash_compute(complaint_number=numbers[complaint.pk])
            event.chain_hash = event_chain_hash(
                previous=heads.get(complaint.pk, ""), content_hash=event.content_hash
            )
            heads[complaint.pk] = event.chain_hash
            events.append(event)
        history_appended.send(sender=Event, complaint_ids=ids)
        return Event.objects.bulk_create(events)


_RENUMBER_SQL = (
    'UPDATE "cases_event" SET "summary" = %s, "message_args" = %s, "before" = %s, '
    '"after" = %s, "content_hash" = %s, "chain_hash" = %s WHERE "id" = %s'
)


def _replaced(value, placeholder: str, number: str):
    # The placeholder is "~" and hexadecimal digits: nothing JSON escapes.
    return json.loads(json.dumps(value).replace(placeholder, number))


def events_number_replace(*, events: list[Event], placeholder: str, number: str) -> None:
    """A new complaint's history was recorded while it carried a placeholder for its
    number (registration draws the number last, services/numbering.py): write the number
    in its place and hash and chain every event again, in one update. `events` is the
    whole history of the complaint, in order, all of it written in this transaction."""
    previous = ""
    for event in events:
        event.summary = event.summary.replace(placeholder, number)
        event.message_args = _replaced(event.message_args, placeholder, number)
        event.before = _replaced(event.before, placeholder, number)
        event.after = _replaced(event.after, placeholder, number)
        event.content_hash = event.content_hash_compute(complaint_number=number)
        event.chain_hash = event_chain_hash(previous=previous, content_hash=event.content_hash)
        previous = event.chain_hash
    # Written past the append-only save(), as the history's own writer, in plain SQL: this
    # runs while the registration holds the year's counter (bulk_update's CASE takes longer
    # to build than to run).
    as_json = Event._meta.get_field("after")
    assert isinstance(as_json, models.JSONField)  # as message_args and before
    rows = [
        (
            event.summary,
            *(
                as_json.get_db_prep_save(value, connection)
                for value in (event.message_args, event.before, event.after)
            ),
            event.content_hash,
            event.chain_hash,
            event.pk,
        )
        for event in events
    ]
    with connection.cursor() as cursor:
        cursor.executemany(_RENUMBER_SQL, rows)
