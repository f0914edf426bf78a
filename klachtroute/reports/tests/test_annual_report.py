"""The annual report (LSR-8a, LSR-3): numbers, empty period, exports and access."""

import csv
import datetime as dt
import io
import re
from xml.etree import ElementTree

import openpyxl
import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from klachtroute.accounts.models import User
from klachtroute.reports.charts import bar_chart
from klachtroute.reports.exports import report_rows
from klachtroute.reports.selectors import annual_report

YEAR = {"start": "2025-01-01", "end": "2025-12-31"}
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def rows_of(breakdown) -> dict:
    return {row.label: row.value for row in breakdown.rows}


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_lsr_8a_report_counts_a_known_year(year_2025, report_day):
    report = annual_report(start=START, end=END)

    assert (report.total, report.closed, report.open) == (7, 5, 2)
    assert rows_of(report.breakdown("channel")) == {
        "Webformulier": 3,
        "Post": 2,
        "E-mail": 1,
        "Telefoon": 1,
    }
    assert rows_of(report.breakdown("course")) == {
        "Basisopleiding vertrouwenspersoon": 4,
        "Onbekend": 2,
        "Cursus X": 1,
    }
    assert rows_of(report.breakdown("respondent_type")) == {
        "Een persoon": 3,
        "De organisatie": 2,
        "Nog niet bekend": 2,
    }
    assert rows_of(report.breakdown("outcome")) == {
        "Oplossing door beide partijen goedgekeurd": 2,
        "Nog open": 2,
        "Direct afgehandeld": 1,
        "Klager akkoord met de bevindingen": 1,
        "Ongegrond (uitspraak directeur)": 1,
    }
    assert rows_of(report.breakdown("admissibility")) == {
        "Niet beoordeeld": 4,
        "Ontvankelijk": 2,
        "Niet ontvankelijk": 1,
    }
    # Category labels come from the procedure version (LSR's own wording).
    categories = rows_of(report.breakdown("category"))
    assert categories["Niet gecategoriseerd"] == 5
    assert categories[year_2025.E.procedure_version.spec.category_label("trainer")] == 1
    assert categories[year_2025.G.procedure_version.spec.category_label("exam")] == 1
    assert all(b.total == 7 for b in report.breakdowns)


def test_lsr_8a_lead_times_are_median_and_90th_percentile(year_2025, report_day):
    report = annual_report(start=START, end=END)
    acknowledge, settle = report.lead_times
    # Acknowledged after 0, 4, 0 (LIVP A, B, C) and 0, 0, 0 days (LSR on registration).
    assert (acknowledge.count, acknowledge.median, acknowledge.p90) == (6, 0.0, 2.0)
    # Closed after 0 (D), 11 (E), 14 (A), 14 (F) and 39 (B) days.
    assert (settle.count, settle.median, settle.p90) == (5, 14.0, 29.0)


def test_lsr_8a_shares_on_time_use_the_original_deadline(year_2025, report_day):
    report = annual_report(start=START, end=END)
    acknowledged, settled = report.shares
    # A and C on time, B a day late; D (on the spot) and LSR (no deadline) not counted.
    assert (acknowledged.met, acknowledged.counted, acknowledged.percent) == (2, 3, 66.7)
    # B was extended and settled before its new date, but after the original one: late.
    # C and G are still open after their deadline: not settled in time.
    assert year_2025.B.settle_due == dt.date(2025, 4, 23)
    assert (settled.met, settled.counted, settled.percent) == (4, 7, 57.1)
    assert report.extended == 1


def test_lsr_8a_escalations_and_measures(year_2025, report_day):
    report = annual_report(start=START, end=END)
    assert {row.label: row.value for row in report.escalations} == {
        "Naar de directeur": 1,
        "Naar de onafhankelijke derde": 1,
        "Naar de examencommissie": 1,
    }
    measures = {row.label: row.value for row in report.measures}
    assert measures == {"Voorgesteld": 1, "Afgesproken": 0, "Uitgevoerd": 0, "Vervallen": 0}
    assert (report.measures_total, report.measures_overdue) == (1, 1)
    assert not report.satisfaction.available


def test_lsr_8a_period_follows_the_local_date_of_receipt(year_2025, report_day):
    # H came in at 23:30 on 31 December 2024, D at 00:30 on 1 January 2025 (local time).
    assert annual_report(start=dt.date(2024, 12, 31), end=dt.date(2024, 12, 31)).total == 1
    assert annual_report(start=START, end=START).total == 1
    assert annual_report(start=dt.date(2025, 2, 1), end=dt.date(2025, 2, 28)).total == 1


