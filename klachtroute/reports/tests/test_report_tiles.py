"""The annual report shows only the figures that fit the procedures in use: read from their
definitions, the page and every export alike."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from pypdf import PdfReader

from klachtroute.cases.services import complaint_register
from klachtroute.reports.selectors import annual_report, annual_report_compute
from klachtroute.testing.factories import complaint_data, organisation_create

AMS = ZoneInfo("Europe/Amsterdam")
YEAR = {"start": "2025-01-01", "end": "2025-12-31"}
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)

DIRECTOR = "Naar de directeur"
THIRD_PARTY = "Naar de onafhankelijke derde"
EXAM = "Naar de examencommissie"
ACKNOWLEDGED = "Op tijd bevestigd"


def _complaint_under(preset: str, month: int):
    organisation_create(preset=preset, auto_assign=False)
    with time_machine.travel(dt.datetime(2025, month, 3, 10, tzinfo=AMS), tick=False):
        return complaint_register(
            **complaint_data(complainant_address="Dorpsstraat 1\n1234 AB Ergens")
        )


def _texts(client) -> dict[str, str]:
    """The report as each of its forms says it: the page, the CSV, the XLSX and the PDF."""
    xlsx = openpyxl.load_workbook(
        io.BytesIO(client.get("/jaarverslag/xlsx/", YEAR).content), read_only=True
    )
    pdf = PdfReader(io.BytesIO(client.get("/jaarverslag/pdf/", YEAR).content))
    return {
        "page": client.get("/jaarverslag/", YEAR).content.decode(),
        "csv": client.get("/jaarverslag/csv/", YEAR).content.decode("utf-8-sig"),
        "xlsx": "\n".join(
            ";".join(str(v) for v in row if v is not None)
            for row in xlsx.worksheets[0].iter_rows(values_only=True)
        ),
        "pdf": " ".join(" ".join(page.extract_text().split()) for page in pdf.pages),
    }


@pytest.mark.parametrize(
    "presets, shown, hidden",
    [
        # Awb: no director, no third party, no exam committee, no acknowledgement deadline.
        (["awb9"], [], [DIRECTOR, THIRD_PARTY, EXAM, ACKNOWLEDGED, "Ontvankelijkheid"]),
        # LIVP: the third party's binding advice and the acknowledgement deadline.
        (["livp"], [THIRD_PARTY, ACKNOWLEDGED], [DIRECTOR, EXAM, "Ontvankelijkheid"]),
        # LSR: the director, the exam committee and the admissibility judgement.
        (["lsr"], [DIRECTOR, EXAM, "Ontvankelijkheid"], [THIRD_PARTY, ACKNOWLEDGED]),
        # Two procedures in one period: a figure shows when either has its step.
        (["awb9", "livp"], [THIRD_PARTY, ACKNOWLEDGED], [DIRECTOR, EXAM]),
    ],
)
def test_annual_report_shows_only_tiles_of_the_procedures_in_use(
    db, director, login, presets, shown, hidden
):
    for month, preset in enumerate(presets, start=2):
        _complaint_under(preset, month)
    for report in (
        annual_report(start=START, end=END),
        annual_report_compute(start=START, end=END),
    ):
        labels = {row.label for row in report.escalations} | {s.title for s in report.shares}
        labels |= {b.title for b in report.breakdowns}
        for label in shown:
            assert label in labels, label
        for label in hidden:
            assert label not in labels, label
    for form, text in _texts(login(director)).items():
        for label in shown:
            assert label in text, (form, label)
        for label in hidden:
            assert label not in text, (form, label)


def test_annual_report_names_the_settlement_period_of_each_procedure_where_they_differ(
    db, director, login
):
    _complaint_under("awb9", 2)
    awb = annual_report(start=START, end=END)
    settled = next(s for s in awb.shares if s.key == "settled_within_term")
    assert settled.title == "Afgehandeld binnen de oorspronkelijke termijn (6 weken)"

    livp = _complaint_under("livp", 3)
    both = annual_report_compute(start=START, end=END)
    settled = next(s for s in both.shares if s.key == "settled_within_term")
    assert "6 weken" in settled.title
    assert f"{livp.procedure_version.procedure.name}: 4 weken" in settled.title


def test_an_empty_period_shows_the_figures_of_the_procedure_in_force(db, director, login):
    organisation_create(preset="awb9", auto_assign=False)
    report = annual_report(start=START, end=END)
    assert report.empty
    assert report.escalations == []
    assert [s.key for s in report.shares] == ["settled_within_term"]
    html = login(director).get("/jaarverslag/", YEAR).content.decode()
    assert DIRECTOR not in html and "Escalaties" not in html
