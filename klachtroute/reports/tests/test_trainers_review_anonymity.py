"""The anonymised trainers' review is anonymous: a summary naming a party is refused, and
complaints too few per trainer, course and period are merged or left out, and the page
says so (LSR-8b: the complainant's integrity)."""

import datetime as dt
import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from klachtroute.cases.models import Complaint
from klachtroute.privacy.services import anonymised_summary_set
from klachtroute.reports.selectors import trainers_review

from .conftest import SOPHIE

YEAR = {"start": "2025-01-01", "end": "2025-12-31"}


def party_data(complaint: Complaint) -> list[str]:
    values = [
        complaint.complainant_name,
        complaint.complainant_email,
        complaint.complainant_phone,
        complaint.representative_name,
        *complaint.complainant_name.split()[:1],
        *(complaint.complainant_address or "").splitlines(),
    ]
    return [v for v in values if v and len(v) >= 3]


@pytest.mark.parametrize(
    "summary",
    [
        "Sophie vond de feedback te laat.",
        "De cursist (mevrouw Van der Berg) miste feedback.",
        "Zij is bereikbaar via sophie@example.org.",
        "Bel 06-12345678 voor meer.",
        "Haar vader Pieter diende de klacht in.",
        "Contact: iemand@elders.example.",
    ],
)
def test_a_summary_naming_a_party_is_refused_with_a_clear_message(year_2025, secretariat, summary):
    complaint = Complaint.objects.get(complainant_name=SOPHIE["complainant_name"])
    with pytest.raises(ValidationError) as raised:
        anonymised_summary_set(complaint=complaint, actor=secretariat, summary=summary)
    assert "niet anoniem" in str(raised.value)
    complaint.refresh_from_db()
    assert complaint.anonymised_summary == ""


def test_an_anonymous_summary_is_kept(year_2025, secretariat):
    complaint = Complaint.objects.get(complainant_name=SOPHIE["complainant_name"])
    anonymised_summary_set(
        complaint=complaint, actor=secretariat, summary="Een cursist miste feedback."
    )
    complaint.refresh_from_db()
    assert complaint.anonymised_summary == "Een cursist miste feedback."


def test_the_summary_page_keeps_the_text_and_says_what_to_leave_out(year_2025, secretariat, login):
    complaint = Complaint.objects.get(complainant_name=SOPHIE["complainant_name"])
    response = login(secretariat).post(
        f"/zaken/{complaint.number}/samenvatting/", {"summary": "Sophie was boos."}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "niet anoniem" in html
    assert "Sophie was boos." in html


def test_too_few_complaints_per_trainer_course_and_period_are_merged_or_left_out(
    year_2025, report_day, settings
):
    settings.TRAINERS_REVIEW_MIN_GROUP = 2
    review = trainers_review(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    # Tom has one complaint in February and one in September, each on its own: neither
    # month nor quarter holds two of his complaints about one course, so none is shown.
    shown = [c for g in review.groups for c in g.complaints]
    assert all(c.period for c in shown)
    tom = next(g for g in review.groups if g.trainer == "Tom Trainer")
    assert tom.count == 2  # still counted
    assert len(tom.complaints) + tom.left_out == 2
    assert review.left_out == sum(g.left_out for g in review.groups) > 0


def test_the_review_pages_hold_no_party_data_and_say_what_was_merged(
    year_2025, report_day, director, login, secretariat
):
    # Even a summary with party data put into the database directly never shows.
    Complaint.objects.update(anonymised_summary="Sophie van der Berg, sophie@example.org")
    client = login(director)
    html = client.get("/jaarverslag/trainers/", YEAR).content.decode()
    pdf = client.get("/jaarverslag/trainers/pdf/", YEAR).content
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    poppler = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()

    assert "minstens 3 klachten over dezelfde trainer" in html
    assert "minstens 3 klachten over dezelfde trainer" in text
    for complaint in Complaint.objects.all():
        for value in party_data(complaint):
            assert value not in html, value
            assert value not in text, value
            assert value not in poppler, value
