"""The indicators of the annual report through the API (for the director and the
secretariat, who oversee every complaint), the same numbers as the report shows."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Schema
from ninja.errors import AuthorizationError

from klachtroute.reports.forms import PeriodForm
from klachtroute.reports.indicators import IndicatorSet, indicators_build

from .api import COMMON_ERRORS, api


class PeriodQuery(Schema):
    """Both ends included; without them, the previous calendar year (as on the page)."""

    start: dt.date | None = None
    end: dt.date | None = None


class StageOut(Schema):
    key: str
    title: str
    ended: int
    within_period: int
    with_period: int
    percent_within: float | None
    mean_working_days: float | None
    median_working_days: float | None


class IndicatorSetOut(Schema):
    label: str
    received: int
    closed: int
    closed_at_first_stage: int
    percent_first_stage: float | None
    extended: int
    satisfaction: float | None
    outcomes: dict[str, int]
    stages: list[StageOut]


class IndicatorsOut(Schema):
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    overall: IndicatorSetOut
    previous: IndicatorSetOut
    per_course: list[IndicatorSetOut]
    per_category: list[IndicatorSetOut]


def _set(s: IndicatorSet) -> dict:
    return {
        "label": s.label,
        "received": s.received,
        "closed": s.closed,
        "closed_at_first_stage": s.first_stage_closed,
        "percent_first_stage": s.percent_first_stage,
        "extended": s.extended,
        "satisfaction": s.satisfaction,
        "outcomes": {key: n for key, _label, n in s.outcome_rows()},
        "stages": [
            {
                "key": stage.key,
                "title": stage.title,
                "ended": stage.ended,
                "within_period": stage.within,
                "with_period": stage.counted,
                "percent_within": stage.percent_within,
                "mean_working_days": stage.mean_days,
                "median_working_days": stage.median_days,
            }
            for stage in s.stages
        ],
    }


@api.get(
    "/reports/indicators",
    response={200: IndicatorsOut, **COMMON_ERRORS},
    url_name="report_indicators",
    summary="Indicators of the complaints received in a period, against the previous period",
)
def report_indicators(request, period: Query[PeriodQuery]):
    user = request.auth_user
    if not user.sees_all_complaints:
        raise AuthorizationError(
            message=_("Alleen de directeur en het secretariaat zien het jaarverslag.")
        )
    form = PeriodForm(
        {
            "start": period.start.isoformat() if period.start else "",
            "end": period.end.isoformat() if period.end else "",
        }
    )
    chosen = form.period()
    if chosen is None:
        raise ValidationError(form.errors.as_data())
    ind = indicators_build(start=chosen[0], end=chosen[1])
    return {
        "start": ind.start,
        "end": ind.end,
        "previous_start": ind.previous_start,
        "previous_end": ind.previous_end,
        "overall": _set(ind.overall),
        "previous": _set(ind.previous),
        "per_course": [_set(s) for s in ind.per_course],
        "per_category": [_set(s) for s in ind.per_category],
    }
