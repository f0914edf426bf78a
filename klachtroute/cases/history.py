"""Checking that complaints' histories were not tampered with.

Each complaint's events (ordered by id) form a hash chain: an event's content_hash
covers its own content, its chain_hash covers the previous event's chain_hash plus
its own content_hash. An edited row no longer matches its content_hash; a removed,
inserted or reordered row breaks the chain at the next event. A redacted event (a
retention purge blanked personal data) is exempt from the content check only: the
chain still runs through its stored content_hash.

Known limit: removing a complaint's *last* events leaves a shorter chain that is still
valid; so does removing a complaint with all its events.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from .models import Complaint, Event, event_chain_hash


@dataclass(frozen=True)
class Problem:
    """The first broken link in one complaint's history."""

    complaint_number: str
    event_id: int
    at: datetime
    kind: str
    reason: str

    def __str__(self) -> str:
        return (
            f"complaint {self.complaint_number}: event {self.event_id} "
            f"({timezone.localtime(self.at):%Y-%m-%d %H:%M:%S %Z}, {self.kind}) — {self.reason}"
        )


@dataclass(frozen=True)
class VerifyResult:
    events: int
    complaints: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def _first_break(event: Event, *, number: str, previous_chain: str) -> str:
    """Why this event breaks the chain, or "" when it is sound."""
    if not event.content_hash or not event.chain_hash:
        return "no hash stored"
    if event.redacted_at is None:
        if event.content_hash_compute(complaint_number=number) != event.content_hash:
            return "content changed (its content hash does not match)"
    expected = event_chain_hash(previous=previous_chain, content_hash=event.content_hash)
    if expected != event.chain_hash:
        return "chain broken (an earlier event was removed, inserted or moved, or this hash edited)"
    return ""


def history_verify_result(*, complaint_ids=None) -> VerifyResult:
    """Walk every complaint's chain; report the first broken link of each complaint."""
    complaints = Complaint.objects.order_by("id")
    if complaint_ids is not None:
        complaints = complaints.filter(id__in=complaint_ids)
    problems: list[Problem] = []
    event_count = complaint_count = 0
    # Complaint by complaint keeps memory flat on large installations.
    for complaint_id, number in complaints.values_list("id", "number").iterator():
        events = list(Event.objects.filter(complaint_id=complaint_id).order_by("id"))
        if not events:
            continue
        complaint_count += 1
        event_count += len(events)
        previous_chain = ""
        for event in events:
            reason = _first_break(event, number=number, previous_chain=previous_chain)
            if reason:
                problems.append(
                    Problem(
                        complaint_number=number,
                        event_id=event.pk,
                        at=event.at,
                        kind=event.kind,
                        reason=reason,
                    )
                )
                break
            previous_chain = event.chain_hash
    return VerifyResult(events=event_count, complaints=complaint_count, problems=problems)


def history_verify(*, complaint_ids=None) -> list[Problem]:
    """The first broken link per complaint; an empty list means every history is intact."""
    return history_verify_result(complaint_ids=complaint_ids).problems
