"""Working-day deadline arithmetic for Dutch complaint handling.

The complaint procedures (LIVP, LSR, Awb chapter 9) express their deadlines as
"within N working days" or "within N weeks". This package turns such periods
into concrete due dates using the Dutch public-holiday calendar plus the days
the organisation itself is closed.

Everything here is a pure function of its arguments: no Django, no ORM, no
clock. Callers pass "today" and the organisation's closing days explicitly, so
the same code serves views, background tasks and tests alike.
"""

from klachtroute.deadlines.calendar import WorkCalendar
from klachtroute.deadlines.periods import (
    Period,
    Unit,
    add_calendar_days,
    add_weeks,
    add_working_days,
    add_years,
    deadline,
    local_date,
    working_days_between,
    working_days_left,
)

__all__ = [
    "Period",
    "Unit",
    "WorkCalendar",
    "add_calendar_days",
    "add_weeks",
    "add_working_days",
    "add_years",
    "deadline",
    "local_date",
    "working_days_between",
    "working_days_left",
]
