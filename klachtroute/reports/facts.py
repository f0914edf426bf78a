"""Computing the roll-up of the annual report (`ComplaintFacts`, see models.py).

`facts_compute(ids)` reads the complaints and what their facts need (extensions, the
escalation events, the director's rulings, the survey) in a fixed number of queries per
batch and writes one row per complaint. The conventions are those of the report
(selectors.py) and of the indicators (indicators.py); `klachtroute/reports/tests/
test_rollup.py` compares the report from these rows with the computation over the
complaints themselves.

- `facts_queue(ids)`: what the cases app's `history_appended` signal calls, in the
  transaction of the change: one upsert.
- `facts_refresh_pending()`: the periodic job's part: the queue in batches, each in a
  transaction of its own.
- `facts_refresh_period(start, end)`: what the report calls first: the pending complaints
  received in the period (or whose facts say so), so that it is never stale.
- `facts_rebuild()`: every complaint again (`manage.py report_figures_rebuild`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from klachtroute.cases.models import Complaint, Event, Extension, Outcome, Ruling
from klachtroute.cases.workflow import EventKind, State
from klachtroute.deadlines import local_date, working_days_between
from klachtroute.organisation.selectors import work_calendar_get
from klachtroute.portal.models import SatisfactionResponse

from .bulk import in_batch, rows_write
from .compliance import verdicts_compute
from .models import ComplaintFacts, FactsPending

BATCH = 1000
ESCALATION_KINDS = (EventKind.ESCALATED_TO_DIRECTOR, EventKind.APPEAL_TO_THIRD_PARTY)

_FIELDS = (
    "pk",
    "received_at",
    "procedure_version_id",
    "category",
    "channel",
    "course_id",
    "course_other",
    "respondent_type",
    "state",
    "outcome",
    "admissible",
    "acknowledge_due",
    "acknowledged_at",
    "settled_at",
    "settle_due",
)


# Every column of the facts, written as plain rows (bulk.py).
FACT_COLUMNS = tuple(
    field.attname for field in ComplaintFacts._meta.concrete_fields if not field.auto_created
)


def facts_queue(complaint_ids: Iterable[int]) -> None:
    """Queue these complaints for a refresh (or move their place in the queue on)."""
    now = timezone.now()
    rows = [FactsPending(complaint_id=pk, queued_at=now) for pk in sorted(set(complaint_ids))]
    if rows:
        FactsPending.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["complaint"], update_fields=["queued_at"]
        )


def facts_compute(complaint_ids: list[int], *, calendar=None) -> int:
    """Compute and write the facts of these complaints (those that still exist); returns
    how many rows were written, with the compliance verdicts of the same complaints
    (compliance.py). A fixed number of queries however many complaints."""
    zone = settings.TIME_ZONE
    calendar = calendar or work_calendar_get()
    closed_states = State.closed_states()
    rows = list(
        Complaint.objects.filter(in_batch("pk", complaint_ids)).order_by("pk").values_list(*_FIELDS)
    )
    ids = [row[0] for row in rows]
    original_due: dict[int, date] = {}
    for complaint_id, previous_due in (
        Extension.objects.filter(in_batch("complaint_id", ids))
        .order_by("complaint_id", "at", "id")
        .values_list("complaint_id", "previous_due")
    ):
        original_due.setdefault(complaint_id, previous_due)
    director_events: set[int] = set()
    third_party: set[int] = set()
    escalated_at: dict[int, datetime] = {}
    for complaint_id, kind, at in (
        Event.objects.filter(in_batch("complaint_id", ids), kind__in=ESCALATION_KINDS)
        .order_by("complaint_id", "at")
        .values_list("complaint_id", "kind", "at")
    ):
        escalated_at.setdefault(complaint_id, at)
        (director_events if kind == EventKind.ESCALATED_TO_DIRECTOR else third_party).add(
            complaint_id
        )
    reasoned_judged = dict(
        Ruling.objects.filter(
            in_batch("complaint_id", ids),
            body=Ruling.Body.HANDLER,
            complaint__outcome=Outcome.REASONED,
        ).values_list("complaint_id", "decision")
    )
    director_rulings = set(
        Ruling.objects.filter(in_batch("complaint_id", ids), body=Ruling.Body.DIRECTOR).values_list(
            "complaint_id", flat=True
        )
    )
    surveys = {
        row[0]: row[1:]
        for row in SatisfactionResponse.objects.filter(
            in_batch("complaint_id", ids), answered_at__isnull=False
        ).values_list("complaint_id", "handling_score", "taken_seriously_score", "informed_on_time")
    }
    now = timezone.now()
    facts = []
    for (
        pk,
        received_at,
        version_id,
        category,
        channel,
        course_id,
        course_other,
        respondent_type,
        state,
        outcome,
        admissible,
        acknowledge_due,
        acknowledged_at,
        settled_at,
        settle_due,
    ) in rows:
        received_on = local_date(received_at, zone)
        acknowledged_on = local_date(acknowledged_at, zone) if acknowledged_at else None
        settled_on = local_date(settled_at, zone) if settled_at else None
        closed = state in closed_states and settled_on is not None
        escalation = escalated_at.get(pk)
        escalated_on = local_date(escalation, zone) if escalation else None
        first_end = escalated_on or (settled_on if closed else None)
        survey = surveys.get(pk)
        facts.append(
            dict(
                complaint_id=pk,
                received_on=received_on,
                procedure_version_id=version_id,
                category=category,
                channel=channel,
                course_id=course_id,
                course_other=course_other,
                respondent_type=respondent_type,
                state=state,
                outcome=outcome,
                judged_outcome=reasoned_judged.get(pk, outcome)
                if outcome == Outcome.REASONED
                else outcome,
                admissible=admissible,
                acknowledge_due=(
                    acknowledge_due if outcome != Outcome.SETTLED_ON_THE_SPOT else None
                ),
                acknowledged_on=acknowledged_on,
                acknowledge_days=(acknowledged_on - received_on).days if acknowledged_on else None,
                settled_on=settled_on,
                settle_days=(settled_on - received_on).days if settled_on else None,
                original_settle_due=original_due.get(pk, settle_due),
                settle_due=settle_due,
                extended=pk in original_due,
                to_director=pk in director_events or pk in director_rulings,
                to_third_party=pk in third_party,
                escalated_on=escalated_on,
                closed=closed,
                first_end=first_end,
                # The two days of a stage for now: its working days are counted for the
                # whole batch at once below.
                first_days=(received_on, first_end) if first_end else None,
                escalation_days=(
                    (escalated_on, settled_on) if escalated_on and closed and settled_on else None
                ),
                survey_answered=survey is not None,
                handling_score=survey[0] if survey else None,
                taken_seriously_score=survey[1] if survey else None,
                informed_on_time=survey[2] if survey else "",
                computed_at=now,
            )
        )
    stages = [
        fact[field] for fact in facts for field in ("first_days", "escalation_days") if fact[field]
    ]
    working_days = working_days_between((day for stage in stages for day in stage), calendar)
    for fact in facts:
        for field in ("first_days", "escalation_days"):
            if fact[field]:
                fact[field] = working_days(*fact[field])
    verdicts_compute(ids)
    rows_write(
        ComplaintFacts,
        FACT_COLUMNS,
        [[fact[column] for column in FACT_COLUMNS] for fact in facts],
        replace_on="complaint_id",
    )
    return len(facts)


def _refresh(pending: list[tuple[int, datetime]], calendar) -> int:
    """Compute the facts of these queued complaints and take them off the queue, unless a
    change queued them again meanwhile (their `queued_at` moved on)."""
    with transaction.atomic():
        facts_compute([pk for pk, _queued in pending], calendar=calendar)
        _unqueue(pending)
    return len(pending)


def _unqueue(pending: list[tuple[int, datetime]]) -> None:
    """Take these complaints off the queue where they are still queued as read."""
    if pending:
        by_moment: dict[datetime, list[int]] = {}  # queued together, mostly
        for pk, queued_at in pending:
            by_moment.setdefault(queued_at, []).append(pk)
        done = Q(pk__in=[])
        for queued_at, ids in by_moment.items():
            done |= Q(in_batch("complaint_id", ids), queued_at=queued_at)
        FactsPending.objects.filter(done).delete()


def facts_refresh_pending(*, batch: int = BATCH, limit: int | None = None) -> int:
    """Work off the queue in batches (one transaction each); returns how many complaints
    were refreshed. The periodic job calls this."""
    calendar = work_calendar_get()
    done = 0
    last = 0
    while limit is None or done < limit:
        pending = list(
            FactsPending.objects.filter(complaint_id__gt=last)
            .order_by("complaint_id")
            .values_list("complaint_id", "queued_at")[:batch]
        )
        if not pending:
            break
        done += _refresh(pending, calendar)
        last = pending[-1][0]
    return done


def facts_refresh_period(*, start: date, end: date) -> int:
    """Refresh the queued complaints received from `start` to `end` (by the complaint or by
    its facts: a corrected date of receipt moves a complaint between periods)."""
    from .selectors import period_bounds

    lower, upper = period_bounds(start, end)
    pending = list(
        FactsPending.objects.filter(
            Q(complaint__received_at__gte=lower, complaint__received_at__lt=upper)
            | Q(
                complaint_id__in=ComplaintFacts.objects.filter(
                    received_on__gte=start, received_on__lte=end
                ).values("complaint_id")
            )
        )
        .order_by("complaint_id")
        .values_list("complaint_id", "queued_at")
    )
    if not pending:
        return 0
    calendar = work_calendar_get()
    for i in range(0, len(pending), BATCH):
        _refresh(pending[i : i + BATCH], calendar)
    return len(pending)


def facts_rebuild(*, batch: int = BATCH, say=None) -> int:
    """Compute the facts of every complaint again, in batches (one transaction each), and
    take them off the queue unless a change queued them again meanwhile."""
    calendar = work_calendar_get()
    done = 0
    last = 0
    while True:
        ids = list(
            Complaint.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        pending = list(
            FactsPending.objects.filter(in_batch("complaint_id", ids)).values_list(
                "complaint_id", "queued_at"
            )
        )
        with transaction.atomic():
            facts_compute(ids, calendar=calendar)
            _unqueue(pending)
        done += len(ids)
        last = ids[-1]
        if say:
            say(done)
    return done


def facts_queue_around(day: date) -> None:
    """A closing day added or removed on `day` changes the working days of every stage that
    spans it: queue those complaints."""
    spanning = ComplaintFacts.objects.filter(received_on__lte=day).filter(
        Q(first_end__gte=day) | Q(settled_on__gte=day)
    )
    ids = list(spanning.values_list("complaint_id", flat=True))
    for i in range(0, len(ids), BATCH):
        facts_queue(ids[i : i + BATCH])
