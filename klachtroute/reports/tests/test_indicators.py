"""The indicators in the annual report and the API: per stage, outcome, extensions,
satisfaction, per course and per category, against the previous period. The figures come
from the year of complaints in conftest.py, whose every step happens on a known day."""

import datetime as dt

import pytest

from klachtroute.accounts.models import ApiToken
from klachtroute.api.tests.conftest import ApiClient
from klachtroute.reports.exports import report_rows
from klachtroute.reports.indicators import indicators_build, previous_period
from klachtroute.reports.selectors import annual_report

from .test_compliance import awb_march  # noqa: F401 -- the Awb complaints set up by hand

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


@pytest.fixture
def api_as(db):
    def make(user) -> ApiClient:
        _token, raw = ApiToken.objects.create_token(user=user, name="test")
        return ApiClient(raw)

    return make


def test_previous_period_is_the_year_before_or_as_many_days():
    assert previous_period(START, END) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert previous_period(dt.date(2025, 3, 1), dt.date(2025, 5, 31)) == (
        dt.date(2024, 12, 1),
        dt.date(2025, 2, 28),
    )
    assert previous_period(dt.date(2025, 3, 10), dt.date(2025, 3, 19)) == (
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 9),
    )


def test_lsr_8a_indicators_per_stage_in_working_days(year_2025, report_day):
    ind = indicators_build(start=START, end=END)
    overall = ind.overall
    assert (overall.received, overall.closed) == (7, 5)
    # D, A, B and E closed without escalation; F went to the director.
    assert overall.first_stage_closed == 4
    assert overall.percent_first_stage == 80.0
    first = overall.stage("first")
    # Ended by closing (D 0, A 10, B 27, E 9 working days) or by escalation (C 6, F 3);
    # B within its extended period, every one in time.
    assert (first.ended, first.within, first.counted) == (6, 6, 6)
    assert sorted(first.days) == [0, 3, 6, 9, 10, 27]
    assert (first.mean_days, first.median_days) == (9.2, 7.5)
    escalation = overall.stage("escalation")
    # F: escalated Thu 9 Oct, ruled Mon 20 Oct; C is still with the third party.
    assert (escalation.ended, escalation.days, escalation.percent_within) == (1, [7], None)
    assert overall.outcomes == {"agreed": 4, "unfounded": 1}
    assert overall.extended == 1
    assert overall.satisfaction is None


def test_lsr_8a_indicators_against_the_previous_period(year_2025, report_day):
    ind = indicators_build(start=START, end=END)
    assert (ind.previous_start, ind.previous_end) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    # H, received 31 December 2024 at 23:30, is still open.
    assert (ind.previous.received, ind.previous.closed) == (1, 0)
    assert ind.previous.percent_first_stage is None


def test_lsr_8a_indicators_per_course_and_per_category(year_2025, report_day):
    ind = indicators_build(start=START, end=END)
    courses = {s.label: s for s in ind.per_course}
    assert {label: s.received for label, s in courses.items()} == {
        "Basisopleiding vertrouwenspersoon": 4,
        "Onbekend": 2,
        "Cursus X": 1,
    }
    basis = courses["Basisopleiding vertrouwenspersoon"]
    assert basis.closed == 2  # A and E
    assert sorted(basis.stage("first").days) == [6, 9, 10]  # C, E, A
    categories = {s.label: s.received for s in ind.per_category}
    assert categories["Niet gecategoriseerd"] == 5
    assert sum(categories.values()) == 7


def test_lsr_8a_annual_report_shows_and_exports_the_indicators(
    year_2025, report_day, director, login
):
    rows = report_rows(annual_report(start=START, end=END))
    values = {(section, item): value for section, item, value in rows}
    assert values[("Kengetallen", "Afgesloten in de eerste fase (%)")] == 80.0
    assert values[("Kengetallen", "Eerste behandeling: mediaan aantal werkdagen")] == 7.5
    assert values[("Kengetallen", "Opgelost in overleg")] == 4
    previous = "Kengetallen vorige periode (2024-01-01 tot en met 2024-12-31)"
    assert values[(previous, "Ontvangen klachten")] == 1

    html = login(director).get("/jaarverslag/", {"start": "2025-01-01", "end": "2025-12-31"})
    page = html.content.decode()
    assert "Kengetallen per opleiding" in page
    assert "Vorige periode (1-1-2024 – 31-12-2024)" in page


def test_lsr_8a_indicators_through_the_api(year_2025, report_day, director, api_as):
    response = api_as(director).get("/reports/indicators", start="2025-01-01", end="2025-12-31")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["previous_start"] == "2024-01-01"
    overall = body["overall"]
    assert (overall["received"], overall["closed"], overall["percent_first_stage"]) == (7, 5, 80.0)
    first = next(s for s in overall["stages"] if s["key"] == "first")
    assert (first["median_working_days"], first["percent_within"]) == (7.5, 100.0)
    assert overall["outcomes"]["agreed"] == 4
    assert body["previous"]["received"] == 1


def test_indicators_api_refuses_a_handler_and_a_bad_period(year_2025, trainers, director, api_as):
    assert (
        api_as(trainers[0])
        .get("/reports/indicators", start="2025-01-01", end="2025-12-31")
        .status_code
        == 403
    )
    response = api_as(director).get("/reports/indicators", start="2025-12-31", end="2025-01-01")
    assert response.status_code == 422
    assert "De einddatum ligt vóór de begindatum." in str(response.json())


@pytest.mark.parametrize("start, end", [("0001-01-01", "0001-12-31"), ("9999-01-01", "9999-12-31")])
def test_indicators_api_refuses_a_period_outside_the_calendar_of_complaints(
    db, director, api_as, start, end
):
    response = api_as(director).get("/reports/indicators", start=start, end=end)
    assert response.status_code == 422
    assert "Kies een datum tussen 1900 en 2999." in str(response.json())


@pytest.mark.usefixtures("awb_march")
def test_awb_9_12_a_reasoned_outcome_counts_by_its_judgement():
    """H and I were judged partly founded in a reasoned outcome; J and K were set aside."""
    ind = indicators_build(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))
    assert ind.overall.outcomes.get("partly_founded") == 2
    assert ind.overall.outcomes.get("other") == 2
