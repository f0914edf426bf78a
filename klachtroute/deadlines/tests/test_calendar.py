"""Tests for WorkCalendar: which days are working days.

Expected dates were checked against a real calendar and against what
holidays==0.108 reports for the Netherlands (see the comments per row).
"""

from datetime import date

import pytest

from klachtroute.deadlines import WorkCalendar

NL = WorkCalendar()


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 1), "Nieuwjaarsdag"),  # Thursday
        # Good Friday is in the package's NL calendar (not in the Algemene termijnenwet).
        (date(2026, 4, 3), "Goede vrijdag"),
        (date(2026, 4, 5), "Eerste paasdag"),  # Sunday
        (date(2026, 4, 6), "Tweede paasdag"),  # Monday
        (date(2026, 4, 27), "Koningsdag"),  # Monday
        (date(2026, 5, 14), "Hemelvaartsdag"),  # Thursday
        (date(2026, 5, 24), "Eerste pinksterdag"),  # Sunday
        (date(2026, 5, 25), "Tweede pinksterdag"),  # Monday
        (date(2026, 12, 25), "Eerste kerstdag"),  # Friday
        (date(2026, 12, 26), "Tweede kerstdag"),  # Saturday
        # 27 April 2025 was a Sunday, so King's Day moved to Saturday 26 April.
        (date(2025, 4, 26), "Koningsdag"),
        # The package lists Liberation Day only in lustrum years: 2025 yes, 2026 no.
        (date(2025, 5, 5), "Bevrijdingsdag"),
    ],
)
def test_public_holidays_are_named_in_dutch_and_not_working_days(day, name):
    assert NL.holiday_name(day) == name
    assert not NL.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 4, 27),  # Sunday: King's Day was moved to the 26th, not kept here
        date(2026, 4, 28),  # Tuesday after King's Day
        date(2026, 5, 5),  # Liberation Day, not a public holiday in 2026 per the package
        date(2026, 5, 15),  # Friday after Ascension (a "brugdag", not a public holiday)
        date(2026, 12, 24),  # Christmas Eve
        date(2026, 12, 31),  # New Year's Eve
    ],
)
def test_ordinary_days_have_no_holiday_name(day):
    assert NL.holiday_name(day) is None


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 1), False),  # Thursday, New Year's Day
        (date(2026, 1, 2), True),  # Friday
        (date(2026, 1, 3), False),  # Saturday
        (date(2026, 1, 4), False),  # Sunday
        (date(2026, 1, 5), True),  # Monday
        (date(2026, 4, 2), True),  # Thursday before Easter
        (date(2026, 4, 3), False),  # Good Friday (per the package)
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 4, 7), True),  # Tuesday after Easter
        (date(2026, 4, 27), False),  # King's Day, Monday
        (date(2025, 4, 25), True),  # Friday before King's Day 2025 (on Saturday)
        (date(2025, 4, 28), True),  # Monday after: no weekday lost in 2025
        (date(2026, 5, 5), True),  # Tuesday, Liberation Day 2026 is not in the package
        (date(2025, 5, 5), False),  # Monday, Liberation Day 2025 (lustrum year)
        (date(2026, 5, 14), False),  # Ascension Day
        (date(2026, 5, 15), True),  # Friday after Ascension
        (date(2026, 5, 25), False),  # Whit Monday
        (date(2026, 12, 24), True),  # Thursday, Christmas Eve
        (date(2026, 12, 25), False),  # Friday, Christmas Day
        (date(2026, 12, 28), True),  # Monday after Christmas
    ],
)
def test_is_working_day_known_dates(day, working):
    assert NL.is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 2), date(2026, 1, 2)),  # working Friday: itself
        (date(2026, 1, 1), date(2026, 1, 2)),  # New Year's Day -> Friday
        (date(2026, 1, 3), date(2026, 1, 5)),  # Saturday -> Monday
        (date(2026, 4, 3), date(2026, 4, 7)),  # Good Friday -> Tuesday after Easter Monday
        (date(2026, 4, 25), date(2026, 4, 28)),  # Saturday -> past King's Day to Tuesday
        (date(2026, 5, 14), date(2026, 5, 15)),  # Ascension -> Friday
        (date(2026, 5, 23), date(2026, 5, 26)),  # Saturday -> past Whit Monday
        (date(2026, 12, 25), date(2026, 12, 28)),  # Christmas -> Monday
    ],
)
def test_next_working_day_known_dates(day, expected):
    assert NL.next_working_day(day) == expected


def test_closing_days_are_not_working_days_but_not_holidays_either():
    bridge_day = date(2026, 5, 15)  # Friday after Ascension
    cal = WorkCalendar(closing_days=frozenset({bridge_day}))
    assert not cal.is_working_day(bridge_day)
    assert cal.holiday_name(bridge_day) is None
    # Thursday is Ascension, Friday closed, then the weekend: Monday 18 May.
    assert cal.next_working_day(date(2026, 5, 14)) == date(2026, 5, 18)
    # The default calendar is unaffected.
    assert NL.is_working_day(bridge_day)


def test_closing_days_accept_any_iterable_and_calendar_stays_hashable():
    days = [date(2026, 12, 28), date(2026, 12, 29)]
    cal = WorkCalendar(closing_days=days)  # type: ignore[arg-type]
    assert cal.closing_days == frozenset(days)
    assert cal == WorkCalendar(closing_days=frozenset(reversed(days)))
    assert hash(cal) == hash(WorkCalendar(closing_days=frozenset(days)))


def test_holidays_outside_the_current_year_are_known():
    # The per-year cache must not pin the calendar to one year.
    assert NL.holiday_name(date(2000, 4, 30)) is None  # Queen's Day 2000 was 29 April
    assert NL.holiday_name(date(2000, 4, 29)) == "Koninginnedag"
    assert NL.holiday_name(date(2100, 12, 25)) == "Eerste kerstdag"
