"""Tests for periods and due dates, named after the requirements they prove.

LIVP-3: acknowledge receipt within 1 working day.
LIVP-5: first contact within 5 working days.
LIVP-9, LSR-6c, LSR-7b: settle / decide within 4 weeks.

Every expected date below was worked out by hand on a 2025-2027 calendar
(weekday in the comment) and cross-checked with holidays==0.108, whose NL
calendar includes Good Friday and includes Liberation Day (5 May) only in
lustrum years such as 2025.
"""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from klachtroute.deadlines import (
    Period,
    Unit,
    WorkCalendar,
    add_calendar_days,
    add_weeks,
    add_working_days,
    add_years,
    deadline,
    local_date,
    working_days_left,
)

NL = WorkCalendar()
ACKNOWLEDGEMENT = Period(1, Unit.WORKING_DAYS)  # LIVP-3
FIRST_CONTACT = Period(5, Unit.WORKING_DAYS)  # LIVP-5
SETTLEMENT = Period(4, Unit.WEEKS)  # LIVP-9, LSR-6c, LSR-7b


# --- LIVP-3: acknowledgement within 1 working day -------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 6), date(2026, 1, 7)),  # Tue -> Wed, ordinary week
        (date(2025, 12, 31), date(2026, 1, 2)),  # Wed -> Fri, skips New Year's Day (Thu)
        (date(2026, 1, 1), date(2026, 1, 2)),  # received on New Year's Day -> Fri
        (date(2026, 4, 2), date(2026, 4, 7)),  # Thu -> Tue: Good Fri, weekend, Easter Mon
        (date(2026, 5, 13), date(2026, 5, 15)),  # Wed -> Fri, skips Ascension (Thu)
        (date(2026, 5, 22), date(2026, 5, 26)),  # Fri -> Tue, skips Whit Monday
        (date(2026, 12, 24), date(2026, 12, 28)),  # Thu -> Mon, Christmas Fri+Sat, Sun
        (date(2025, 4, 25), date(2025, 4, 28)),  # Fri -> Mon: King's Day 2025 on a Saturday
    ],
)
def test_livp_3_acknowledgement_due_next_working_day(received, due):
    assert deadline(received, ACKNOWLEDGEMENT, NL) == due


@pytest.mark.parametrize(
    "received",
    [
        date(2026, 4, 24),  # Friday
        date(2026, 4, 25),  # Saturday
        date(2026, 4, 26),  # Sunday
        date(2026, 4, 27),  # King's Day itself (Monday)
    ],
)
def test_livp_3_acknowledgement_due_next_working_day_after_kings_day(received):
    # Monday 27 April 2026 is King's Day, so Tuesday 28 April is the first working day.
    assert deadline(received, ACKNOWLEDGEMENT, NL) == date(2026, 4, 28)


def test_livp_3_complaint_received_on_friday_is_acknowledged_on_monday():
    assert deadline(date(2026, 1, 9), ACKNOWLEDGEMENT, NL) == date(2026, 1, 12)


def test_livp_3_complaint_received_on_saturday_is_acknowledged_on_monday():
    # The Saturday itself never counts, and neither does Sunday.
    assert deadline(date(2026, 1, 10), ACKNOWLEDGEMENT, NL) == date(2026, 1, 12)


# --- LIVP-5: first contact within 5 working days --------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 5), date(2026, 1, 12)),  # Mon -> next Mon, ordinary week
        (date(2026, 1, 3), date(2026, 1, 9)),  # Sat -> Fri: Mon..Fri are days 1..5
        (date(2026, 1, 9), date(2026, 1, 16)),  # Fri -> next Fri
        (date(2025, 12, 29), date(2026, 1, 6)),  # Mon -> Tue: skips New Year's Day
        (date(2026, 3, 30), date(2026, 4, 8)),  # Mon -> Wed: skips Good Fri + Easter Mon
        (date(2026, 4, 24), date(2026, 5, 4)),  # Fri -> Mon: skips King's Day
        (date(2026, 5, 11), date(2026, 5, 19)),  # Mon -> Tue: skips Ascension
        (date(2026, 5, 20), date(2026, 5, 28)),  # Wed -> Thu: skips Whit Monday
        (date(2026, 12, 23), date(2026, 12, 31)),  # Wed -> Thu: skips Christmas Day
        (date(2026, 12, 28), date(2027, 1, 5)),  # Mon -> Tue: skips New Year 2027 (Fri)
        # 2025 is a lustrum year: the package lists Liberation Day (Mon 5 May) as a holiday.
        (date(2025, 4, 28), date(2025, 5, 6)),  # Mon -> Tue
    ],
)
def test_livp_5_first_contact_due_after_five_working_days(received, due):
    assert deadline(received, FIRST_CONTACT, NL) == due


