"""Appending to a complaint's history."""

from django.utils import timezone

from .models import Complaint, Event


def actor_label(actor) -> str:
    if actor is None:
        return "Systeem"
    return actor.display_name


def event_record(
    *,
    complaint: Complaint,
    actor,
    kind: str,
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
    actor_label_override: str = "",
) -> Event:
    """Add one event. Call inside the transaction of the change it records."""
    return Event.objects.create(
        complaint=complaint,
        at=timezone.now(),
        actor=actor,
        actor_label=actor_label_override or actor_label(actor),
        kind=kind,
        summary=str(summary)[:500],
        before=before or {},
        after=after or {},
    )
