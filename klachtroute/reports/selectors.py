"""The annual report (LSR-8a, LSR-3) and the trainers' review (LSR-8b): reads only.

`annual_report(start=, end=)` counts the complaints received in a period, by the local
date (Europe/Amsterdam) of `received_at`, both ends included. Counts are aggregated in
the database (one GROUP BY per breakdown); lead times and on-time shares need one narrow
row per complaint, fetched in a single query. The number of queries does not depend on
the number of complaints.

Conventions, so that a reader of the report can check the numbers:

- Lead times are whole calendar days between the local date of receipt and the local
  date of the acknowledgement or of closing (the day of receipt is day 0). The median is
  `statistics.median`; the 90th percentile is `statistics.quantiles(..., n=10,
  method="inclusive")[8]`, the same linear interpolation as Excel's PERCENTILE.INC. With
  one value both are that value.
- "Acknowledged on time": among complaints with an acknowledgement deadline, the local
  date of `acknowledged_at` is on or before `acknowledge_due`. Complaints settled on the
  spot need no acknowledgement and are left out; an unacknowledged complaint counts as
  late once its deadline has passed and is left out before that.
- "Settled within 4 weeks": the local date of `settled_at` is on or before the original
  settlement deadline, the one before any extension (the first extension's
  `previous_due`, else `settle_due`). An open complaint counts as not settled in time once
  that original deadline has passed and is left out before that.
- Escalations: to the director (an `escalated_to_director` event or a ruling by the
  director), to the independent third party (an `appeal_to_third_party` event), to the
  exam committee (a category the procedure version routes there).
"""

import statistics
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from klachtroute.cases.models import (
    Channel,
    Complaint,
    Event,
    Extension,
    Outcome,
    RespondentType,
    Ruling,
)
from klachtroute.cases.selectors import categories_with_respondent_role, routed_to_exam_committee
from klachtroute.cases.workflow import EventKind, State
from klachtroute.deadlines import local_date
from klachtroute.measures.models import Measure
from klachtroute.portal.models import SatisfactionResponse
from klachtroute.privacy.anonymity import party_data_found
from klachtroute.procedures.models import ProcedureVersion


@dataclass
class Row:
    """One line of a table: a label and a number."""

    label: str
    value: int | float | None
    key: str = ""  # what the row counts, where the report leaves rows out (tiles.py)


@dataclass
class Breakdown:
    """Complaints counted by one property; the rows add up to the report's total."""

    key: str
    title: str
    rows: list[Row]

    @property
    def total(self) -> int | float:
        return sum(row.value or 0 for row in self.rows)


@dataclass
class LeadTime:
    key: str
    title: str
    count: int
    median: float | None
    p90: float | None


@dataclass
class Share:
    key: str
    title: str
    met: int
    counted: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.met / self.counted, 1) if self.counted else None


@dataclass
class Satisfaction:
    """The satisfaction survey's results, for the complaints in the
    report: the number of answered surveys, the average of the two 1-5 scores and how
    often each answer to "kept informed on time" was given. Only these aggregates; the
    complainants' comments never appear in a report."""

    responses: int = 0
    questions: list[Row] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.responses > 0


@dataclass
class Report:
    start: date
    end: date
    total: int
    open: int
    closed: int
    breakdowns: list[Breakdown]
    lead_times: list[LeadTime]
    shares: list[Share]
    extended: int
    escalations: list[Row]
    measures: list[Row]
    measures_total: int
    measures_overdue: int
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    # The indicators against the previous period (the annual report only; see indicators.py).
    indicators: object | None = None

    @property
    def empty(self) -> bool:
        return self.total == 0

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


@dataclass
class TrainerComplaint:
    """One complaint about a trainer, without anything that identifies the complainant."""

    month: date  # the first day of the month of receipt
    category: str
    course: str
    outcome: str
    admissibility: str
    summary: str  # an anonymised summary written by staff, or ""
    period: str = ""  # what is shown: the month, or a coarser period (see _coarsened)


@dataclass
class TrainerGroup:
    trainer: str
    complaints: list[TrainerComplaint]
    outcomes: list[Row]

    left_out: int = 0  # complaints too few to show per course and period

    @property
    def count(self) -> int | float:
        return sum(row.value or 0 for row in self.outcomes)

    @property
    def open(self) -> int | float:
        return sum(row.value or 0 for row in self.outcomes if row.label == _open_label())


