"""Indicators of complaint handling for the annual report and the API.

For the complaints received in a period, and the same for the period of equal length just
before it:

- per stage: the first handling (from receipt to closing, or to escalation) and the
  escalation (from escalation to closing, to the director or the independent third party):
  how many ended, the share that ended within the stage's period, and the average and
  median number of working days;
- the share of closed complaints settled at the first stage;
- the outcome in five groups (well-founded, partly, unfounded, settled by agreement,
  withdrawn) and the rest;
- how many complaints had their period extended;
- the average satisfaction with the handling (1-5);

overall, per course and per category.

Conventions: working days are counted with the organisation's calendar, after the day the
stage began up to and including the day it ended. The first stage's period is the
settlement deadline the deadline module keeps on the complaint (an extension told in time
moves it). An escalation begins with the first `escalated_to_director` or
`appeal_to_third_party` event; the procedure definitions set no period for that stage, so
its share within the period is not given.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from klachtroute.cases.models import Complaint, Event, Extension, Outcome, Ruling
from klachtroute.cases.workflow import State
from klachtroute.deadlines import local_date, working_days_left
from klachtroute.organisation.selectors import work_calendar_get

from .selectors import _category_label, _course_label, complaints_in_period

ESCALATION_KINDS = ("escalated_to_director", "appeal_to_third_party")

# The outcome groups of the indicators: every outcome that is not named goes to "other".
OUTCOME_GROUPS: dict[str, tuple[str, ...]] = {
    "founded": (Outcome.FOUNDED,),
    "partly_founded": (Outcome.PARTLY_FOUNDED,),
    "unfounded": (Outcome.UNFOUNDED,),
    "agreed": (
        Outcome.SETTLED_ON_THE_SPOT,
        Outcome.SOLUTION_APPROVED,
        Outcome.FINDINGS_ACCEPTED,
    ),
    "withdrawn": (Outcome.WITHDRAWN,),
}


def _outcome_labels() -> dict[str, str]:
    return {
        "founded": _("Gegrond"),
        "partly_founded": _("Deels gegrond"),
        "unfounded": _("Ongegrond"),
        "agreed": _("Opgelost in overleg"),
        "withdrawn": _("Ingetrokken"),
        "other": _("Anders (niet ontvankelijk, bindend advies, examencommissie, …)"),
    }


def _group_of(outcome: str) -> str:
    return next((k for k, outcomes in OUTCOME_GROUPS.items() if outcome in outcomes), "other")


@dataclass
class Stage:
    key: str  # "first" or "escalation"
    title: str
    ended: int = 0
    within: int = 0
    counted: int = 0  # stages with a period that ended
    days: list[int] = field(default_factory=list, repr=False)

    @property
    def percent_within(self) -> float | None:
        return round(100 * self.within / self.counted, 1) if self.counted else None

    @property
    def mean_days(self) -> float | None:
        return round(statistics.fmean(self.days), 1) if self.days else None

    @property
    def median_days(self) -> float | None:
        return round(float(statistics.median(self.days)), 1) if self.days else None


@dataclass
class IndicatorSet:
    """The indicators over one group of complaints."""

    label: str
    received: int = 0
    closed: int = 0
    first_stage_closed: int = 0
    extended: int = 0
    satisfaction: float | None = None
    outcomes: dict[str, int] = field(default_factory=dict)
    stages: list[Stage] = field(default_factory=list)

    @property
    def percent_first_stage(self) -> float | None:
        return round(100 * self.first_stage_closed / self.closed, 1) if self.closed else None

    def stage(self, key: str) -> Stage:
        return next(s for s in self.stages if s.key == key)

    def outcome_rows(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.outcomes.get(key, 0)) for key, label in _outcome_labels().items()]


@dataclass
class Indicators:
    start: date
    end: date
    previous_start: date
    previous_end: date
    overall: IndicatorSet
    previous: IndicatorSet
    per_course: list[IndicatorSet]
    per_category: list[IndicatorSet]

    @property
    def groups(self) -> list[tuple[str, list[IndicatorSet]]]:
        return [
            (_("Kengetallen per opleiding"), self.per_course),
            (_("Kengetallen per categorie"), self.per_category),
        ]


def _month_start(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, 1)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period just before: as many whole months when the period is whole months (the
    previous year for a calendar year), otherwise as many days."""
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        previous_start = _month_start(start.year, start.month - months)
        return previous_start, start - timedelta(days=1)
    previous_end = start - timedelta(days=1)
    return previous_end - (end - start), previous_end


def _new_set(label: str) -> IndicatorSet:
    return IndicatorSet(
        label=label,
        stages=[
            Stage("first", _("Eerste behandeling")),
            Stage("escalation", _("Escalatie (directeur of onafhankelijke derde)")),
        ],
    )


