"""Putting the procedure's periods on a complaint (the arithmetic lives in klachtroute.deadlines)."""

from django.conf import settings

from klachtroute.deadlines import WorkCalendar, deadline, local_date

from .models import Complaint
from .workflow import SETTLEMENT_OVER, State

DEADLINE_FIELDS = {
    "acknowledge": ("acknowledge_due", "acknowledged_at"),
    "first_contact": ("first_contact_due", "first_contact_at"),
    "settle": ("settle_due", "settled_at"),
}


def deadlines_compute(complaint: Complaint, calendar: WorkCalendar) -> dict[str, object]:
    """Set every deadline from the day of receipt and the complaint's procedure version."""
    received_on = local_date(complaint.received_at, settings.TIME_ZONE)
    for key, (due_field, _done_field) in DEADLINE_FIELDS.items():
        period = complaint.procedure_version.period(key)
        setattr(complaint, due_field, deadline(received_on, period, calendar) if period else None)
    complaint.next_due = next_due(complaint)
    return deadlines_snapshot(complaint)


def next_due(complaint: Complaint):
    """The nearest deadline that has not been met yet; None for a closed complaint."""
    if not complaint.is_open:
        return None
    open_dues = [
        getattr(complaint, due_field)
        for key, (due_field, done_field) in DEADLINE_FIELDS.items()
        if getattr(complaint, due_field)
        and getattr(complaint, done_field) is None
        and not (key == "settle" and complaint.state in SETTLEMENT_OVER)
    ]
    if complaint.state == State.AWAITING_DEFENCE and complaint.defence_due:
        open_dues.append(complaint.defence_due)
    return min(open_dues, default=None)


def deadlines_snapshot(complaint: Complaint) -> dict[str, str | None]:
    return {
        key: (getattr(complaint, due).isoformat() if getattr(complaint, due) else None)
        for key, (due, _done) in DEADLINE_FIELDS.items()
    }