@dataclass
class TrainerReview:
    """The trainers' review (LSR-8b): the report on complaints about trainers, per trainer."""

    start: date  # whole months: the first day of the first month
    end: date  # the last day of the last month
    report: Report
    groups: list[TrainerGroup]
    min_group: int = 1  # fewer complaints per trainer, course and period are not shown apart
    merged: int = 0  # complaints shown under a quarter or the whole period, not their month
    left_out: int = 0  # complaints not shown one by one at all


def _open_label() -> str:
    return _("Nog open")


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Aware datetimes: the start of `start` and the start of the day after `end`, local time."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def complaints_in_period(*, start: date, end: date) -> QuerySet[Complaint]:
    lower, upper = period_bounds(start, end)
    return Complaint.objects.filter(received_at__gte=lower, received_at__lt=upper).order_by()


def complaints_about_trainers(*, start: date, end: date) -> QuerySet[Complaint]:
    return complaints_in_period(start=start, end=end).filter(
        Q(respondent__is_trainer=True) | categories_with_respondent_role("trainer")
    )


def annual_report(*, start: date, end: date) -> Report:
    """The annual report over every complaint received from `start` to `end` (inclusive),
    with the indicators against the previous period: read from the roll-up (rollup.py),
    the same figures as `annual_report_compute` without going through every complaint."""
    from .rollup import report_from_facts

    return report_from_facts(start=start, end=end)


def annual_report_compute(*, start: date, end: date) -> Report:
    """The annual report computed over the complaints themselves (what the roll-up must
    equal; the trainers' review and the register are computed so)."""
    from .indicators import indicators_compute
    from .tiles import report_fit

    complaints = complaints_in_period(start=start, end=end)
    report = report_build(complaints, start=start, end=end)
    report.indicators = indicators_compute(start=start, end=end)
    versions = ProcedureVersion.objects.select_related("procedure").filter(
        pk__in=complaints.values("procedure_version")
    )
    report_fit(report, list(versions))
    return report


