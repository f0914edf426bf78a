"""The annual report and its indicators read from the roll-up (`ComplaintFacts`).

The same figures as `report_build` and `indicators_compute` give over the complaints
themselves (the conventions are written there), from a fixed number of GROUP BY queries over
the facts of the period: the number of queries does not depend on the number of complaints,
and the time grows with the rows of one period only, never with their histories. Before
reading, the complaints of the period still queued are refreshed (facts.py), so the figures
are never stale. Only the measures are read live: they are few and change on their own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.cases.models import Channel, Complaint
from klachtroute.organisation.models import Course
from klachtroute.portal.models import SatisfactionResponse
from klachtroute.procedures.models import ProcedureVersion

from .facts import facts_refresh_period
from .indicators import (
    OUTCOME_GROUPS,
    Indicators,
    IndicatorSet,
    _new_set,
    _of_kind,
    previous_period,
)
from .models import ComplaintFacts
from .selectors import (
    Breakdown,
    Report,
    Row,
    Satisfaction,
    Share,
    _add,
    _category_label,
    _choice_label,
    _count_by,
    _course_label,
    _measures,
    _open_label,
    _rows,
    lead_times_of,
    respondent_outcome_admissibility_counts,
)
from .tiles import report_fit


def facts_in_period(*, start: date, end: date) -> QuerySet[ComplaintFacts]:
    return ComplaintFacts.objects.filter(received_on__gte=start, received_on__lte=end).order_by()


def _histogram(facts: QuerySet[ComplaintFacts], field: str) -> list[int]:
    """The values of `field` (not empty), each as often as it occurs, from one GROUP BY."""
    values: list[int] = []
    for value, n in (
        facts.filter(**{f"{field}__isnull": False})
        .values_list(field)
        .annotate(n=Count("pk"))
        .order_by(field)
    ):
        values += [value] * n
    return values


def _course_names(ids) -> dict[int, str]:
    return dict(Course.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))


def report_from_facts(
    *,
    start: date,
    end: date,
    indicators: bool = True,
    channels: tuple[str, ...] | None = None,
    anonymous: bool = False,
) -> Report:
    """The annual report over the complaints received from `start` to `end` (inclusive),
    with the indicators against the previous period (`indicators`); only those that came
    in through `channels` when given. `anonymous` as in `report_build`."""
    facts_refresh_period(start=previous_period(start, end)[0] if indicators else start, end=end)
    facts = facts_in_period(start=start, end=end)
    if channels is not None:
        facts = facts.filter(channel__in=channels)

    by_category = _count_by(facts, "procedure_version_id", "category")
    versions = ProcedureVersion.objects.select_related("procedure").in_bulk(
        {row["procedure_version_id"] for row in by_category}
    )
    categories: dict[str, int] = {}
    exam = 0
    for row in by_category:
        version = versions.get(row["procedure_version_id"])
        _add(categories, _category_label(version, row["category"]), row["n"])
        if version is not None and row["category"]:
            routed = {c.code for c in version.spec.categories if c.route == "exam_committee"}
            exam += row["n"] if row["category"] in routed else 0

    channels: dict[str, int] = {}
    for row in _count_by(facts, "channel"):
        _add(channels, _choice_label(Channel, row["channel"], _("Onbekend")), row["n"])

    by_course = _count_by(facts, "course_id", "course_other")
    names = _course_names({row["course_id"] for row in by_course})
    courses: dict[str, int] = {}
    for row in by_course:
        name = names.get(row["course_id"]) if row["course_id"] else None
        _add(courses, _course_label(name, row["course_other"], anonymous), row["n"])

    respondents, outcomes, admissibility = respondent_outcome_admissibility_counts(facts)

    total = sum(categories.values())
    closed = sum(n for label, n in outcomes.items() if label != _open_label())

    today = timezone.localdate()
    answered = Q(survey_answered=True)
    ack_due = Q(acknowledge_due__isnull=False)
    settle_due = Q(original_settle_due__isnull=False)
    sums = facts.aggregate(
        ack_met=Count("pk", filter=ack_due & Q(acknowledged_on__lte=F("acknowledge_due"))),
        ack_counted=Count(
            "pk",
            filter=ack_due & (Q(acknowledged_on__isnull=False) | Q(acknowledge_due__lt=today)),
        ),
        settle_met=Count("pk", filter=settle_due & Q(settled_on__lte=F("original_settle_due"))),
        settle_counted=Count(
            "pk",
            filter=settle_due & (Q(settled_on__isnull=False) | Q(original_settle_due__lt=today)),
        ),
        n_extended=Count("pk", filter=Q(extended=True)),
        n_to_director=Count("pk", filter=Q(to_director=True)),
        n_to_third_party=Count("pk", filter=Q(to_third_party=True)),
        responses=Count("pk", filter=answered),
        handling=Avg("handling_score", filter=answered),
        serious=Avg("taken_seriously_score", filter=answered),
    )
    to_acknowledge = _histogram(facts, "acknowledge_days")
    to_settle = _histogram(facts, "settle_days")

    satisfaction = Satisfaction()
    if sums["responses"]:
        informed = dict(
            facts.filter(answered).values_list("informed_on_time").annotate(n=Count("pk"))
        )
        choices = SatisfactionResponse.InformedOnTime
        satisfaction = Satisfaction(
            responses=sums["responses"],
            questions=[
                Row(
                    _("Tevredenheid over de behandeling (gemiddeld, 1-5)"),
                    round(sums["handling"], 1),
                ),
                Row(_("Serieus genomen (gemiddeld, 1-5)"), round(sums["serious"], 1)),
                *(
                    Row(
                        _("Op tijd op de hoogte gehouden: %(answer)s")
                        % {"answer": choice.label.lower()},
                        informed.get(choice.value, 0),
                    )
                    for choice in (choices.YES, choices.PARTLY, choices.NO)
                ),
            ],
        )
    measures, measures_total, measures_overdue = _measures(
        Complaint.objects.filter(pk__in=facts.values("complaint_id"))
    )
    report = Report(
        start=start,
        end=end,
        total=total,
        open=total - closed,
        closed=closed,
        breakdowns=[
            Breakdown("category", _("Categorie"), _rows(categories)),
            Breakdown("channel", _("Kanaal"), _rows(channels)),
            Breakdown("course", _("Opleiding"), _rows(courses)),
            Breakdown("respondent_type", _("Beklaagde"), _rows(respondents)),
            Breakdown("outcome", _("Uitkomst"), _rows(outcomes)),
            Breakdown("admissibility", _("Ontvankelijkheid"), _rows(admissibility)),
        ],
        lead_times=lead_times_of(to_acknowledge, to_settle),
        shares=[
            Share(
                "acknowledged_on_time", _("Op tijd bevestigd"), sums["ack_met"], sums["ack_counted"]
            ),
            Share(
                "settled_within_term",
                _("Afgehandeld binnen de oorspronkelijke termijn (4 weken)"),
                sums["settle_met"],
                sums["settle_counted"],
            ),
        ],
        extended=sums["n_extended"],
        escalations=[
            Row(_("Naar de directeur"), sums["n_to_director"], "director"),
            Row(_("Naar de onafhankelijke derde"), sums["n_to_third_party"], "third_party"),
            Row(_("Naar de examencommissie"), exam, "exam_committee"),
        ],
        measures=measures,
        measures_total=measures_total,
        measures_overdue=measures_overdue,
        satisfaction=satisfaction,
    )
    if indicators:
        report.indicators = indicators_from_facts(start=start, end=end, refreshed=(start, end))
    report_fit(report, list(versions.values()))
    return report


# The indicators

_DIMENSIONS = ("course_id", "course_other", "procedure_version_id", "category")
Keys = Callable[[tuple], list[tuple[object, str]]]


def _sets_from_facts(
    facts: QuerySet[ComplaintFacts], per_group: bool
) -> dict[object, IndicatorSet]:
    """The indicator sets over these facts: all complaints, and (`per_group`) per course and
    per category, labelled as the indicators label them (equal labels count together)."""
    dims = _DIMENSIONS if per_group else ()
    answered = Q(survey_answered=True, handling_score__isnull=False)
    first = Q(first_end__isnull=False)
    counts = dict(
        n_received=Count("pk"),
        n_closed=Count("pk", filter=Q(closed=True)),
        n_first_stage_closed=Count("pk", filter=Q(closed=True, escalated_on__isnull=True)),
        n_extended=Count("pk", filter=Q(extended=True)),
        n_score_sum=Sum("handling_score", filter=answered),
        n_score_n=Count("pk", filter=answered),
        n_first_ended=Count("pk", filter=first),
        n_first_counted=Count("pk", filter=first & Q(settle_due__isnull=False)),
        n_first_within=Count("pk", filter=first & Q(first_end__lte=F("settle_due"))),
        n_second_ended=Count("pk", filter=Q(escalation_days__isnull=False)),
    )
    named = [outcome for group in OUTCOME_GROUPS.values() for outcome in group]
    for group, group_outcomes in OUTCOME_GROUPS.items():
        counts[f"n_outcome_{group}"] = Count(
            "pk", filter=Q(closed=True, judged_outcome__in=group_outcomes)
        )
    counts["n_outcome_other"] = Count("pk", filter=Q(closed=True) & ~Q(judged_outcome__in=named))
    if dims:
        rows = list(facts.values(*dims).annotate(**counts).order_by(*dims))
    else:
        rows = [facts.aggregate(**counts)]
    first_days = list(
        facts.filter(first_days__isnull=False)
        .values(*dims, "first_days")
        .annotate(n=Count("pk"))
        .order_by(*dims, "first_days")
    )
    second_days = list(
        facts.filter(escalation_days__isnull=False)
        .values(*dims, "escalation_days")
        .annotate(n=Count("pk"))
        .order_by(*dims, "escalation_days")
    )
    if per_group:
        names = _course_names({row["course_id"] for row in rows})
        versions = ProcedureVersion.objects.in_bulk({row["procedure_version_id"] for row in rows})

    def keys(row: dict) -> list[tuple[object, str]]:
        found: list[tuple[object, str]] = [("all", _("Alle klachten"))]
        if per_group:
            name = names.get(row["course_id"]) if row["course_id"] else ""
            course = _course_label(name, row["course_other"], False)
            category = _category_label(versions.get(row["procedure_version_id"]), row["category"])
            found += [(("course", course), course), (("category", category), category)]
        return found

    sets: dict[object, IndicatorSet] = {}
    scores: dict[object, list[int]] = {}
    for row in rows:
        for key, label in keys(row):
            s = sets.setdefault(key, _new_set(label))
            s.received += row["n_received"]
            s.closed += row["n_closed"]
            s.first_stage_closed += row["n_first_stage_closed"]
            s.extended += row["n_extended"]
            if row["n_score_n"]:
                total = scores.setdefault(key, [0, 0])
                total[0] += row["n_score_sum"]
                total[1] += row["n_score_n"]
            stage = s.stage("first")
            stage.ended += row["n_first_ended"]
            stage.counted += row["n_first_counted"]
            stage.within += row["n_first_within"]
            s.stage("escalation").ended += row["n_second_ended"]
            for group in (*OUTCOME_GROUPS, "other"):
                if row[f"n_outcome_{group}"]:
                    s.outcomes[group] = s.outcomes.get(group, 0) + row[f"n_outcome_{group}"]
    for stage_key, field, days in (
        ("first", "first_days", first_days),
        ("escalation", "escalation_days", second_days),
    ):
        for row in days:
            for key, _label in keys(row):
                sets[key].stage(stage_key).days += [row[field]] * row["n"]
    for key, (score_sum, n) in scores.items():
        sets[key].satisfaction = round(score_sum / n, 1)
    return sets


def indicators_from_facts(
    *, start: date, end: date, refreshed: tuple[date, date] | None = None
) -> Indicators:
    """The indicators (indicators.py) over the period and the one before it. `refreshed`:
    the caller refreshed the queued complaints of both already (the report does)."""
    previous_start, previous_end = previous_period(start, end)
    if refreshed is None:
        facts_refresh_period(start=previous_start, end=end)
    sets = _sets_from_facts(facts_in_period(start=start, end=end), per_group=True)
    before = _sets_from_facts(facts_in_period(start=previous_start, end=previous_end), False)
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
