"""Reads of measures (LIVP-8, LSR-8c).

The director and the secretariat see every measure; anyone else only the measures they
own. A measure's complaints are shown by number only where `complaints_visible_to` lets
the reader see that complaint.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from klachtroute.cases.selectors import complaints_visible_to

from .models import Measure

FINISHED = (Measure.Status.DONE, Measure.Status.CANCELLED)


def measures_visible_to(user) -> QuerySet[Measure]:
    qs = Measure.objects.select_related("owner")
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_director or user.is_secretariat:
        return qs
    return qs.filter(owner=user)


def measure_get_visible(*, user, measure_id: int) -> Measure | None:
    return measures_visible_to(user).filter(pk=measure_id).first()


def measure_is_overdue(measure: Measure, today: date) -> bool:
    return measure.due_date < today and measure.status not in FINISHED


@dataclass
class MeasureRow:
    measure: Measure
    complaint_numbers: list[str]  # the complaints the reader may open
    hidden_complaints: int  # linked complaints the reader may not see
    overdue: bool


def measures_overview(*, user, today: date, status: str = "") -> list[MeasureRow]:
    """The measures a person may see, soonest due first, with the complaints they may see."""
    measures = measures_visible_to(user).prefetch_related("complaints").order_by("due_date", "id")
    if status == "overdue":
        measures = measures.filter(due_date__lt=today).exclude(status__in=FINISHED)
    elif status:
        measures = measures.filter(status=status)
    found = list(measures)
    linked = {c.pk for m in found for c in m.complaints.all()}
    visible = set(complaints_visible_to(user).filter(pk__in=linked).values_list("pk", flat=True))
    rows = []
    for measure in found:
        complaints = sorted(measure.complaints.all(), key=lambda c: c.number)
        rows.append(
            MeasureRow(
                measure=measure,
                complaint_numbers=[c.number for c in complaints if c.pk in visible],
                hidden_complaints=sum(1 for c in complaints if c.pk not in visible),
                overdue=measure_is_overdue(measure, today),
            )
        )
    return rows
