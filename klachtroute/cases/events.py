"""Appending to a complaint's history.

Every event is hashed and chained to the previous event of its complaint, so that
`manage.py verify_history` can show that no row was edited, removed or reordered.
"""

import json

from django.db import transaction
from django.utils import timezone

from .models import Complaint, Event, event_chain_hash
from .workflow import EventKind


def actor_label(actor) -> str:
    if actor is None:
        return "Systeem"
    return actor.display_name


def _as_stored(value: dict | None) -> dict:
    # Hash exactly what the database will give back (e.g. integer keys become strings).
    return json.loads(json.dumps(value or {}))


def event_record(
    *,
    complaint: Complaint,
    actor,
    kind: EventKind,
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
    actor_label_override: str = "",
) -> Event:
    """Add one event. Call inside the transaction of the change it records."""
    with transaction.atomic():
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
            summary=str(summary)[:500],
            before=_as_stored(before),
            after=_as_stored(after),
        )
        event.content_hash = event.content_hash_compute(complaint_number=locked.number)
        event.chain_hash = event_chain_hash(
            previous=previous or "", content_hash=event.content_hash
        )
        event.save()
        return event
