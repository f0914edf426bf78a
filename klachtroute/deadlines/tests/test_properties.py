"""Property tests: invariants of deadline arithmetic over 2000-2100.

Closing days are generated close to the start date (within the longest
period tested), because closing days scattered over a whole century would
almost never get in a deadline's way.
"""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from klachtroute.deadlines import (
    Period,
    Unit,
    WorkCalendar,
    add_working_days,
    deadline,
    working_days_between,
    working_days_left,
)

# database=None: keep hypothesis from writing a .hypothesis/ directory into the
# project root; deadline=None: the first lookup of a year builds its holiday
# table, which must not count as a slow example.
DEADLINE_SETTINGS = settings(max_examples=150, deadline=None, database=None)

MAX_AMOUNT = 60
# 60 weeks is the longest period generated; closing days beyond it cannot matter.
HORIZON_DAYS = MAX_AMOUNT * 7 + 14

start_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
amounts = st.integers(min_value=0, max_value=MAX_AMOUNT)
units = st.sampled_from(list(Unit))


@st.composite
def start_and_calendar(draw):
    """A start date and a calendar with up to 30 closing days near it."""
    start = draw(start_dates)
    offsets = draw(st.frozensets(st.integers(0, HORIZON_DAYS), max_size=30))
    return start, WorkCalendar(closing_days=frozenset(start + timedelta(days=o) for o in offsets))


@DEADLINE_SETTINGS
@given(start_and_calendar(), amounts, units)
def test_deadline_always_falls_on_a_working_day(start_cal, amount, unit):
    start, cal = start_cal
    due = deadline(start, Period(amount, unit), cal)
    assert cal.is_working_day(due)
    assert due >= start


@DEADLINE_SETTINGS
@given(start_and_calendar(), amounts, amounts, units)
def test_deadline_never_moves_earlier_when_the_period_grows(start_cal, a, b, unit):
    start, cal = start_cal
    shorter, longer = sorted((a, b))
    assert deadline(start, Period(shorter, unit), cal) <= deadline(start, Period(longer, unit), cal)


@DEADLINE_SETTINGS
@given(start_and_calendar(), st.integers(min_value=1, max_value=MAX_AMOUNT))
def test_working_day_deadline_is_strictly_after_start(start_cal, n):
    # LIVP-3 / LIVP-5: the day of receipt itself never counts.
    start, cal = start_cal
    assert add_working_days(start, n, cal) > start


@DEADLINE_SETTINGS
@given(start_and_calendar())
def test_no_working_days_left_on_the_due_date(start_cal):
    due, cal = start_cal
    assert working_days_left(due, due, cal) == 0


@DEADLINE_SETTINGS
@given(start_and_calendar(), amounts)
def test_working_days_left_inverts_add_working_days(start_cal, n):
    start, cal = start_cal
    today = cal.next_working_day(start)
    due = add_working_days(today, n, cal)
    assert working_days_left(today, due, cal) == n
    # Seen from the due date, today lies exactly n working days in the past.
    assert working_days_left(due, today, cal) == -n


@DEADLINE_SETTINGS
@given(start_and_calendar(), st.integers(min_value=-HORIZON_DAYS, max_value=HORIZON_DAYS))
def test_working_days_left_is_antisymmetric(start_cal, offset):
    # Both directions count the working days in the same half-open interval.
    today, cal = start_cal
    other = today + timedelta(days=offset)
    assert working_days_left(today, other, cal) == -working_days_left(other, today, cal)


@DEADLINE_SETTINGS
@given(start_and_calendar(), st.lists(st.integers(0, HORIZON_DAYS), min_size=1, max_size=8))
def test_working_days_between_many_days_equals_counting_each_pair(start_cal, offsets):
    start, cal = start_cal
    days = [start + timedelta(days=o) for o in offsets]
    left = working_days_between(days, cal)
    for today in days:
        for due in days:
            assert left(today, due) == working_days_left(today, due, cal)
