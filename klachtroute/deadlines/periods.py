"""Periods ("5 working days", "4 weeks") and the due dates they produce.

Conventions, shared by every function here:

* A period starts on the day the triggering event happened (``start``, e.g.
  the day the complaint was received) and that day itself never counts.
* A due date is a whole day: the deadline is met when the action happens at
  any time on that day. Use :func:`local_date` to turn a timestamp into the
  Dutch calendar date before doing any arithmetic.
* A due date always falls on a working day: a period that would end on a
  weekend, public holiday or closing day is extended to the next working day
  (in the spirit of the Algemene termijnenwet).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from klachtroute.deadlines.calendar import WorkCalendar

_ONE_DAY = timedelta(days=1)


class Unit(StrEnum):
    """The unit a period is expressed in. Values are the configuration spelling."""

    WORKING_DAYS = "working_days"
    WEEKS = "weeks"
    CALENDAR_DAYS = "days"


# "5 working_days": a non-negative decimal amount, whitespace, a unit word.
# Deliberately strict (no signs, no decimals) so a typo in configuration is
# rejected instead of silently producing a different deadline.
_PERIOD_RE = re.compile(r"\s*([0-9]+)\s+([a-z_]+)\s*", re.ASCII)
_UNIT_CHOICES = ", ".join(repr(u.value) for u in Unit)


def _parse_unit(value: object) -> Unit:
    try:
        return Unit(value)
    except ValueError:
        raise ValueError(
            f"unknown period unit {value!r}; expected one of {_UNIT_CHOICES}"
        ) from None


@dataclass(frozen=True)
class Period:
    """A length of time such as 5 working days or 4 weeks."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        # bool is a subclass of int, but "True working_days" is surely a mistake.
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(f"period amount must be an int, got {self.amount!r}")
        if self.amount < 0:
            raise ValueError(f"period amount must be >= 0, got {self.amount}")
        # Accept the plain string value too, but always store the enum member.
        object.__setattr__(self, "unit", _parse_unit(self.unit))

    @classmethod
    def parse(cls, value: dict | str | Period) -> Period:
        """Build a Period from configuration.

        Accepts ``{"amount": 5, "unit": "working_days"}`` or a string such as
        ``"5 working_days"``, ``"4 weeks"`` or ``"10 days"``. A Period is
        returned unchanged. Anything else raises ValueError.
        """
        if isinstance(value, Period):
            return value
        if isinstance(value, dict):
            if set(value) != {"amount", "unit"}:
                raise ValueError(
                    "period must have exactly the keys 'amount' and 'unit', "
                    f"got {sorted(map(str, value))}"
                )
            return cls(amount=value["amount"], unit=value["unit"])
        if isinstance(value, str):
            match = _PERIOD_RE.fullmatch(value)
            if match is None:
                raise ValueError(
                    f"cannot parse period {value!r}; expected '<amount> <unit>' "
                    f"such as '5 working_days', with unit one of {_UNIT_CHOICES}"
                )
            return cls(amount=int(match[1]), unit=_parse_unit(match[2]))
        raise ValueError(f"period must be a dict or a string, got {type(value).__name__}")

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value}"


def _check_amount(n: int) -> None:
    # A float would make the working-day loop below skip past zero forever.
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"period amount must be an int, got {n!r}")
    if n < 0:
        raise ValueError(f"period amount must be >= 0, got {n}")


def add_working_days(start: date, n: int, cal: WorkCalendar) -> date:
    """End of "within ``n`` working days" counted from ``start``.

    Returns the ``n``-th working day after ``start``; ``start`` itself is
    never counted, whether or not it is a working day. So a complaint received
    on Friday with a 1-working-day period is due on Monday (if that is a
    working day), and one received on Saturday is due on Monday as well.

    ``n == 0`` means "the same working day": ``start`` if it is a working day,
    otherwise the next one.
    """
    _check_amount(n)
    if n == 0:
        return cal.next_working_day(start)
    d = start
    remaining = n
    while remaining > 0:
        d += _ONE_DAY
        if cal.is_working_day(d):
            remaining -= 1
    return d


