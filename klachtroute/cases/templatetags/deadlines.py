"""Template filters that show deadlines in working days.

The organisation's calendar is read once per request by the view and passed in,
so that a long list does not query the closing days once per row.
"""

from datetime import date
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klachtroute.deadlines import WorkCalendar, working_days_left

register = template.Library()


def _today() -> date:
    return timezone.localdate()


@lru_cache(maxsize=4096)
def _left(today: date, due: date, calendar: WorkCalendar) -> int:
    # A list shows many rows with the same few due dates, counted day by day: once each.
    # The calendar is frozen (hashable), so changed closing days are another key.
    return working_days_left(today, due, calendar)


@register.filter
def days_left(due: date | None, calendar: WorkCalendar | None) -> str:
    """'nog 3 werkdagen', 'vandaag', '2 werkdagen te laat'; empty without a due date."""
    return days_left_on(due, calendar, _today())


def days_left_on(due: date | None, calendar: WorkCalendar | None, today: date) -> str:
    """`days_left` as seen on `today` (a list reads the day once, not once per row)."""
    if not due:
        return ""
    if due == today:
        return _("vandaag")
    left = _left(today, due, calendar or WorkCalendar())
    if due > today:
        return ngettext("nog %(n)s werkdag", "nog %(n)s werkdagen", left) % {"n": left}
    # On a weekend right after the due date no working day has passed yet, but it is late.
    late = max(-left, 0)
    if late == 0:
        return _("verlopen")
    return ngettext("%(n)s werkdag te laat", "%(n)s werkdagen te laat", late) % {"n": late}


@register.filter
def is_overdue(due: date | None) -> bool:
    return bool(due) and due < _today()


@register.filter
def is_soon(due: date | None, calendar: WorkCalendar | None) -> bool:
    """Due today or on the next working day: worth a warning."""
    return is_soon_on(due, calendar, _today())


def is_soon_on(due: date | None, calendar: WorkCalendar | None, today: date) -> bool:
    if not due or due < today:
        return False
    return _left(today, due, calendar or WorkCalendar()) <= 1