def test_lsr_8a_report_makes_a_fixed_number_of_queries(
    year_2025, report_day, django_assert_max_num_queries
):
    # 16 for the report, 8 for the indicators (this period and the previous one), read
    # from the roll-up; the first time also 22 to refresh the complaints the story queued
    # (their facts, and their compliance verdicts: what their judges read, a batch at once,
    # and the verdicts kept, to write only those that changed).
    with django_assert_max_num_queries(46):
        annual_report(start=START, end=END)
    with django_assert_max_num_queries(24):
        annual_report(start=START, end=END)
    with django_assert_max_num_queries(24):
        annual_report(start=dt.date(2020, 1, 1), end=dt.date(2024, 12, 31))


def test_lsr_8a_empty_period_shows_zeros_and_says_so(db, director, login, report_day):
    report = annual_report(start=START, end=END)
    assert report.empty and report.total == 0
    assert all(b.rows == [] for b in report.breakdowns)
    assert [s.percent for s in report.shares] == [None, None]
    assert [lead.median for lead in report.lead_times] == [None, None]

    response = login(director).get("/jaarverslag/", YEAR)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Geen klachten in deze periode" in html
    pdf = login(director).get("/jaarverslag/pdf/", YEAR)
    assert pdf.status_code == 200
    assert "Geen klachten in deze periode" in pdf_text(pdf.content)


def test_lsr_8a_page_shows_every_number_as_table_and_chart(year_2025, report_day, director, login):
    response = login(director).get("/jaarverslag/", YEAR)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Periode: 1 januari 2025 tot en met 31 december 2025" in html
    # The channel table and its chart say the same.
    assert re.search(r'<th scope="row">Webformulier</th><td class="num">3</td>', html)
    chart = re.search(r'<svg[^>]*aria-labelledby="chart-channel-title[^>]*>.*?</svg>', html, re.S)
    assert chart and 'role="img"' in chart.group(0)
    assert "Webformulier: 3" in chart.group(0)  # in <desc>, for screen readers
    assert "<script" not in chart.group(0)
    assert "66,7%" in html and "57,1%" in html
    assert "Tevredenheid" in html and "nog geen gegevens" in html
    assert "1 maatregel is over de datum" in html


def test_lsr_8a_default_period_is_the_previous_calendar_year(
    year_2025, report_day, director, login
):
    html = login(director).get("/jaarverslag/").content.decode()
    assert 'value="2025-01-01"' in html and 'value="2025-12-31"' in html
    assert "Periode: 1 januari 2025 tot en met 31 december 2025" in html


@pytest.mark.parametrize(
    "period, message",
    [
        ({"start": "2025-12-31", "end": "2025-01-01"}, "De einddatum ligt vóór de begindatum."),
        ({"start": "2019-01-01", "end": "2025-12-31"}, "hoogstens vijf jaar"),
        ({"start": "gisteren", "end": "2025-12-31"}, "Voer een geldige datum in"),
        ({"start": "0001-01-01", "end": "0001-12-31"}, "Kies een datum tussen 1900 en 2999."),
        ({"start": "9999-01-01", "end": "9999-12-31"}, "Kies een datum tussen 1900 en 2999."),
    ],
)
def test_lsr_8a_period_is_checked(db, director, login, period, message):
    client = login(director)
    html = client.get("/jaarverslag/", period).content.decode()
    assert message in html and 'role="alert"' in html
    assert "Samenvatting" not in html
    response = client.get("/jaarverslag/csv/", period)
    assert response.status_code == 400