def add_weeks(start: date, n: int, cal: WorkCalendar) -> date:
    """End of "within ``n`` weeks": the same weekday ``n`` weeks later.

    When that day is not a working day the deadline moves to the next
    working day.
    """
    _check_amount(n)
    return cal.next_working_day(start + timedelta(weeks=n))


def add_calendar_days(start: date, n: int, cal: WorkCalendar) -> date:
    """End of "within ``n`` days": ``start + n`` days, moved to the next working day if needed."""
    _check_amount(n)
    return cal.next_working_day(start + timedelta(days=n))


_ADDERS: dict[Unit, Callable[[date, int, WorkCalendar], date]] = {
    Unit.WORKING_DAYS: add_working_days,
    Unit.WEEKS: add_weeks,
    Unit.CALENDAR_DAYS: add_calendar_days,
}


def add_years(start: date, n: int) -> date:
    """The same day `n` years later (or earlier); 29 February becomes 28 February in a
    common year. Retention periods ("kept for five years") count this way."""
    try:
        return start.replace(year=start.year + n)
    except ValueError:
        return start.replace(year=start.year + n, day=28)


def deadline(start: date, period: Period, cal: WorkCalendar) -> date:
    """Due date of ``period`` counted from ``start``; always a working day of ``cal``."""
    return _ADDERS[period.unit](start, period.amount, cal)


def _count_working_days(after: date, up_to: date, cal: WorkCalendar) -> int:
    """Number of working days d with ``after < d <= up_to``."""
    count = 0
    d = after + _ONE_DAY
    while d <= up_to:
        if cal.is_working_day(d):
            count += 1
        d += _ONE_DAY
    return count


def working_days_left(today: date, due: date, cal: WorkCalendar) -> int:
    """Working days remaining until ``due``, negative once it has passed.

    * ``due >= today``: the number of working days after ``today`` up to and
      including ``due``. Due today gives 0; due on the next working day
      gives 1. It is the inverse of :func:`add_working_days`:
      ``working_days_left(t, add_working_days(t, n, cal), cal) == n`` for
      ``n >= 1`` (and for ``n == 0`` when ``t`` is a working day).
    * ``due < today``: minus the number of working days after ``due`` up to
      and including ``today``, i.e. how many working days it is overdue.
      Due Friday and today is the following Tuesday (Monday a working day)
      gives -2.

    Caveat: on non-working days right after the due date the result is 0
    although the deadline has passed (due Friday, today Saturday: 0 working
    days overdue). Decide "overdue" with ``today > due``, not with the sign
    of this number.
    """
    if due >= today:
        return _count_working_days(today, due, cal)
    return -_count_working_days(due, today, cal)


def working_days_between(days: Iterable[date], cal: WorkCalendar):
    """``working_days_left`` for many pairs of ``days``, in constant time a pair: the
    working days from the first to the last of ``days`` are counted once, and the answer
    for two of them is the difference of their running counts. Returns a function of two
    dates, both among ``days``; for counting a batch of complaints' stages at once."""
    wanted = sorted(set(days))
    running: dict[date, int] = {}
    if wanted:
        count = 0
        d = wanted[0]
        while d <= wanted[-1]:
            if d > wanted[0] and cal.is_working_day(d):
                count += 1
            running[d] = count
            d += _ONE_DAY

    def left(today: date, due: date) -> int:
        return running[due] - running[today]

    return left


def local_date(dt: datetime, tz: str = "Europe/Amsterdam") -> date:
    """Calendar date of the aware datetime ``dt`` as seen in time zone ``tz``.

    Timestamps are stored in UTC, but deadlines run on Dutch calendar days:
    a complaint submitted at 00:30 Dutch time on Saturday (still Friday in
    UTC) was received on Saturday. Naive datetimes are rejected because their
    zone is unknown; an unknown zone name also raises ValueError.
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"local_date() needs an aware datetime, got naive {dt.isoformat()}")
    try:
        zone = ZoneInfo(tz)
    except ZoneInfoNotFoundError:
        raise ValueError(f"unknown time zone {tz!r}") from None
    return dt.astimezone(zone).date()