def test_livp_5_liberation_day_2026_is_an_ordinary_working_day():
    # Tue 5 May 2026 is not a holiday in the package (not a lustrum year):
    # Thu 30 Apr is day 1, Fri 1 May day 2, Mon 4 day 3, Tue 5 day 4, Wed 6 day 5.
    assert deadline(date(2026, 4, 29), FIRST_CONTACT, NL) == date(2026, 5, 6)


# --- LIVP-9 / LSR-6c / LSR-7b: 4 weeks -----------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 6, 10), date(2026, 7, 8)),  # Wed -> Wed, nothing in the way
        (date(2025, 12, 4), date(2026, 1, 2)),  # Thu -> New Year's Day (Thu) -> Fri
        (date(2026, 3, 6), date(2026, 4, 7)),  # Fri -> Good Friday -> Tue after Easter
        (date(2026, 3, 30), date(2026, 4, 28)),  # Mon -> King's Day (Mon) -> Tue
        (date(2026, 4, 16), date(2026, 5, 15)),  # Thu -> Ascension (Thu) -> Fri
        (date(2026, 4, 27), date(2026, 5, 26)),  # Mon -> Whit Monday -> Tue
        (date(2026, 11, 27), date(2026, 12, 28)),  # Fri -> Christmas (Fri) -> Mon
        (date(2026, 1, 10), date(2026, 2, 9)),  # Sat -> Sat 7 Feb -> Mon
        (date(2026, 1, 9), date(2026, 2, 6)),  # Fri -> Fri
    ],
)
def test_livp_9_settlement_due_four_weeks_later_on_a_working_day(received, due):
    assert deadline(received, SETTLEMENT, NL) == due


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 3, 30), date(2026, 4, 28)),  # lands on King's Day -> Tuesday
        (date(2026, 11, 27), date(2026, 12, 28)),  # lands on Christmas Day -> Monday
    ],
)
def test_lsr_6c_and_lsr_7b_four_week_periods_move_past_holidays(received, due):
    four_weeks = Period.parse("4 weeks")
    assert deadline(received, four_weeks, NL) == due
    assert add_weeks(received, 4, NL) == due


# --- Closing days --------------------------------------------------------------------

# The organisation closes on the bridge day after Ascension (Fri 15 May 2026).
BRIDGE_DAY = date(2026, 5, 15)
CLOSED_ON_BRIDGE_DAY = WorkCalendar(closing_days=frozenset({BRIDGE_DAY}))


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 5, 12), date(2026, 5, 13)),  # Tue, before: unaffected -> Wed
        (date(2026, 5, 13), date(2026, 5, 18)),  # Wed -> Ascension, closed Fri, weekend -> Mon
        (BRIDGE_DAY, date(2026, 5, 18)),  # received online on the closing day -> Mon
        (date(2026, 5, 18), date(2026, 5, 19)),  # Mon, after: unaffected -> Tue
    ],
)
def test_livp_3_acknowledgement_around_a_closing_day(received, due):
    assert deadline(received, ACKNOWLEDGEMENT, CLOSED_ON_BRIDGE_DAY) == due


def test_livp_5_first_contact_skips_a_closing_day():
    # Mon 11 May: Tue 12 (1), Wed 13 (2), Thu Ascension, Fri closed, Mon 18 (3), Tue 19 (4),
    # Wed 20 (5).
    assert deadline(date(2026, 5, 11), FIRST_CONTACT, CLOSED_ON_BRIDGE_DAY) == date(2026, 5, 20)


def test_livp_9_four_weeks_ending_on_a_closing_day_moves_to_next_working_day():
    assert deadline(date(2026, 4, 17), SETTLEMENT, CLOSED_ON_BRIDGE_DAY) == date(2026, 5, 18)


def test_livp_3_acknowledgement_when_closed_between_christmas_and_new_year():
    closed = WorkCalendar(closing_days=frozenset(date(2026, 12, d) for d in range(28, 32)))
    # Thu 24 Dec: Christmas Fri+Sat, Sun, closed Mon-Thu, New Year's Day 2027 (Fri),
    # weekend -> Mon 4 Jan 2027.
    assert deadline(date(2026, 12, 24), ACKNOWLEDGEMENT, closed) == date(2027, 1, 4)


