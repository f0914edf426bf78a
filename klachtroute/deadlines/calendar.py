"""Which days count as working days for the organisation.

A working day is Monday to Friday, not a Dutch public holiday, and not one of
the organisation's own closing days (e.g. the days between Christmas and New
Year, or a bridge day after Ascension).

Public holidays come from the ``holidays`` package's Netherlands calendar and
are taken as-is. Note that as of holidays 0.108 that calendar:

* includes Good Friday (Goede Vrijdag) every year, although it is not listed
  in the Algemene termijnenwet;
* includes Liberation Day (5 May) only in lustrum years (2000, 2005, ...,
  2025, 2030, ...), the years in which it is commonly a day off;
* moves King's Day to 26 April when 27 April is a Sunday (e.g. 2025).

An organisation that also closes on 5 May in other years, or on other days,
configures those as closing days.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

_ONE_DAY = timedelta(days=1)
# Saturday and Sunday, as returned by date.weekday().
_WEEKEND = frozenset({5, 6})


@functools.lru_cache(maxsize=256)
def _public_holidays(year: int) -> dict[date, str]:
    """Dutch public holidays of one year, keyed by date, with Dutch names.

    Building a holidays calendar is comparatively slow, and deadline
    arithmetic asks about the same few years over and over, hence the cache.
    The language is fixed to Dutch so the names do not depend on the process
    locale. A plain dict is returned because a ``HolidayBase`` silently grows
    to other years on lookup, which would make the cached value mutable.
    """
    return dict(holidays.country_holidays("NL", years=year, language="nl"))


@dataclass(frozen=True)
class WorkCalendar:
    """The organisation's working-day calendar.

    ``closing_days`` are extra days the organisation is closed, on top of
    weekends and public holidays. Any iterable of dates is accepted and
    stored as a frozenset, so a calendar is hashable and safe to share.
    """

    closing_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        # Accept lists/sets from configuration but keep the instance immutable.
        if not isinstance(self.closing_days, frozenset):
            object.__setattr__(self, "closing_days", frozenset(self.closing_days))

    def is_working_day(self, d: date) -> bool:
        """True if ``d`` is a weekday that is neither a public holiday nor a closing day."""
        return (
            d.weekday() not in _WEEKEND
            and d not in _public_holidays(d.year)
            and d not in self.closing_days
        )

    def holiday_name(self, d: date) -> str | None:
        """Dutch name of the public holiday on ``d`` (e.g. "Koningsdag"), else None.

        Closing days are not public holidays and give None.
        """
        return _public_holidays(d.year).get(d)

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, otherwise the first working day after it."""
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d