def _sets_over(qs: QuerySet[Complaint], keys) -> dict[object, IndicatorSet]:
    """Indicator sets over `qs`, one per key that `keys(complaint)` gives (a complaint may
    count in one set per key returned)."""
    zone = settings.TIME_ZONE
    calendar = work_calendar_get()
    closed_states = State.closed_states()
    complaints = list(qs.select_related("course", "procedure_version").order_by("pk"))
    ids = [c.pk for c in complaints]
    escalated_at: dict[int, object] = {}
    for complaint_id, at in (
        Event.objects.filter(complaint_id__in=ids, kind__in=ESCALATION_KINDS)
        .order_by("complaint_id", "at")
        .values_list("complaint_id", "at")
    ):
        escalated_at.setdefault(complaint_id, at)
    # A reasoned outcome (Awb) holds its judgement on the handler's ruling: it counts in the
    # group of that judgement (well-founded, partly, unfounded), not as "other".
    reasoned = [c.pk for c in complaints if c.outcome == Outcome.REASONED]
    judged = (
        dict(
            Ruling.objects.filter(complaint_id__in=reasoned, body=Ruling.Body.HANDLER).values_list(
                "complaint_id", "decision"
            )
        )
        if reasoned
        else {}
    )
    extended = set(
        Extension.objects.filter(complaint_id__in=ids).values_list("complaint_id", flat=True)
    )
    from klachtroute.portal.models import SatisfactionResponse

    scores: dict[int, int] = dict(
        SatisfactionResponse.objects.filter(
            complaint_id__in=ids, answered_at__isnull=False, handling_score__isnull=False
        ).values_list("complaint_id", "handling_score")
    )

    sets: dict[object, IndicatorSet] = {}
    score_lists: dict[object, list[int]] = {}
    for c in complaints:
        received_on = local_date(c.received_at, zone)
        closed = c.state in closed_states and c.settled_at is not None
        settled_on = local_date(c.settled_at, zone) if closed else None
        escalation = escalated_at.get(c.pk)
        escalated_on = local_date(escalation, zone) if escalation else None
        for key, label in keys(c):
            s = sets.setdefault(key, _new_set(label))
            s.received += 1
            s.extended += c.pk in extended
            if c.pk in scores:
                score_lists.setdefault(key, []).append(scores[c.pk])
            if closed:
                s.closed += 1
                s.first_stage_closed += escalated_on is None
                group = _group_of(
                    judged.get(c.pk, c.outcome) if c.outcome == Outcome.REASONED else c.outcome
                )
                s.outcomes[group] = s.outcomes.get(group, 0) + 1
            first_end = escalated_on or settled_on
            if first_end is not None:
                first = s.stage("first")
                first.ended += 1
                first.days.append(working_days_left(received_on, first_end, calendar))
                if c.settle_due is not None:
                    first.counted += 1
                    first.within += first_end <= c.settle_due
            if escalated_on is not None and settled_on is not None:
                second = s.stage("escalation")
                second.ended += 1
                second.days.append(working_days_left(escalated_on, settled_on, calendar))
    for key, values in score_lists.items():
        sets[key].satisfaction = round(statistics.fmean(values), 1)
    return sets


def _groups_of(c: Complaint) -> list[tuple[object, str]]:
    """The sets a complaint counts in: all complaints, its course and its category."""
    course = _course_label(c.course.name if c.course else "", c.course_other, False)
    category = _category_label(c.procedure_version, c.category)
    return [
        ("all", _("Alle klachten")),
        (("course", course), course),
        (("category", category), category),
    ]


def _of_kind(sets: dict[object, IndicatorSet], kind: str) -> list[IndicatorSet]:
    found = [s for key, s in sets.items() if isinstance(key, tuple) and key[0] == kind]
    return sorted(found, key=lambda s: (-s.received, s.label))


def indicators_build(*, start: date, end: date) -> Indicators:
    """The indicators over the complaints received from `start` to `end`, and over the
    period of equal length before it. One pass per period: the number of queries does not
    depend on the number of complaints."""
    previous_start, previous_end = previous_period(start, end)
    sets = _sets_over(complaints_in_period(start=start, end=end), _groups_of)
    before = _sets_over(
        complaints_in_period(start=previous_start, end=previous_end),
        lambda c: [("all", _("Alle klachten"))],
    )
    return Indicators(
        start=start,
        end=end,
        previous_start=previous_start,
        previous_end=previous_end,
        overall=sets.get("all") or _new_set(_("Alle klachten")),
        previous=before.get("all") or _new_set(_("Alle klachten")),
        per_course=_of_kind(sets, "course"),
        per_category=_of_kind(sets, "category"),
    )