# --- The individual adders -----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2026, 1, 6), date(2026, 1, 6)),  # working Tuesday: itself
        (date(2026, 1, 10), date(2026, 1, 12)),  # Saturday -> Monday
        (date(2026, 4, 27), date(2026, 4, 28)),  # King's Day -> Tuesday
    ],
)
def test_zero_working_days_is_the_same_or_next_working_day(start, expected):
    assert add_working_days(start, 0, NL) == expected


def test_add_weeks_zero_is_the_same_or_next_working_day():
    assert add_weeks(date(2026, 1, 6), 0, NL) == date(2026, 1, 6)
    assert add_weeks(date(2026, 12, 25), 0, NL) == date(2026, 12, 28)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 1, 5), 10, date(2026, 1, 15)),  # Mon + 10 = Thu
        (date(2026, 4, 17), 10, date(2026, 4, 28)),  # Fri + 10 = Mon King's Day -> Tue
        (date(2026, 12, 21), 4, date(2026, 12, 28)),  # Mon + 4 = Fri Christmas -> Mon
        (date(2026, 1, 5), 0, date(2026, 1, 5)),
    ],
)
def test_add_calendar_days_known_dates(start, n, expected):
    assert add_calendar_days(start, n, NL) == expected
    assert deadline(start, Period(n, Unit.CALENDAR_DAYS), NL) == expected


@pytest.mark.parametrize("adder", [add_working_days, add_weeks, add_calendar_days])
def test_adders_reject_negative_amounts(adder):
    with pytest.raises(ValueError, match=">= 0"):
        adder(date(2026, 1, 5), -1, NL)


@pytest.mark.parametrize("adder", [add_working_days, add_weeks, add_calendar_days])
def test_adders_reject_non_integer_amounts(adder):
    with pytest.raises(TypeError, match="int"):
        adder(date(2026, 1, 5), 1.5, NL)


# --- working_days_left ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "due", "left"),
    [
        (date(2026, 4, 28), date(2026, 4, 28), 0),  # due today
        (date(2026, 4, 24), date(2026, 4, 28), 1),  # Fri, due Tue after King's Day
        (date(2026, 4, 25), date(2026, 4, 28), 1),  # Sat, due Tue
        (date(2026, 4, 24), date(2026, 5, 4), 5),  # LIVP-5 row above, read backwards
        (date(2026, 4, 28), date(2026, 4, 24), -1),  # due Fri, today Tue: 1 day overdue
        (date(2026, 4, 29), date(2026, 4, 24), -2),  # due Fri, today Wed: 2 days overdue
        (date(2026, 1, 12), date(2026, 1, 9), -1),  # due Fri, today Mon
        # Due Friday, today Saturday: passed, but no working day overdue yet (documented).
        (date(2026, 1, 10), date(2026, 1, 9), 0),
        (date(2026, 12, 31), date(2027, 1, 5), 2),  # Mon 4 and Tue 5 Jan; Fri 1 Jan is off
    ],
)
def test_working_days_left_known_dates(today, due, left):
    assert working_days_left(today, due, NL) == left


def test_working_days_left_counts_closing_days_as_non_working():
    # Wed 13 May -> Mon 18 May: Ascension and the closed Friday do not count.
    assert working_days_left(date(2026, 5, 13), date(2026, 5, 18), CLOSED_ON_BRIDGE_DAY) == 1
    assert working_days_left(date(2026, 5, 13), date(2026, 5, 18), NL) == 2


# --- Period ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"amount": 5, "unit": "working_days"}, Period(5, Unit.WORKING_DAYS)),
        ({"amount": 4, "unit": Unit.WEEKS}, Period(4, Unit.WEEKS)),
        ("5 working_days", Period(5, Unit.WORKING_DAYS)),
        ("4 weeks", Period(4, Unit.WEEKS)),
        ("10 days", Period(10, Unit.CALENDAR_DAYS)),
        ("0 days", Period(0, Unit.CALENDAR_DAYS)),
        ("  1   working_days ", Period(1, Unit.WORKING_DAYS)),
        (Period(4, Unit.WEEKS), Period(4, Unit.WEEKS)),
    ],
)
def test_period_parse_accepts_dicts_and_strings(value, expected):
    period = Period.parse(value)
    assert period == expected
    assert isinstance(period.unit, Unit)


