"""Appending to a complaint's history.

Every event is hashed and chained to the previous event of its complaint, so that
`manage.py verify_history` can show that no row was edited, removed or reordered.

What happened is given as a `Phrase` (cases/phrases.py), never as a finished sentence:
the history is read in the reader's language, whoever wrote it in whichever language.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django.db import transaction
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
    if not value:
        return {}
    return json.loads(json.dumps(value))


def _phrase_fields(phrase: Phrase, complaint: Complaint, summaries: dict | None = None) -> dict:
    """The event's message, its arguments and its summary (the sentence in Dutch: call it
    with Dutch active, `translation.override("nl")`, once for however many events).
    `summaries` remembers the summaries of a batch by message, arguments and procedure
    version: all a summary reads of its complaint is a category's label in its version."""
    if not isinstance(phrase, Phrase):
        raise TypeError(
            "An event's text is a Phrase (klachtroute.cases.phrases), not a finished "
            f"sentence: got {type(phrase).__name__}."
        )
    message, args = phrase.stored()
    # Hash exactly what the database will give back (see `_as_stored`).
    text = json.dumps(args) if args else ""
    key = (message, text, complaint.procedure_version_id)
    summary = summaries.get(key) if summaries is not None else None
    if summary is None:
        summary = phrase.render(complaint=complaint)[:500]
        if summaries is not None:
            summaries[key] = summary
    return {
        "message": message,
        "message_args": json.loads(text) if text else {},
        "summary": summary,
    }


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
    with translation.override("nl"):
        phrase = _phrase_fields(summary, complaint)
    event = Event(
        complaint=complaint,
        at=timezone.now(),
        actor=actor,
        actor_label=actor_label_override or actor_label(actor),
        kind=str(kind),
        **phrase,
        before=_as_stored(before),
        after=_as_stored(after),
    )
    held = _held.get()
    if held is not None and complaint.pk in held:
        # A new complaint's history waits for its number (`history_held`).
        held[complaint.pk].append(event)
        return event
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
        event.at = timezone.now()  # the moment it joins the chain
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
    held = _held.get()
    if held is not None and any(item.complaint.pk in held for item in items):
        raise RuntimeError("A complaint whose history is held gets its events one by one.")
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
        now, label = timezone.now(), actor_label(actor)
        events: list[Event] = []
        summaries: dict = {}
        with translation.override("nl"):  # the summaries in Dutch, switched to once
            for complaint, kind, summary, after, before in items:
                event = Event(
                    complaint=complaint,
                    at=now,
                    actor=actor,
                    actor_label=label,
                    kind=str(kind),
                    **_phrase_fields(summary, complaint, summaries),
                    before=_as_stored(before),
                    after=_as_stored(after),
                )
                event.content_hash = event.content_hash_compute(
                    complaint_number=numbers[complaint.pk]
                )
                event.chain_hash = event_chain_hash(
                    previous=heads.get(complaint.pk, ""), content_hash=event.content_hash
                )
                heads[complaint.pk] = event.chain_hash
                events.append(event)
        history_appended.send(sender=Event, complaint_ids=ids)
        return Event.objects.bulk_create(events)


# The complaints being registered in this thread whose events wait for their number.
_held: ContextVar[dict[int, list[Event]] | None] = ContextVar("history_held", default=None)


@contextmanager
def history_held(complaint: Complaint) -> Iterator[None]:
    """While a new complaint carries a placeholder for its number (registration draws the
    number last, services/numbering.py), `event_record` keeps its events in memory instead
    of writing them; `held_events_write` writes them with the number, hashed and chained,
    at once. A registration that fails leaves nothing held."""
    held = _held.get()
    token = _held.set({**(held or {}), complaint.pk: []})
    try:
        yield
        if _held.get().get(complaint.pk):  # type: ignore[union-attr]
            raise RuntimeError("The history of a new complaint was held and never written.")
    finally:
        _held.reset(token)


def _replaced(value, placeholder: str, number: str):
    # The placeholder is "~" and hexadecimal digits: nothing JSON escapes.
    return json.loads(json.dumps(value).replace(placeholder, number))


def held_events_write(complaint: Complaint, *, placeholder: str, number: str) -> list[Event]:
    """Write the events held for a new complaint (`history_held`), in the order they were
    recorded, each with `number` where the placeholder was, hashed and chained from the
    start of its history, in one insert."""
    held = _held.get()
    assert held is not None and complaint.pk in held, "the complaint's history is not held"
    events, held[complaint.pk] = held[complaint.pk], []
    previous = ""
    for event in events:
        event.summary = event.summary.replace(placeholder, number)
        event.message_args = _replaced(event.message_args, placeholder, number)
        event.before = _replaced(event.before, placeholder, number)
        event.after = _replaced(event.after, placeholder, number)
        event.content_hash = event.content_hash_compute(complaint_number=number)
        event.chain_hash = event_chain_hash(previous=previous, content_hash=event.content_hash)
        previous = event.chain_hash
    history_appended.send(sender=Event, complaint_ids=[complaint.pk])
    return Event.objects.bulk_create(events)
