"""The compliance overview: does the institute keep its own regulation, rule by rule?

The rules are read from a procedure version's definition, never from a list per procedure:
one rule per deadline the version sets, one per step it switches on (the handler policy, the
admissibility judgement, how a solution is settled, where an escalation goes, the defence
period), the measures, the retention period and the confidentiality text. Each rule carries
the requirement id the definition gives it (`requirements`, e.g. LIVP-3 or LSR-5d).

A rule judges one complaint: complied (True), not complied (False), or not judged (None: the
rule does not apply to it, or it is too early to say). Whether a deadline was met is asked of
`klachtroute.cases.deadlines`, the one deadline module. A rule that the data cannot prove
(the form's confidentiality text is a promise about behaviour, not a fact in a row) is shown
as such, without a number.

Only complaints the viewer may see (`complaints_visible_to`) are linked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klachtroute.cases.deadlines import FROM_RECEIPT, KINDS_BY_KEY, Status, deadline_state
from klachtroute.cases.models import (
    Approval,
    Complaint,
    Findings,
    Outcome,
    RespondentType,
    Ruling,
)
from klachtroute.cases.selectors import complaints_visible_to
from klachtroute.cases.workflow import SETTLEMENT_OVER, State
from klachtroute.deadlines import local_date
from klachtroute.measures.models import Measure
from klachtroute.privacy.selectors import purge_date
from klachtroute.procedures.definition import Definition
from klachtroute.procedures.models import ProcedureVersion
from klachtroute.procedures.words import period_words

from .bulk import in_batch, rows_write

Verdict = bool | None
Judge = Callable[[Complaint, date], Verdict]


@dataclass(frozen=True)
class Rule:
    """One rule of a procedure version that the overview checks."""

    key: str
    requirement: str  # the id the definition gives it, or ""
    label: str
    judge: Judge | None  # None: the data cannot prove this rule
    why_unprovable: str = ""

    @property
    def provable(self) -> bool:
        return self.judge is not None


def _local(moment) -> date:
    return local_date(moment, settings.TIME_ZONE)


def _related(obj, name: str) -> list:
    """The rows of one relation of `obj` (a complaint, a solution): those that
    `verdicts_compute` read for its whole batch at once (`obj.batch_rows`), else read
    through the relation itself (or its prefetch)."""
    rows = getattr(obj, "batch_rows", None)
    if rows is not None:
        return rows[name]
    return list(getattr(obj, name).all())


def _settled_on_the_spot(c: Complaint) -> bool:
    return c.outcome == Outcome.SETTLED_ON_THE_SPOT


# -- Judges ---------------------------------------------------------------------------


def _deadline_judge(key: str, spec: Definition) -> Judge:
    """Met or missed as the deadline module says. For the deadline after which the
    no-agreement procedure starts, telling the complainant in time that there is no
    agreement keeps the rule too (LIVP-9: "after that the no-agreement procedure starts")."""

    def judge(c: Complaint, today: date) -> Verdict:
        if key == "acknowledge" and _settled_on_the_spot(c):
            return None
        state = deadline_state(c, key, today)
        if state is None:
            return None
        if key == spec.no_agreement_after and c.no_agreement_notified_at is not None:
            if _local(c.no_agreement_notified_at) <= state.due:
                return True
        if state.status == Status.MET:
            return True
        if state.status == Status.MISSED:
            return False
        return None  # open, lapsed, or no longer ours to watch

    return judge


def _acknowledgement_names_handler(c: Complaint, today: date) -> Verdict:
    if _settled_on_the_spot(c) or c.acknowledged_at is None:
        return None
    return c.handler_id is not None


def _acknowledgement_sent(c: Complaint, today: date) -> Verdict:
    if _settled_on_the_spot(c):
        return None
    if c.acknowledged_at is not None:
        return True
    return False if not c.is_open else None


def _trainer_not_teaching_course(c: Complaint, today: date) -> Verdict:
    handler = c.handler
    if handler is None:
        return None
    if not handler.is_trainer or handler.pk == c.respondent_id:
        return False
    if c.course_id and any(t.pk == handler.pk for t in _related(c.course, "trainers")):
        return False
    return True


def _handler_not_respondent(c: Complaint, today: date) -> Verdict:
    if c.handler_id is None or c.respondent_id is None:
        return None
    spec = c.procedure_version.spec
    category = spec.category(c.category) if c.category else None
    if category is not None and category.route == "respondent":
        return None  # the regulation has the respondent answer first (LSR-6a)
    return c.handler_id != c.respondent_id


def _admissibility_judged(c: Complaint, today: date) -> Verdict:
    if c.is_open and c.state == State.NEW:
        return None
    if c.outcome in (Outcome.SETTLED_ON_THE_SPOT, Outcome.WITHDRAWN):
        return None
    if c.admissible is None:
        return False
    if c.admissible:
        return c.procedure_version.spec.category(c.category) is not None
    return bool(c.admissibility_reason.strip())


def _two_party_approval(c: Complaint, today: date) -> Verdict:
    if c.outcome != Outcome.SOLUTION_APPROVED:
        return None
    approved = {
        a.party
        for s in _related(c, "solutions")
        for a in _related(s, "approvals")
        if a.decision == Approval.Decision.APPROVED
    }
    return {"complainant", "respondent"} <= approved


def _complainant_agrees(c: Complaint, today: date) -> Verdict:
    if c.outcome != Outcome.FINDINGS_ACCEPTED:
        return None
    return any(f.response == Findings.Response.AGREED for f in _related(c, "findings"))


def _third_party_offered(c: Complaint, today: date) -> Verdict:
    if c.state not in SETTLEMENT_OVER and c.outcome not in (
        Outcome.NO_AGREEMENT,
        Outcome.BINDING_ADVICE,
    ):
        return None
    return c.no_agreement_notified_at is not None


def _ruling_motivated(c: Complaint, today: date) -> Verdict:
    rulings = [r for r in _related(c, "rulings") if r.body == Ruling.Body.DIRECTOR]
    if not rulings:
        return None
    return all(r.motivation.strip() for r in rulings)


def _defence_before_ruling(c: Complaint, today: date) -> Verdict:
    rulings = [r for r in _related(c, "rulings") if r.body == Ruling.Body.DIRECTOR]
    if not rulings:
        return None
    first = min(r.decided_at for r in rulings)
    return any(d.requested_at <= first for d in _related(c, "defence_requests"))


def _letters_complete(c: Complaint, today: date) -> Verdict:
    """Every outcome letter sent stated what will be done and by when (and its reasons); a
    ruling or outcome that finds the complaint unfounded needs no date."""
    judged: list[bool] = []
    for solution in _related(c, "solutions"):
        judged.append(bool(solution.reasons.strip()) and solution.remedy_due is not None)
    for findings in _related(c, "findings"):
        judged.append(bool(findings.proposed_solution.strip()) and findings.remedy_due is not None)
    for ruling in _related(c, "rulings"):
        dated = ruling.remedy_due is not None or ruling.decision == Ruling.Decision.UNFOUNDED
        if ruling.body == Ruling.Body.DIRECTOR:
            judged.append(bool(ruling.remedy.strip()) and dated)
        elif ruling.body == Ruling.Body.HANDLER:
            judged.append(bool(ruling.conclusions.strip()) and dated)
        elif ruling.body == Ruling.Body.THIRD_PARTY and ruling.remedy.strip():
            judged.append(ruling.remedy_due is not None)
    return all(judged) if judged else None


def _set_aside_told_in_time(c: Complaint, today: date) -> Verdict:
    if c.outcome != Outcome.SET_ASIDE or c.set_aside_due is None or c.settled_at is None:
        return None
    return _local(c.settled_at) <= c.set_aside_due


def _handled(c: Complaint) -> bool:
    """Handled to the end with a reasoned outcome (not set aside, withdrawn or settled at once)."""
    return c.outcome == Outcome.REASONED


def _respondent_copy_sent(c: Complaint, today: date) -> Verdict:
    if not _handled(c) or c.respondent_type == RespondentType.UNKNOWN:
        return None
    return c.respondent_copy_sent_at is not None


def _heard_or_skipped(c: Complaint, today: date) -> Verdict:
    if not _handled(c):
        return None
    return c.hearing_held_on is not None or bool(c.hearing_skip_reason)


def _reasoned_outcome(c: Complaint, today: date) -> Verdict:
    if not _handled(c):
        return None
    rulings = [r for r in _related(c, "rulings") if r.body == Ruling.Body.HANDLER]
    return bool(rulings) and all(r.findings.strip() and r.motivation.strip() for r in rulings)


def _measures_carried_out(c: Complaint, today: date) -> Verdict:
    """Each agreed measure carried out by its date (LIVP-8, LSR-8c): done on or before the
    day it was due, or still open past it. A measure done before the day was recorded
    (`done_on` empty) cannot prove when, and is not judged."""
    judged: list[bool] = []
    for measure in _related(c, "measures"):
        if measure.status == Measure.Status.DONE:
            if measure.done_on is not None:
                judged.append(measure.done_on <= measure.due_date)
        elif measure.status != Measure.Status.CANCELLED and measure.due_date < today:
            judged.append(False)
    return all(judged) if judged else None


def _kept_for_retention(c: Complaint, today: date) -> Verdict:
    if c.settled_at is None:
        return None
    if c.purged_at is None:
        return True
    last_day = purge_date(c)
    return last_day is not None and _local(c.purged_at) > last_day


# -- The rules of a definition --------------------------------------------------------


def rules_of(spec: Definition) -> list[Rule]:
    """Every rule that this procedure version sets, in the order of the procedure."""
    ids = spec.requirements
    rules: list[Rule] = []

    def add(key: str, label: str, judge: Judge | None, why: str = "") -> None:
        rules.append(Rule(key, ids.get(key, ""), label, judge, why))

    deadline_words = {
        "acknowledge": _("Ontvangst bevestigd binnen %(period)s"),
        "first_contact": _("Persoonlijk contact met de klager binnen %(period)s"),
        "settle": _("Afgehandeld binnen %(period)s"),
    }
    for key in FROM_RECEIPT:
        period = spec.period(key)
        if period is None:
            continue
        words = deadline_words.get(key)
        if words is None:
            words = str(KINDS_BY_KEY[key].label) + " " + _("binnen %(period)s")
        label = words % {"period": period_words(period)}
        if key == spec.no_agreement_after:
            label = _(
                "%(rule)s, of de klager binnen die termijn gewezen op de procedure bij geen overeenstemming"
            ) % {"rule": label}
        add(key, label, _deadline_judge(key, spec))
        if key == "acknowledge" and spec.acknowledge_on == "assignment":
            add(
                "acknowledge_names_handler",
                _("De ontvangstbevestiging noemt de behandelaar"),
                _acknowledgement_names_handler,
            )
    if spec.period("acknowledge") is None and spec.acknowledge_on == "registration":
        add(
            "acknowledgement_sent",
            _("Ontvangstbevestiging met de procedure en de termijn verstuurd"),
            _acknowledgement_sent,
        )
    if spec.set_aside is not None:
        add(
            "set_aside",
            _("Niet in behandeling genomen: de klager binnen %(period)s schriftelijk bericht")
            % {"period": period_words(spec.period_of(spec.set_aside.deadline))},
            _set_aside_told_in_time,
        )
    if spec.handler_policy == "trainer_not_teaching_course":
        add(
            "handler_policy",
            _("Behandeld door een trainer die de opleiding van de klager niet geeft"),
            _trainer_not_teaching_course,
        )
    else:
        add(
            "handler_policy",
            _("Behandeld door iemand anders dan de beklaagde"),
            _handler_not_respondent,
        )
    if spec.admissibility:
        add(
            "admissibility",
            _("Ontvankelijkheid beoordeeld en klacht ingedeeld (of niet-ontvankelijk met reden)"),
            _admissibility_judged,
        )
    if spec.respondent_copy:
        add(
            "respondent_copy",
            _("Afschrift van de klacht en de stukken naar de beklaagde"),
            _respondent_copy_sent,
        )
    if spec.hearing is not None:
        add(
            "hearing",
            _("Klager en beklaagde gehoord, of met een reden van horen afgezien"),
            _heard_or_skipped,
        )
    if spec.settlement == "two_party_approval":
        add(
            "settlement",
            _("Oplossing door klager en beklaagde goedgekeurd"),
            _two_party_approval,
        )
    elif spec.settlement == "complainant_agrees":
        add(
            "settlement",
            _("Afgesloten met het vastgelegde akkoord van de klager"),
            _complainant_agrees,
        )
    else:
        add(
            "settlement",
            _("Schriftelijk afgehandeld met bevindingen, oordeel en motivering"),
            _reasoned_outcome,
        )
    # The rows of an escalation only where the definition has one: a procedure without
    # (the Awb preset) shows no row for a step it does not have.
    if spec.escalation == "third_party":
        add(
            "escalation",
            _("Bij geen overeenstemming op de onafhankelijke derde gewezen"),
            _third_party_offered,
        )
    elif spec.escalation == "director":
        add(
            "escalation",
            _("Uitspraak van de directeur met motivering"),
            _ruling_motivated,
        )
        if spec.period("defence") is not None:
            add(
                "defence",
                _("Verweer gevraagd vóór de uitspraak van de directeur"),
                _defence_before_ruling,
            )
    if spec.next_steps:
        add(
            "outcome_letters",
            _("Uitkomstbrieven met besluit, motivering, wat er gebeurt en wanneer"),
            _letters_complete,
        )
    add(
        "measures",
        _("Afgesproken maatregelen op tijd uitgevoerd"),
        _measures_carried_out,
    )
    add(
        "retention",
        ngettext(
            "Bewaard tot %(n)s jaar na afsluiting",
            "Bewaard tot %(n)s jaar na afsluiting",
            spec.retention_years,
        )
        % {"n": spec.retention_years},
        _kept_for_retention,
    )
    if spec.yearly_register:
        add(
            "yearly_register",
            _("Register van de schriftelijke klachten jaarlijks gepubliceerd"),
            None,
            _(
                "Niet uit de gegevens te bewijzen: het systeem maakt het register (Rapportage, "
                "Klachtenregister); of het is gepubliceerd, staat in geen enkel gegeven."
            ),
        )
    add(
        "confidentiality",
        _("Vertrouwelijke behandeling"),
        None,
        _(
            "Niet uit de gegevens te bewijzen: wie een klacht ziet, regelt het systeem zelf "
            "(alleen wie bij de klacht betrokken is); of iemand er buiten het systeem over "
            "sprak, staat in geen enkel gegeven."
        ),
    )
    return rules


# -- The overview ---------------------------------------------------------------------


@dataclass
class RuleResult:
    rule: Rule
    complied: int = 0
    not_complied: int = 0
    failing: list[Complaint] = field(default_factory=list)  # the first the viewer may see
    failing_hidden: int = 0  # those the viewer may not see

    @property
    def counted(self) -> int:
        return self.complied + self.not_complied

    @property
    def percent(self) -> float | None:
        return round(100 * self.complied / self.counted, 1) if self.counted else None

    @property
    def failing_more(self) -> int:
        """Failing complaints the viewer may see beyond those listed."""
        return self.not_complied - self.failing_hidden - len(self.failing)


@dataclass
class VersionResult:
    version: ProcedureVersion
    complaints: int
    rules: list[RuleResult]

    @property
    def title(self) -> str:
        return str(self.version)


@dataclass
class ComplianceOverview:
    start: date
    end: date
    today: date
    versions: list[VersionResult]

    @property
    def empty(self) -> bool:
        return not self.versions


# -- The verdicts, kept per complaint ---------------------------------------------------

FAR_FUTURE = date(9999, 12, 30)
FAILING_LISTED = 100  # per rule, the failing complaints named on the page
VERDICT_COLUMNS = (
    "complaint_id",
    "rule",
    "procedure_version_id",
    "received_on",
    "verdict",
    "changes_on",
    "verdict_then",
)


RELATED = ("solutions", "findings", "rulings", "defence_requests")  # their `complaint`


def _complaints_of_batch(complaint_ids: list[int]) -> list[Complaint]:
    """These complaints with everything their judges read, in a fixed number of queries
    however many: each procedure version, handler and course (with its trainers) read
    once and shared, and the rows of each relation read for the whole batch at once
    (`batch_rows`, which `_related` hands to the judges)."""
    complaints = list(Complaint.objects.filter(in_batch("pk", complaint_ids)).order_by("pk"))
    ids = [c.pk for c in complaints]

    def shared(field: str, qs: QuerySet) -> None:
        wanted = {getattr(c, f"{field}_id") for c in complaints} - {None}
        found = qs.in_bulk(wanted) if wanted else {}
        for c in complaints:
            key = getattr(c, f"{field}_id")
            if key is not None:
                setattr(c, field, found[key])

    def model_of(field: str):
        return Complaint._meta.get_field(field).related_model

    shared("procedure_version", ProcedureVersion.objects.select_related("procedure"))
    shared("handler", model_of("handler").objects.all())
    shared("course", model_of("course").objects.prefetch_related("trainers"))
    for course in {c.course.pk: c.course for c in complaints if c.course_id}.values():
        course.batch_rows = {"trainers": list(course.trainers.all())}
    rows: dict[int, dict[str, list]] = {
        c.pk: {name: [] for name in (*RELATED, "measures")} for c in complaints
    }
    solutions = []
    for name in RELATED:
        for row in model_of(name).objects.filter(in_batch("complaint_id", ids)):
            rows[row.complaint_id][name].append(row)
            if name == "solutions":
                solutions.append(row)
    approvals: dict[int, list[Approval]] = {s.pk: [] for s in solutions}
    for approval in Approval.objects.filter(in_batch("solution__complaint_id", ids)):
        approvals[approval.solution_id].append(approval)
    for solution in solutions:
        solution.batch_rows = {"approvals": approvals[solution.pk]}
    links = Measure.complaints.through.objects.filter(in_batch("complaint_id", ids))
    for link in links.select_related("measure"):
        rows[link.complaint_id]["measures"].append(link.measure)
    for c in complaints:
        c.batch_rows = rows[c.pk]
    return complaints


def verdict_in_time(judge: Judge, complaint: Complaint, today: date):
    """The verdict on `today`, and when time alone turns it: (verdict, changes_on,
    verdict_then), the last two None when it holds for good. A verdict turns at most once
    without a change to the complaint (a deadline passes, a measure falls due); the day is
    found by halving the days between today and the far future."""
    now = judge(complaint, today)
    later = judge(complaint, FAR_FUTURE)
    if later == now:
        return now, None, None
    holds, turned = today, FAR_FUTURE
    while (turned - holds).days > 1:
        middle = holds + timedelta(days=(turned - holds).days // 2)
        if judge(complaint, middle) == now:
            holds = middle
        else:
            turned = middle
    return now, turned, later


def verdicts_compute(complaint_ids: list[int], *, today: date | None = None) -> int:
    """Judge these complaints by every rule of their procedure version and keep the
    verdicts (`ComplianceVerdict`); a fixed number of queries however many complaints.
    Called with their facts (facts.py), whenever a complaint changed."""
    from .models import ComplianceVerdict

    today = today or timezone.localdate()
    judges: dict[int, list[tuple[str, Judge]]] = {}
    judged: dict[int, set[tuple]] = {}
    for complaint in _complaints_of_batch(complaint_ids):
        version_id = complaint.procedure_version_id
        if version_id not in judges:
            judges[version_id] = [
                (rule.key, rule.judge)
                for rule in rules_of(complaint.procedure_version.spec)
                if rule.judge is not None
            ]
        received_on = _local(complaint.received_at)
        verdicts = judged[complaint.pk] = set()
        for key, judge in judges[version_id]:
            verdict, changes_on, verdict_then = verdict_in_time(judge, complaint, today)
            if verdict is None and changes_on is None:
                continue  # the rule does not apply to it, now or later
            verdicts.add(
                (complaint.pk, key, version_id, received_on, verdict, changes_on, verdict_then)
            )
    # Only the complaints whose verdicts differ from those kept are written again: after
    # most changes, most of a complaint's verdicts (and many complaints') stay as they were.
    kept: dict[int, set[tuple]] = {}
    for row in ComplianceVerdict.objects.filter(
        in_batch("complaint_id", complaint_ids)
    ).values_list(*VERDICT_COLUMNS):
        kept.setdefault(row[0], set()).add(row)
    changed = [pk for pk in set(judged) | set(kept) if judged.get(pk, set()) != kept.get(pk, set())]
    ComplianceVerdict.objects.filter(
        in_batch("complaint_id", [pk for pk in changed if pk in kept])
    ).delete()
    rows_write(
        ComplianceVerdict,
        VERDICT_COLUMNS,
        [
            row
            for pk in sorted(changed)
            for row in sorted(judged.get(pk, ()), key=lambda row: row[1])
        ],
    )
    return sum(len(rows) for rows in judged.values())


def _verdict_on(today: date) -> Case:
    """The verdict that holds on `today`, in SQL."""
    return Case(
        When(changes_on__lte=today, then=F("verdict_then")),
        default=F("verdict"),
        output_field=BooleanField(null=True),
    )


# -- The overview ---------------------------------------------------------------------


def compliance_overview(*, user, start: date, end: date) -> ComplianceOverview:
    """Per procedure version, every rule over the complaints received from `start` to `end`.

    Read from the verdicts kept per complaint (the complaints of the period that changed
    since are judged again first): the counts in one GROUP BY, and per failing rule the
    first complaints the viewer may see. The cost does not grow with the complaints of
    other periods, nor with those of this period beyond the counts."""
    from .facts import facts_refresh_period
    from .models import ComplaintFacts, ComplianceVerdict

    today = timezone.localdate()
    facts_refresh_period(start=start, end=end)
    received = Q(received_on__gte=start, received_on__lte=end)
    counts_by_version = dict(
        ComplaintFacts.objects.filter(received)
        .values_list("procedure_version_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tally: dict[tuple[int, str, bool], int] = {}
    for version_id, rule, verdict, n in (
        ComplianceVerdict.objects.filter(received)
        .annotate(holds=_verdict_on(today))
        .filter(holds__isnull=False)
        .values_list("procedure_version_id", "rule", "holds")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        tally[version_id, rule, verdict] = n
    # A verdict that fails today failed when judged or fails once time turns it: said
    # twice, so that the index of those rows (`verdict_failing`) serves the query.
    failing = (
        ComplianceVerdict.objects.filter(received, Q(verdict=False) | Q(verdict_then=False))
        .annotate(holds=_verdict_on(today))
        .filter(holds=False)
    )
    seen_by_rule: dict[tuple[int, str], int] = {}
    sees_all = getattr(user, "sees_all_complaints", False)
    if not sees_all:
        # How many failing complaints of each rule the viewer may see, in one query.
        visible = complaints_visible_to(user).values("pk")
        failing = failing.filter(complaint_id__in=visible)
        for version_id, rule_key, n in (
            failing.values_list("procedure_version_id", "rule").annotate(n=Count("pk")).order_by()
        ):
            seen_by_rule[version_id, rule_key] = n
    versions = ProcedureVersion.objects.select_related("procedure").in_bulk(
        [pk for pk in counts_by_version if pk is not None]
    )
    results = []
    for version in sorted(versions.values(), key=lambda v: (v.procedure.name, v.effective_from)):
        rule_results = []
        for rule in rules_of(version.spec):
            result = RuleResult(rule)
            if rule.judge is not None:
                result.complied = tally.get((version.pk, rule.key, True), 0)
                result.not_complied = tally.get((version.pk, rule.key, False), 0)
            if result.not_complied:
                seen = failing.filter(procedure_version_id=version.pk, rule=rule.key)
                if not sees_all:
                    seen_count = seen_by_rule.get((version.pk, rule.key), 0)
                    result.failing_hidden = result.not_complied - seen_count
                # The first by the time of receipt, found from the failing verdicts in the
                # order of their day of receipt (the date of that time), not by walking
                # every complaint received before the period.
                result.failing = [
                    verdict.complaint
                    for verdict in seen.select_related("complaint")
                    .only("complaint__number", "complaint__received_at")
                    .order_by("received_on", "complaint__received_at", "complaint_id")[
                        :FAILING_LISTED
                    ]
                ]
            rule_results.append(result)
        results.append(VersionResult(version, counts_by_version[version.pk], rule_results))
    return ComplianceOverview(start=start, end=end, today=today, versions=results)