@pytest.mark.parametrize(
    "value",
    [
        "5",
        "working_days",
        "five working_days",
        "-1 days",
        "+1 days",
        "1.5 weeks",
        "5 months",
        "5 Working_Days",
        "5working_days",
        "\u0665 days",  # ARABIC-INDIC DIGIT FIVE: int() would accept it, config must not
        "",
        {"amount": 5},
        {"unit": "weeks"},
        {"amount": 5, "unit": "weeks", "extra": 1},
        {"amount": "5", "unit": "weeks"},
        {"amount": 5.0, "unit": "weeks"},
        {"amount": True, "unit": "weeks"},
        {"amount": -1, "unit": "weeks"},
        {"amount": 5, "unit": "fortnights"},
        {"amount": 5, "unit": ["weeks"]},
        5,
        None,
        ["5", "weeks"],
    ],
)
def test_period_parse_rejects_invalid_values_with_value_error(value):
    with pytest.raises(ValueError, match="period|unit"):
        Period.parse(value)


def test_period_parse_error_message_lists_the_allowed_units():
    with pytest.raises(ValueError, match="'working_days', 'weeks', 'days'"):
        Period.parse("3 months")


@pytest.mark.parametrize(
    ("period", "text"),
    [
        (Period(5, Unit.WORKING_DAYS), "5 working_days"),
        (Period(4, Unit.WEEKS), "4 weeks"),
        (Period(10, Unit.CALENDAR_DAYS), "10 days"),
    ],
)
def test_period_str_round_trips_through_parse(period, text):
    assert str(period) == text
    assert Period.parse(str(period)) == period


def test_period_is_immutable_and_hashable():
    period = Period(5, Unit.WORKING_DAYS)
    with pytest.raises(AttributeError):
        period.amount = 6  # type: ignore[misc]
    assert {period, Period(5, "working_days")} == {period}  # type: ignore[arg-type]


# --- local_date ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Winter time (CET, UTC+1): 23:00 UTC on New Year's Eve is already 1 January.
        (datetime(2025, 12, 31, 23, 0, tzinfo=UTC), date(2026, 1, 1)),
        (datetime(2025, 12, 31, 22, 59, tzinfo=UTC), date(2025, 12, 31)),
        # Night of the switch to summer time (Sun 29 March 2026, 01:00 UTC).
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 29)),
        # Summer time (CEST, UTC+2).
        (datetime(2026, 6, 30, 22, 30, tzinfo=UTC), date(2026, 7, 1)),
        (datetime(2026, 6, 30, 21, 59, tzinfo=UTC), date(2026, 6, 30)),
        # Friday night 23:30 in New York is Saturday morning in Amsterdam.
        (datetime(2026, 1, 9, 23, 30, tzinfo=timezone(timedelta(hours=-5))), date(2026, 1, 10)),
    ],
)
def test_local_date_uses_dutch_calendar_day(moment, expected):
    assert local_date(moment) == expected


def test_local_date_other_time_zone():
    moment = datetime(2025, 12, 31, 23, 0, tzinfo=UTC)
    assert local_date(moment, "UTC") == date(2025, 12, 31)
    assert local_date(moment, "Asia/Tokyo") == date(2026, 1, 1)


def test_local_date_rejects_naive_datetimes():
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2026, 1, 9, 12, 0))


def test_local_date_rejects_unknown_time_zone():
    with pytest.raises(ValueError, match="time zone"):
        local_date(datetime(2026, 1, 9, 12, 0, tzinfo=UTC), "Europe/Atlantis")


def test_complaint_submitted_just_after_midnight_saturday_is_received_saturday():
    # 23:30 UTC on Friday 9 January 2026 is 00:30 on Saturday in Amsterdam, so the
    # acknowledgement is due Monday 12 January, as for any Saturday complaint (LIVP-3).
    received = local_date(datetime(2026, 1, 9, 23, 30, tzinfo=UTC))
    assert received == date(2026, 1, 10)
    assert deadline(received, ACKNOWLEDGEMENT, NL) == date(2026, 1, 12)


def test_a_retention_period_in_years_ends_on_the_same_day_or_on_28_february():
    assert add_years(date(2026, 3, 14), 5) == date(2031, 3, 14)
    assert add_years(date(2028, 2, 29), 5) == date(2033, 2, 28)
    assert add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)
    assert add_years(date(2031, 3, 14), -5) == date(2026, 3, 14)
