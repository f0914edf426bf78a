"""The annual report reads a roll-up of per-complaint facts (reports/rollup.py): its figures
must be exactly those computed over the complaints and their histories, also right after a
change, in every export, and at a cost that does not grow with the number of complaints."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from klachtroute.cases import services
from klachtroute.cases.models import Complaint
from klachtroute.operations.periodic import periodic_run
from klachtroute.organisation.models import ClosingDay
from klachtroute.organisation.selectors import organisation_get
from klachtroute.reports.exports import pdf_render, report_csv, report_rows
from klachtroute.reports.models import ComplaintFacts, FactsPending
from klachtroute.reports.selectors import annual_report, annual_report_compute
from klachtroute.testing.factories import complaint_data

from .conftest import AMS, at, now
from .test_annual_report import _xlsx_numbers, pdf_text

YEAR = {"start": "2025-01-01", "end": "2025-12-31"}
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
PERIODS = [
    (START, END),  # with the indicators against 2024
    (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    (dt.date(2025, 3, 1), dt.date(2025, 5, 31)),
    (dt.date(2025, 2, 10), dt.date(2025, 10, 6)),  # not whole months
]


def _withdrawn(secretariat):
    """One more LSR complaint in 2025, withdrawn by the complainant before any handling."""
    with at(2025, 6, 2):
        complaint = services.complaint_register(
            **complaint_data(actor=secretariat, received_at=now(), complainant_name="Wim Wit")
        )
    with at(2025, 6, 5):
        services.complaint_withdraw(complaint=complaint, party="complainant", reason="Opgelost.")
    return complaint


def assert_rollup_equals_computation():
    for start, end in PERIODS:
        assert report_rows(annual_report(start=start, end=end)) == report_rows(
            annual_report_compute(start=start, end=end)
        ), (start, end)


def test_lsr_8a_report_from_the_rollup_equals_the_computation_over_complaints(
    year_2025, secretariat, report_day
):
    _withdrawn(secretariat)
    rows = report_rows(annual_report(start=START, end=END))
    assert ("Totaal", "Ontvangen klachten", 8) in rows
    assert ("Uitkomst", "Ingetrokken door klager", 1) in rows
    assert ("Escalaties", "Naar de directeur", 1) in rows
    assert ("Verlenging", "Klachten met verlengde termijn", 1) in rows
    assert_rollup_equals_computation()
    # The report refreshed what the story queued: every complaint has its facts.
    assert ComplaintFacts.objects.count() == Complaint.objects.count()


def test_lsr_8a_rollup_follows_an_appended_event_and_a_corrected_date_of_receipt(
    year_2025, secretariat, director, report_day
):
    c = year_2025
    assert_rollup_equals_computation()
    before = report_rows(annual_report(start=START, end=END))

    # An event appended: G (still open, with the exam committee) is withdrawn.
    services.complaint_withdraw(complaint=c.G, party="complainant", reason="Toch niet nodig.")
    assert FactsPending.objects.filter(complaint=c.G).exists()  # queued with the change
    after = report_rows(annual_report(start=START, end=END))
    assert ("Uitkomst", "Ingetrokken door klager", 1) in after
    assert ("Uitkomst", "Ingetrokken door klager", 1) not in before
    assert_rollup_equals_computation()

    # A corrected date of receipt moves C (open) from May 2025 to December 2024.
    services.complaint_correct_received_at(
        complaint=c.C,
        received_at=dt.datetime(2024, 12, 30, 10, tzinfo=AMS),
        actor=secretariat,
        reason="De klacht kwam al in december binnen.",
    )
    assert ("Totaal", "Ontvangen klachten", 6) in report_rows(annual_report(start=START, end=END))
    assert ("Totaal", "Ontvangen klachten", 2) in report_rows(
        annual_report(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    )
    assert_rollup_equals_computation()


def test_lsr_8a_a_closing_day_changes_the_working_days_of_the_stages_around_it(
    year_2025, report_day
):
    before = annual_report(start=START, end=END).indicators.overall.stage("first").days
    # A (received Monday 3 Feb, settled 17 Feb): one working day fewer.
    day = ClosingDay.objects.create(date=dt.date(2025, 2, 5), description="Studiedag")
    after = annual_report(start=START, end=END).indicators.overall.stage("first").days
    assert sum(after) == sum(before) - 1
    assert_rollup_equals_computation()
    # Moved to a day in no complaint's stages: A counts its day again.
    day.date = dt.date(2025, 8, 5)
    day.save()
    moved = annual_report(start=START, end=END).indicators.overall.stage("first").days
    assert sum(moved) == sum(before)
    assert_rollup_equals_computation()


def test_lsr_8a_exports_hold_the_figures_of_the_computation(
    year_2025, secretariat, director, login, report_day
):
    _withdrawn(secretariat)
    computed = annual_report_compute(start=START, end=END)
    client = login(director)

    assert client.get("/jaarverslag/csv/", YEAR).content == report_csv(computed)

    def cell(value) -> str:
        """A value as `_xlsx_numbers` reads it back: whole numbers without decimals."""
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else str(value)

    from_xlsx = _xlsx_numbers(client.get("/jaarverslag/xlsx/", YEAR).content)
    assert from_xlsx == [(str(s), str(i), cell(v)) for s, i, v in report_rows(computed)]

    pdf = client.get("/jaarverslag/pdf/", YEAR).content
    context = {"report": computed, "organisation": organisation_get(), "generated_at": now()}
    assert pdf_text(pdf) == pdf_text(pdf_render("reports/annual_pdf.html", context))


def test_lsr_8a_report_and_exports_read_the_rollup_not_the_histories(
    year_2025, director, login, report_day
):
    client = login(director)
    annual_report(start=START, end=END)  # refreshes what the story queued
    for url in ("/jaarverslag/", "/jaarverslag/csv/", "/jaarverslag/xlsx/"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, YEAR).status_code == 200
        statements = " ".join(q["sql"] for q in captured.captured_queries)
        assert "cases_event" not in statements, url
        assert "reports_complaintfacts" in statements, url


def _register(n: int, secretariat) -> None:
    for i in range(n):
        with at(2025, 3, 3 + i % 20, 9 + i % 8):
            complaint = services.complaint_register(
                **complaint_data(actor=secretariat, received_at=now(), complainant_name=f"K {i}")
            )
        if i % 3 == 0:
            with at(2025, 3, 25):
                services.complaint_withdraw(complaint=complaint, party="complainant")


def _queries_of_report() -> tuple[int, int]:
    """(queries with the queue to work off, queries once it is worked off)."""
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            annual_report(start=START, end=END)
        counts.append(len(captured.captured_queries))
    return counts[0], counts[1]


@pytest.mark.django_db
def test_lsr_8a_report_queries_do_not_depend_on_the_number_of_complaints(
    organisation, secretariat, report_day
):
    _register(3, secretariat)
    few = _queries_of_report()
    _register(15, secretariat)
    many = _queries_of_report()
    assert Complaint.objects.count() == 18
    assert few == many
    assert_rollup_equals_computation()


def test_periodic_run_works_off_the_queue_and_rebuild_computes_every_complaint(
    year_2025, report_day
):
    assert FactsPending.objects.exists()
    periodic_run(today=timezone.localdate())
    assert not FactsPending.objects.exists()
    assert ComplaintFacts.objects.count() == Complaint.objects.count()

    # Facts written around the services (a restore, an import) are put right by a rebuild.
    ComplaintFacts.objects.update(settle_days=99, extended=True, channel="post")
    with pytest.raises(AssertionError):  # the comparison sees it
        assert_rollup_equals_computation()
    call_command("report_figures_rebuild", stdout=io.StringIO())
    assert_rollup_equals_computation()


def test_a_change_queued_while_a_refresh_ran_leaves_the_complaint_queued(year_2025, report_day):
    from klachtroute.organisation.selectors import work_calendar_get
    from klachtroute.reports.facts import _refresh, facts_queue

    snapshot = list(FactsPending.objects.order_by("pk").values_list("complaint_id", "queued_at"))
    with at(2026, 2, 15, 12, 1):
        facts_queue([year_2025.A.pk])  # a change after the refresh read the queue
    _refresh(snapshot, work_calendar_get())
    assert list(FactsPending.objects.values_list("complaint_id", flat=True)) == [year_2025.A.pk]


def test_awb_9_12a_register_counts_from_the_rollup_equal_the_computation(
    year_2025, secretariat, report_day
):
    from klachtroute.reports.selectors import (
        WRITTEN_CHANNELS,
        complaints_in_period,
        report_build,
        yearly_register,
    )

    _withdrawn(secretariat)
    written = complaints_in_period(start=START, end=END).filter(channel__in=WRITTEN_CHANNELS)
    computed = report_build(written, start=START, end=END, anonymous=True)
    register = yearly_register(year=2025)
    assert register.report.total == 7  # D came in by phone
    assert ("Opleiding", "Andere opleiding", 1) in report_rows(register.report)  # B's own text
    assert report_rows(register.report) == report_rows(computed)
