"""The annual report as CSV, XLSX and PDF.

CSV and XLSX hold the same rows: (section, item, value), from `report_rows`.

- CSV: UTF-8 with a byte order mark and a semicolon as separator, the convention of
  Dutch Excel (where the comma is the decimal sign); decimals are written with a comma.
  Every text cell that starts like a formula gets an apostrophe before it (`csv_text`).
- XLSX: written with the standard library (zipfile and a minimal SpreadsheetML sheet
  with inline strings), because the project has no spreadsheet dependency. Numbers are
  real numeric cells.
- PDF: the same HTML as the page, with a print stylesheet, rendered by WeasyPrint.
"""

import csv
import io
import zipfile
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from klachtroute.cases.pdf import html_to_pdf

from .selectors import Report

Value = int | float | str | None


def report_rows(report: Report) -> list[tuple[str, str, Value]]:
    """Every number of the report as (section, item, value)."""
    period = _("Periode")
    rows: list[tuple[str, str, Value]] = [
        (period, _("Van"), report.start.isoformat()),
        (period, _("Tot en met"), report.end.isoformat()),
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
    satisfaction = _("Tevredenheid")
    if report.satisfaction.available:
        rows.append((satisfaction, _("Aantal antwoorden"), report.satisfaction.responses))
        rows += [(satisfaction, row.label, row.value) for row in report.satisfaction.questions]
    else:
        rows.append((satisfaction, _("nog geen gegevens"), None))
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


# XLSX: the smallest workbook Excel and LibreOffice open without complaint.

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Style 0: normal; style 1: bold (the header row).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def _cell(ref: str, value: Value, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if value is None:
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def xlsx_write(rows: list[list[Value]], *, sheet_name: str, header: bool = True) -> bytes:
    """A workbook with one sheet; the first row in bold when `header`."""
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        style = 1 if header and r == 1 else 0
        cells = "".join(_cell(f"{_column(c)}{r}", value, style) for c, value in enumerate(row))
        sheet_rows.append(f'<row r="{r}">{cells}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<cols><col min="1" max="1" width="48" customWidth="1"/>'
        '<col min="2" max="2" width="60" customWidth="1"/>'
        '<col min="3" max="3" width="14" customWidth="1"/></cols>'
        f"<sheetData>{''.join(sheet_rows)}</sheetData>"
        "</worksheet>"
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet_name[:31])}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def report_xlsx(report: Report) -> bytes:
    rows: list[list[Value]] = [[_("Onderdeel"), _("Omschrijving"), _("Waarde")]]
    rows += [list(row) for row in report_rows(report)]
    return xlsx_write(rows, sheet_name=_("Jaarverslag"))


def pdf_render(template: str, context: dict) -> bytes:
    """Render a report template (its style inline) with the one PDF renderer."""
    return html_to_pdf(render_to_string(template, context), shared_stylesheet=False)