def trainers_review(*, start: date, end: date) -> TrainerReview:
    """The trainers' review over whole months (so that no exact day shows), per trainer."""
    start = start.replace(day=1)
    end = (end.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    complaints = complaints_about_trainers(start=start, end=end)
    report = report_build(complaints, start=start, end=end, anonymous=True)
    groups = _trainer_groups(complaints)
    k = max(int(settings.TRAINERS_REVIEW_MIN_GROUP), 1)
    merged = 0
    for group in groups:
        shown, group_merged = _coarsened(group.complaints, k=k, start=start, end=end)
        group.left_out = len(group.complaints) - len(shown)
        group.complaints = shown
        merged += group_merged
    return TrainerReview(
        start=start,
        end=end,
        report=report,
        groups=groups,
        min_group=k,
        merged=merged,
        left_out=sum(g.left_out for g in groups),
    )


def _coarsened(
    items: list[TrainerComplaint], *, k: int, start: date, end: date
) -> tuple[list[TrainerComplaint], int]:
    """The complaints of one trainer that can be shown without letting a reader recognise
    a complainant: per course, a month with at least `k` complaints shows that month; the
    rest are pooled per quarter, then over the whole period; a pool still smaller than `k`
    is left out. Returns the rows to show (ordered) and how many went to a coarser period."""
    whole = _("%(start)s – %(end)s") % {
        "start": date_format(start, "F Y"),
        "end": date_format(end, "F Y"),
    }
    shown: list[TrainerComplaint] = []
    merged = 0
    by_course: OrderedDict[str, list[TrainerComplaint]] = OrderedDict()
    for item in items:
        by_course.setdefault(item.course, []).append(item)
    for course_items in by_course.values():
        rest = course_items
        levels = [
            (lambda c: c.month, lambda c: date_format(c.month, "F Y"), False),
            (
                lambda c: (c.month.year, (c.month.month - 1) // 3),
                lambda c: (
                    _("%(q)se kwartaal %(year)s")
                    % {"q": (c.month.month - 1) // 3 + 1, "year": c.month.year}
                ),
                True,
            ),
            (lambda c: None, lambda c: whole, True),
        ]
        for key, label, coarser in levels:
            buckets: OrderedDict = OrderedDict()
            for item in rest:
                buckets.setdefault(key(item), []).append(item)
            rest = []
            for bucket in buckets.values():
                if len(bucket) >= k:
                    for item in bucket:
                        item.period = str(label(item))
                    shown += bucket
                    merged += len(bucket) if coarser else 0
                else:
                    rest += bucket
    shown.sort(key=lambda c: (c.month, c.course))
    return shown, merged


# Building the report


def _count_by(qs: QuerySet, *fields: str) -> list[dict]:
    return list(qs.values(*fields).annotate(n=Count("pk")).order_by(*fields))


def _rows(counts: dict[str, int]) -> list[Row]:
    """Rows sorted by count (largest first), then by label."""
    return [
        Row(label, n) for label, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _add(counts: dict, label: str, n: int) -> None:
    counts[label] = counts.get(label, 0) + n


def _category_label(version: ProcedureVersion | None, code: str) -> str:
    if not code:
        return _("Niet gecategoriseerd")
    if version is not None and version.spec.category(code):
        return version.spec.category_label(code, translation.get_language() or "nl")
    return code


def _course_label(name: str | None, other: str, anonymous: bool) -> str:
    if name:
        return name
    if other:
        return _("Andere opleiding") if anonymous else other
    return _("Onbekend")


def _choice_label(choices, code: str, fallback: str) -> str:
    return str(choices(code).label) if code in choices.values else (code or fallback)


def lead_times_of(to_acknowledge: list[int], to_settle: list[int]) -> list[LeadTime]:
    """The report's two lead times (median and 90th percentile in days) from the days each
    complaint took to be acknowledged and to be settled."""
    ack_median, ack_p90 = _median_p90(to_acknowledge)
    settle_median, settle_p90 = _median_p90(to_settle)
    return [
        LeadTime(
            "acknowledge",
            _("Van ontvangst tot ontvangstbevestiging"),
            len(to_acknowledge),
            ack_median,
            ack_p90,
        ),
        LeadTime(
            "settle",
            _("Van ontvangst tot afhandeling (afgesloten klachten)"),
            len(to_settle),
            settle_median,
            settle_p90,
        ),
    ]


def respondent_outcome_admissibility_counts(
    qs: QuerySet,
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Three of the report's breakdowns, by label: whom the complaints were about, how they
    ended (open ones as one group) and their admissibility. `qs` is the complaints or their
    roll-up facts: both have these fields under the same names."""
    closed_states = State.closed_states()
    respondents: dict[str, int] = {}
    for row in _count_by(qs, "respondent_type"):
        label = _choice_label(RespondentType, row["respondent_type"], _("Onbekend"))
        _add(respondents, label, row["n"])

    outcomes: dict[str, int] = {}
    for row in _count_by(qs, "state", "outcome"):
        if row["state"] not in closed_states:
            label = _open_label()
        else:
            label = _choice_label(Outcome, row["outcome"], _("Zonder uitkomst"))
        _add(outcomes, label, row["n"])

    admissibility_labels = {
        True: _("Ontvankelijk"),
        False: _("Niet ontvankelijk"),
        None: _("Niet beoordeeld"),
    }
    admissibility: dict[str, int] = {}
    for row in _count_by(qs, "admissible"):
        _add(admissibility, admissibility_labels[row["admissible"]], row["n"])
    return respondents, outcomes, admissibility


def report_build(
    qs: QuerySet[Complaint], *, start: date, end: date, anonymous: bool = False
) -> Report:
    """The report over the complaints in `qs` (already restricted to the period).

    `anonymous` leaves out the one free text the counts would otherwise show: the course
    name a complainant typed in (`course_other`), which becomes "Andere opleiding".
    """
    qs = qs.order_by()

    # Categories: labels come from the procedure version each complaint was handled under.
    by_category = _count_by(qs, "procedure_version", "category")
    versions = ProcedureVersion.objects.in_bulk({row["procedure_version"] for row in by_category})
    categories: dict[str, int] = {}
    for row in by_category:
        version = versions.get(row["procedure_version"])
        _add(categories, _category_label(version, row["category"]), row["n"])

    channels: dict[str, int] = {}
    for row in _count_by(qs, "channel"):
        _add(channels, _choice_label(Channel, row["channel"], _("Onbekend")), row["n"])

    courses: dict[str, int] = {}
    for row in _count_by(qs, "course__name", "course_other"):
        _add(courses, _course_label(row["course__name"], row["course_other"], anonymous), row["n"])

    respondents, outcomes, admissibility = respondent_outcome_admissibility_counts(qs)

    total = sum(categories.values())
    closed = sum(n for label, n in outcomes.items() if label != _open_label())

    lead_times, shares, extended = _timeliness(qs)
    escalations = _escalations(qs)
    measures, measures_total, measures_overdue = _measures(qs)
    satisfaction = _satisfaction(qs)

    return Report(
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
        lead_times=lead_times,
        shares=shares,
        extended=extended,
        escalations=escalations,
        measures=measures,
        measures_total=measures_total,
        measures_overdue=measures_overdue,
        satisfaction=satisfaction,
    )


def _satisfaction(qs: QuerySet[Complaint]) -> Satisfaction:
    answered = SatisfactionResponse.objects.filter(
        complaint__in=qs.values("pk"), answered_at__isnull=False
    ).order_by()
    totals = answered.aggregate(
        n=Count("pk"), handling=Avg("handling_score"), serious=Avg("taken_seriously_score")
    )
    if not totals["n"]:
        return Satisfaction()
    informed = {
        row["informed_on_time"]: row["n"]
        for row in answered.values("informed_on_time").annotate(n=Count("pk"))
    }
    choices = SatisfactionResponse.InformedOnTime
    return Satisfaction(
        responses=totals["n"],
        questions=[
            Row(
                _("Tevredenheid over de behandeling (gemiddeld, 1-5)"), round(totals["handling"], 1)
            ),
            Row(_("Serieus genomen (gemiddeld, 1-5)"), round(totals["serious"], 1)),
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


def _median_p90(values: list[int]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    median = float(statistics.median(values))
    if len(values) == 1:
        return median, float(values[0])
    p90 = statistics.quantiles(values, n=10, method="inclusive")[8]
    return round(median, 1), round(float(p90), 1)


def _timeliness(qs: QuerySet[Complaint]) -> tuple[list[LeadTime], list[Share], int]:
    zone = settings.TIME_ZONE
    today = timezone.localdate()
    rows = list(
        qs.values_list(
            "pk",
            "received_at",
            "acknowledged_at",
            "acknowledge_due",
            "settled_at",
            "settle_due",
            "outcome",
        )
    )
    # The first extension of each complaint holds the settlement deadline before extensions.
    original_due: dict[int, date] = {}
    for complaint_id, previous_due in (
        Extension.objects.filter(complaint__in=qs.values("pk"))
        .order_by("complaint_id", "at", "id")
        .values_list("complaint_id", "previous_due")
    ):
        original_due.setdefault(complaint_id, previous_due)

    to_acknowledge: list[int] = []
    to_settle: list[int] = []
    ack_met = ack_counted = settle_met = settle_counted = 0
    for pk, received_at, acknowledged_at, acknowledge_due, settled_at, settle_due, outcome in rows:
        received_on = local_date(received_at, zone)
        acknowledged_on = local_date(acknowledged_at, zone) if acknowledged_at else None
        settled_on = local_date(settled_at, zone) if settled_at else None
        if acknowledged_on:
            to_acknowledge.append((acknowledged_on - received_on).days)
        if settled_on:
            to_settle.append((settled_on - received_on).days)

        if acknowledge_due and outcome != Outcome.SETTLED_ON_THE_SPOT:
            if acknowledged_on:
                ack_counted += 1
                ack_met += acknowledged_on <= acknowledge_due
            elif acknowledge_due < today:
                ack_counted += 1

        due = original_due.get(pk, settle_due)
        if due:
            if settled_on:
                settle_counted += 1
                settle_met += settled_on <= due
            elif due < today:
                settle_counted += 1

    lead_times = lead_times_of(to_acknowledge, to_settle)
    shares = [
        Share("acknowledged_on_time", _("Op tijd bevestigd"), ack_met, ack_counted),
        Share(
            "settled_within_term",
            _("Afgehandeld binnen de oorspronkelijke termijn (4 weken)"),
            settle_met,
            settle_counted,
        ),
    ]
    return lead_times, shares, len(original_due)


def _escalations(qs: QuerySet[Complaint]) -> list[Row]:
    ids = qs.values("pk")
    to_director = qs.filter(
        Q(
            pk__in=Event.objects.filter(
                complaint__in=ids, kind=EventKind.ESCALATED_TO_DIRECTOR
            ).values("complaint_id")
        )
        | Q(
            pk__in=Ruling.objects.filter(complaint__in=ids, body=Ruling.Body.DIRECTOR).values(
                "complaint_id"
            )
        )
    )
    to_third_party = qs.filter(
        pk__in=Event.objects.filter(complaint__in=ids, kind=EventKind.APPEAL_TO_THIRD_PARTY).values(
            "complaint_id"
        )
    )
    counts = qs.aggregate(exam=Count("pk", filter=routed_to_exam_committee()))
    return [
        Row(_("Naar de directeur"), to_director.count(), "director"),
        Row(_("Naar de onafhankelijke derde"), to_third_party.count(), "third_party"),
        Row(_("Naar de examencommissie"), counts["exam"], "exam_committee"),
    ]


def _measures(qs: QuerySet[Complaint]) -> tuple[list[Row], int, int]:
    links = Measure.complaints.through.objects.filter(complaint__in=qs.values("pk"))
    measures = Measure.objects.filter(pk__in=links.values("measure_id"))
    by_status = dict(measures.order_by().values_list("status").annotate(n=Count("pk")))
    rows = [Row(str(label), by_status.get(code, 0)) for code, label in Measure.Status.choices]
    overdue = (
        measures.filter(due_date__lt=timezone.localdate())
        .exclude(status__in=[Measure.Status.DONE, Measure.Status.CANCELLED])
        .count()
    )
    return rows, sum(by_status.values()), overdue


def _trainer_groups(qs: QuerySet[Complaint]) -> list[TrainerGroup]:
    """Per trainer: facts only. No complainant data and no free text, except an anonymised
    summary if the model offers one (`anonymised_summary`)."""
    zone = settings.TIME_ZONE
    complaints = qs.select_related("respondent", "course", "procedure_version").order_by(
        "received_at", "pk"
    )
    groups: OrderedDict[str, list[TrainerComplaint]] = OrderedDict()
    outcomes: dict[str, dict[str, int]] = {}
    admissibility_labels = {
        True: _("Ontvankelijk"),
        False: _("Niet ontvankelijk"),
        None: _("Niet beoordeeld"),
    }
    for complaint in complaints:
        if complaint.respondent:
            trainer = complaint.respondent.display_name
        else:
            trainer = _("Trainer niet vastgelegd")
        if complaint.is_open:
            outcome = _open_label()
        else:
            outcome = _choice_label(Outcome, complaint.outcome, _("Zonder uitkomst"))
        summary = getattr(complaint, "anonymised_summary", "") or ""
        if party_data_found(complaint, summary):
            summary = ""  # written before the check, or into the database: never shown
        groups.setdefault(trainer, []).append(
            TrainerComplaint(
                month=local_date(complaint.received_at, zone).replace(day=1),
                category=_category_label(complaint.procedure_version, complaint.category),
                course=_course_label(
                    complaint.course.name if complaint.course else "",
                    complaint.course_other,
                    anonymous=True,
                ),
                outcome=outcome,
                admissibility=admissibility_labels[complaint.admissible],
                summary=str(summary).strip(),
            )
        )
        _add(outcomes.setdefault(trainer, {}), outcome, 1)
    result = [
        TrainerGroup(trainer=name, complaints=items, outcomes=_rows(outcomes[name]))
        for name, items in groups.items()
    ]
    return sorted(result, key=lambda g: (-g.count, g.trainer))


# -- The yearly register of written complaints (AWB-9:12a) -------------------------------

WRITTEN_CHANNELS = (Channel.WEB, Channel.POST, Channel.EMAIL)


@dataclass
class RegisterEntry:
    """One written complaint in the published register: nothing that identifies anyone."""

    number: int  # the line in the register, not the complaint number
    month: date
    summary: str  # the anonymised summary staff wrote, or ""
    outcome: str
    judgement: str


@dataclass
class Register:
    year: int
    report: Report
    entries: list[RegisterEntry]


def yearly_register(*, year: int) -> Register:
    """The written complaints received in `year`, anonymised so that the register can be
    published as it is: the counts of the annual report (without typed-in course names) and
    one line per complaint with its month, the staff's anonymised summary and its outcome."""
    from .rollup import report_from_facts

    start, end = date(year, 1, 1), date(year, 12, 31)
    complaints = complaints_in_period(start=start, end=end).filter(channel__in=WRITTEN_CHANNELS)
    report = report_from_facts(
        start=start, end=end, indicators=False, channels=WRITTEN_CHANNELS, anonymous=True
    )
    judgements = {
        ruling.complaint_id: ruling.get_decision_display()
        for ruling in Ruling.objects.filter(complaint__in=complaints).order_by("decided_at", "id")
    }
    entries = []
    for line, complaint in enumerate(complaints.order_by("received_at", "id"), start=1):
        outcome = (
            _choice_label(Outcome, complaint.outcome, _("Zonder uitkomst"))
            if complaint.state in State.closed_states()
            else _open_label()
        )
        entries.append(
            RegisterEntry(
                number=line,
                month=local_date(complaint.received_at, settings.TIME_ZONE).replace(day=1),
                summary=complaint.anonymised_summary,
                outcome=outcome,
                judgement=judgements.get(complaint.pk, ""),
            )
        )
    return Register(year=year, report=report, entries=entries)
