"""The annual report as CSV, XLSX and PDF.

CSV and XLSX hold the same rows: (section, item, value), from `report_rows`.

- CSV: UTF-8 with a byte order mark and a semicolon as separator, the convention of
  Dutch Excel (where the comma is the decimal sign); decimals are written with a comma.
  Every text cell that starts like a formula gets an apostrophe before it (`csv_text`).
- XLSX: written with XlsxWriter; numbers are numeric cells and dates date cells.
- PDF: the same HTML as the page, with a print stylesheet, rendered by the one PDF renderer.
"""

import csv
import datetime as dt
import io

import xlsxwriter
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klachtroute.letters.pdf import html_to_pdf

from .compliance import ComplianceOverview
from .indicators import Indicators, IndicatorSet
from .selectors import Report

Value = int | float | str | dt.date | None


def report_rows(report: Report) -> list[tuple[str, str, Value]]:
    """Every number of the report as (section, item, value)."""
    period = _("Periode")
    rows: list[tuple[str, str, Value]] = [
        (period, _("Van"), report.start),
        (period, _("Tot en met"), report.end),
        (_("Totaal"), _("Ontvangen klachten"), report.total),
        (_("Totaal"), _("Afgesloten"), report.closed),
        (_("Totaal"), _("Nog open"), report.open),
    ]
    for breakdown in report.breakdowns:
        rows += [(breakdown.title, row.label, row.value) for row in breakdown.rows]
    for lead in report.lead_times:
        section = _("Doorlooptijd in dagen: %(what)s") % {"what": lead.title}
        rows += [
            (section, _("Aantal klachten"), lead.count),
            (section, _("Mediaan"), lead.median),
            (section, _("90e percentiel"), lead.p90),
        ]
    for share in report.shares:
        rows += [
            (share.title, _("Binnen de termijn"), share.met),
            (share.title, _("Geteld"), share.counted),
            (share.title, _("Percentage"), share.percent),
        ]
    rows.append((_("Verlenging"), _("Klachten met verlengde termijn"), report.extended))
    rows += [(_("Escalaties"), row.label, row.value) for row in report.escalations]
    rows += [(_("Maatregelen"), row.label, row.value) for row in report.measures]
    rows += [
        (_("Maatregelen"), _("Totaal"), report.measures_total),
        (_("Maatregelen"), _("Over de datum"), report.measures_overdue),
    ]
    if report.indicators is not None:
        rows += indicator_rows(report.indicators)
    satisfaction = _("Tevredenheid")
    if report.satisfaction.available:
        rows.append((satisfaction, _("Aantal antwoorden"), report.satisfaction.responses))
        rows += [(satisfaction, row.label, row.value) for row in report.satisfaction.questions]
    else:
        rows.append((satisfaction, _("nog geen gegevens"), None))
    return rows


def _indicator_set_rows(section: str, s: IndicatorSet) -> list[tuple[str, str, Value]]:
    rows: list[tuple[str, str, Value]] = [
        (section, _("Ontvangen klachten"), s.received),
        (section, _("Afgesloten"), s.closed),
        (section, _("Afgesloten in de eerste fase (%)"), s.percent_first_stage),
    ]
    for stage in s.stages:
        rows += [
            (section, _("%(stage)s: afgerond") % {"stage": stage.title}, stage.ended),
            (
                section,
                _("%(stage)s: binnen de termijn (%%)") % {"stage": stage.title},
                stage.percent_within,
            ),
            (
                section,
                _("%(stage)s: gemiddeld aantal werkdagen") % {"stage": stage.title},
                stage.mean_days,
            ),
            (
                section,
                _("%(stage)s: mediaan aantal werkdagen") % {"stage": stage.title},
                stage.median_days,
            ),
        ]
    rows += [(section, label, n) for _key, label, n in s.outcome_rows()]
    rows += [
        (section, _("Klachten met verlengde termijn"), s.extended),
        (section, _("Tevredenheid over de behandeling (gemiddeld, 1-5)"), s.satisfaction),
    ]
    return rows


