"""Which figures of the annual report fit the procedures in use.

A figure is shown only when a procedure version of the period has the step it counts: no
"to the director" where no procedure has a director, no third party where none gives
binding advice, no exam committee where no category goes there, no acknowledgement on time
where no procedure sets that deadline, no admissibility where none judges it. The steps
are read from the definition the way the compliance overview reads its rules
(`compliance.rules_of`), never from a procedure's code. Over several procedures a figure
is shown when any of them has the step; the settlement period is named per procedure when
they differ.

The procedures in use are those of the complaints received in the period; a period without
complaints shows the figures of the procedure in force.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.procedures.definition import Definition
from klachtroute.procedures.models import ProcedureVersion
from klachtroute.procedures.words import period_words

from .compliance import rules_of

# The escalation rows of the report, by the body a complaint went to.
ESCALATION_ROWS = ("director", "third_party", "exam_committee")


def tiles_of(spec: Definition) -> set[str]:
    """The report's figures that this procedure version has a step for."""
    steps = {rule.key for rule in rules_of(spec)}
    tiles = {"settled_within_term"} if "settle" in steps else set()
    if "acknowledge" in steps:
        tiles.add("acknowledged_on_time")
    if "admissibility" in steps:
        tiles.add("admissibility")
    if "escalation" in steps:
        tiles.add("escalation_stage")
        tiles.add(spec.escalation)  # "director" or "third_party"
    for route in ("director", "exam_committee"):
        if spec.category_codes_routed_to(route):
            tiles.add(route)
    return tiles


def versions_or_in_force(versions: list[ProcedureVersion], *, end: date):
    """The versions of the period, or the one in force when the period had no complaints."""
    if versions:
        return versions
    from klachtroute.organisation.selectors import active_version_in_force

    version = active_version_in_force(on=min(end, timezone.localdate()))
    return [version] if version is not None else []


def _settle_title(versions: list[ProcedureVersion]) -> str | None:
    """The settlement share's title with its period: one period, or one per procedure."""
    terms: dict[str, str] = {}
    for version in sorted(versions, key=lambda v: (v.procedure.name, v.effective_from)):
        period = version.spec.period("settle")
        if period is not None:
            terms.setdefault(version.procedure.name, str(period_words(period)))
    if not terms:
        return None
    if len(set(terms.values())) == 1:
        return _("Afgehandeld binnen de oorspronkelijke termijn (%(period)s)") % {
            "period": next(iter(terms.values()))
        }
    per_procedure = "; ".join(f"{name}: {words}" for name, words in terms.items())
    return _("Afgehandeld binnen de oorspronkelijke termijn (%(period)s)") % {
        "period": per_procedure
    }


def report_fit(report, versions: list[ProcedureVersion]) -> None:
    """Leave out of `report` the figures that no procedure of `versions` has a step for."""
    versions = versions_or_in_force(versions, end=report.end)
    if not versions:
        return  # nothing configured yet: every figure, as before
    tiles: set[str] = set()
    for version in versions:
        tiles |= tiles_of(version.spec)
    report.escalations = [row for row in report.escalations if row.key in tiles]
    report.shares = [share for share in report.shares if share.key in tiles]
    for share in report.shares:
        if share.key == "settled_within_term":
            share.title = _settle_title(versions) or share.title
    report.breakdowns = [
        b for b in report.breakdowns if b.key != "admissibility" or "admissibility" in tiles
    ]
    indicators = report.indicators
    if indicators is not None and "escalation_stage" not in tiles:
        sets = [indicators.overall, indicators.previous]
        for s in [*sets, *indicators.per_course, *indicators.per_category]:
            s.stages = [stage for stage in s.stages if stage.key != "escalation"]