def _csv_numbers(content: bytes) -> list[tuple[str, str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Onderdeel", "Omschrijving", "Waarde"]
    return [tuple(row) for row in rows[1:]]


def _xlsx_numbers(content: bytes) -> list[tuple[str, str, str]]:
    """The rows as a spreadsheet program reads them: dates as ISO text, numbers as numbers."""
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        values = []
        for value in row:
            if isinstance(value, dt.datetime):
                values.append(value.date().isoformat())
            else:
                values.append("" if value is None else str(value))
        rows.append(tuple(values + [""] * (3 - len(values))))
    assert rows[0] == ("Onderdeel", "Omschrijving", "Waarde")
    return rows[1:]


def test_xlsx_holds_dates_as_date_cells_and_numbers_as_numeric_cells(
    year_2025, report_day, director, login
):
    content = login(director).get("/jaarverslag/xlsx/", YEAR).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    cells = {(row[0].value, row[1].value): row[2] for row in sheet.iter_rows(min_row=2)}

    start, end = cells[("Periode", "Van")], cells[("Periode", "Tot en met")]
    assert (start.is_date, start.value.date()) == (True, dt.date(2025, 1, 1))
    assert (end.is_date, end.value.date()) == (True, dt.date(2025, 12, 31))
    received = cells[("Totaal", "Ontvangen klachten")]
    assert (received.data_type, received.value) == ("n", 7)
    percent = cells[("Op tijd bevestigd", "Percentage")]
    assert (percent.data_type, percent.value) == ("n", 66.7)
    assert sheet["A1"].font.bold


def test_lsr_8a_csv_and_xlsx_hold_the_same_numbers(year_2025, report_day, director, login):
    client = login(director)
    csv_response = client.get("/jaarverslag/csv/", YEAR)
    xlsx_response = client.get("/jaarverslag/xlsx/", YEAR)
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "jaarverslag-20250101-20251231.xlsx" in xlsx_response["Content-Disposition"]
    from_csv = _csv_numbers(csv_response.content)
    from_xlsx = _xlsx_numbers(xlsx_response.content)

    # CSV writes decimals the Dutch way (comma); XLSX stores numbers.
    def number_or_text(value: str):
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return value

    assert [(s, i, number_or_text(v)) for s, i, v in from_csv] == [
        (s, i, number_or_text(v)) for s, i, v in from_xlsx
    ]
    assert ("Totaal", "Ontvangen klachten", "7") in from_csv
    assert ("Kanaal", "Webformulier", "3") in from_xlsx
    assert ("Op tijd bevestigd", "Percentage", "66,7") in from_csv
    assert ("Op tijd bevestigd", "Percentage", "66.7") in from_xlsx
    assert ("Escalaties", "Naar de onafhankelijke derde", "1") in from_xlsx
    assert ("Tevredenheid", "nog geen gegevens", "") in from_csv
    assert len(from_csv) == len(report_rows(annual_report(start=START, end=END)))


def test_lsr_8a_pdf_holds_the_headline_numbers(year_2025, report_day, director, login):
    response = login(director).get("/jaarverslag/pdf/", YEAR)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    flat = " ".join(text.split())
    assert "Jaarverslag klachten" in flat
    assert "Periode: 1 januari 2025 tot en met 31 december 2025" in flat
    assert "Ontvangen klachten 7" in flat
    assert "66,7%" in flat and "57,1%" in flat
    assert "Webformulier 3" in flat
    assert "nog geen gegevens" in flat


@pytest.mark.parametrize(
    "url",
    [
        "/jaarverslag/",
        "/jaarverslag/csv/",
        "/jaarverslag/xlsx/",
        "/jaarverslag/pdf/",
        "/jaarverslag/trainers/",
        "/jaarverslag/trainers/pdf/",
    ],
)
def test_lsr_8a_only_director_and_secretariat_see_the_report(
    db, url, login, director, secretariat, trainers, administrator
):
    assert login(director).get(url, YEAR).status_code == 200
    assert login(secretariat).get(url, YEAR).status_code == 200
    assert login(trainers[0]).get(url, YEAR).status_code == 403
    assert login(administrator).get(url, YEAR).status_code == 403
    exam = User.objects.create_user("examen", password="x", is_exam_committee=True)
    assert login(exam).get(url, YEAR).status_code == 403
    response = Client().get(url, YEAR)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_lsr_8a_menu_shows_the_report_to_director_and_secretariat(
    db, login, director, secretariat, trainers
):
    link = 'href="/jaarverslag/"'
    assert link in login(director).get("/werk/").content.decode()
    assert link in login(secretariat).get("/werk/").content.decode()
    assert link not in login(trainers[0]).get("/werk/").content.decode()


def test_lsr_3_chart_is_accessible_svg_without_script():
    with translation.override("nl"):  # numbers are written the Dutch way
        svg = bar_chart(
            title="Kanaal <test>",
            rows=[("Webformulier", 3), ("Post & brief", 0), ("Een heel erg lang label " * 3, 1.5)],
            chart_id="c1",
        )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="c1-title">Kanaal &lt;test&gt;</title>' in svg
    assert "Webformulier: 3; Post &amp; brief: 0;" in svg
    assert ">Webformulier</text>" in svg and ">1,5</text>" in svg
    assert "<script" not in svg and "on" + "click" not in svg
    ElementTree.fromstring(str(svg))  # noqa: S314 -- our own output: well-formed XML