def indicator_rows(indicators: Indicators) -> list[tuple[str, str, Value]]:
    """The indicators as (section, item, value): this period, the previous one, then per
    course and per category."""
    rows = _indicator_set_rows(_("Kengetallen"), indicators.overall)
    previous = _("Kengetallen vorige periode (%(start)s tot en met %(end)s)") % {
        "start": indicators.previous_start.isoformat(),
        "end": indicators.previous_end.isoformat(),
    }
    rows += _indicator_set_rows(previous, indicators.previous)
    for s in indicators.per_course:
        rows += _indicator_set_rows(
            _("Kengetallen per opleiding: %(label)s") % {"label": s.label}, s
        )
    for s in indicators.per_category:
        rows += _indicator_set_rows(
            _("Kengetallen per categorie: %(label)s") % {"label": s.label}, s
        )
    return rows


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection):
# a course or category name typed as `=HYPERLINK(…)` must reach the reader as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """A typed text as a CSV cell that no spreadsheet reads as a formula: an apostrophe
    before a dangerous first character (the OWASP advice; Excel hides the apostrophe)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return csv_text(str(value))


def report_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Onderdeel"), _("Omschrijving"), _("Waarde")])
    for section, item, value in report_rows(report):
        writer.writerow([csv_text(str(section)), csv_text(str(item)), _csv_value(value)])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


# XLSX: written by XlsxWriter. Dates are date cells, numbers numeric cells.

DATE_FORMAT = "dd-mm-yyyy"


def xlsx_write(rows: list[list[Value]], *, sheet_name: str, header: bool = True) -> bytes:
    """A workbook with one sheet; the first row in bold when `header`."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    bold = workbook.add_format({"bold": True})
    as_date = workbook.add_format({"num_format": DATE_FORMAT})
    sheet = workbook.add_worksheet(sheet_name[:31])
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 2, 14)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if header and r == 0:
                sheet.write_string(r, c, str(value), bold)
            elif value is None:
                continue
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, as_date)
            else:
                sheet.write_string(r, c, str(value))
    workbook.close()
    return out.getvalue()


def report_xlsx(report: Report) -> bytes:
    rows: list[list[Value]] = [[_("Onderdeel"), _("Omschrijving"), _("Waarde")]]
    rows += [list(row) for row in report_rows(report)]
    return xlsx_write(rows, sheet_name=_("Jaarverslag"))


def pdf_render(template: str, context: dict) -> bytes:
    """Render a report template (its style inline) with the one PDF renderer."""
    return html_to_pdf(render_to_string(template, context), shared_stylesheet=False)


def compliance_csv(overview: ComplianceOverview) -> bytes:
    """One line per rule per procedure version; the complaints that did not comply by number
    (only those the viewer may see). A rule the data cannot prove has empty numbers."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Procedureversie"),
            _("Artikel"),
            _("Regel"),
            _("Nageleefd"),
            _("Niet nageleefd"),
            _("Percentage"),
            _("Klachten die niet voldeden"),
        ]
    )
    for version in overview.versions:
        for result in version.rules:
            rule = result.rule
            if not rule.provable:
                numbers = ["", "", "", rule.why_unprovable]
            else:
                numbers = [
                    _csv_value(result.complied),
                    _csv_value(result.not_complied),
                    _csv_value(result.percent),
                    " ".join(c.number for c in result.failing)
                    + (
                        " "
                        + ngettext("en %(n)s meer", "en %(n)s meer", result.failing_more)
                        % {"n": result.failing_more}
                        if result.failing_more
                        else ""
                    ),
                ]
            writer.writerow(
                [csv_text(version.title), csv_text(rule.requirement), csv_text(rule.label)]
                + [csv_text(str(n)) for n in numbers]
            )
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
