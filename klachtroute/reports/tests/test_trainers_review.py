"""The trainers' review (LSR-8b): complaints about trainers, per trainer, anonymised."""

import datetime as dt
import io
import subprocess

from pypdf import PdfReader

from klachtroute.cases.models import Complaint
from klachtroute.reports.selectors import trainers_review

YEAR = {"start": "2025-01-01", "end": "2025-12-31"}

# What identifies a complainant, or is free text from a complaint, in the data set: none
# of it may appear in the review.
FORBIDDEN = [
    "Sophie",
    "van der Berg",
    "sophie@example.org",
    "0612345678",
    "Amsterdam",
    "Keizersgracht",
    "Pieter",
    "Jan Jansen",
    "jan@example.org",
    "Lotte",
    "eindopdracht",  # the description
    "beoordeling met uitleg",  # the remedy sought
    "Bevinding:",  # the findings
    "niet gehoord",  # a criterion note
    "extra uitleg",  # the solution
    "Feedback binnen twee weken",  # the measure
    # exact dates of receipt (1 Sep, 3 Feb, 12 May 2025), in the usual notations
    "1 september 2025",
    "01-09-2025",
    "2025-09-01",
    "3 februari 2025",
    "03-02-2025",
    "12 mei 2025",
    "12-05-2025",
    "K-2025-",  # complaint numbers lead to the dossier
]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_lsr_8b_review_groups_complaints_about_trainers_per_trainer(
    year_2025, report_day, settings
):
    settings.TRAINERS_REVIEW_MIN_GROUP = 1  # every complaint apart: what each row holds
    review = trainers_review(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    # A and E are about Tom (E by category "trainer"), C about Tessa; the rest are not
    # about a trainer.
    assert review.report.total == 3
    groups = {g.trainer: g for g in review.groups}
    assert list(groups) == ["Tom Trainer", "Tessa Trainer"]
    tom, tessa = groups["Tom Trainer"], groups["Tessa Trainer"]
    assert tom.count == 2 and tessa.count == 1
    assert {r.label: r.value for r in tom.outcomes} == {
        "Oplossing door beide partijen goedgekeurd": 1,
        "Klager akkoord met de bevindingen": 1,
    }
    assert tessa.open == 1
    assert [c.month for c in tom.complaints] == [dt.date(2025, 2, 1), dt.date(2025, 9, 1)]
    assert all(c.summary == "" for c in tom.complaints)


def test_lsr_8b_review_covers_whole_months(year_2025, report_day):
    # A period from 10 to 20 September still shows September as a whole: no exact days.
    review = trainers_review(start=dt.date(2025, 9, 10), end=dt.date(2025, 9, 20))
    assert (review.start, review.end) == (dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    assert review.report.total == 1


def test_lsr_8b_review_shows_no_complainant_data_in_html_or_pdf(
    year_2025, report_day, director, login, settings
):
    settings.TRAINERS_REVIEW_MIN_GROUP = 1  # every complaint apart: what each row holds
    client = login(director)
    page = client.get("/jaarverslag/trainers/", YEAR)
    html = page.content.decode()
    pdf = client.get("/jaarverslag/trainers/pdf/", YEAR)
    assert page.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    poppler = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()

    # The review is really there, with the trainers and the months ...
    for rendered in (html, " ".join(text.split()), " ".join(poppler.split())):
        assert "Tom Trainer" in rendered and "Tessa Trainer" in rendered
        assert "september 2025" in rendered and "februari 2025" in rendered
        assert "Klager akkoord met de bevindingen" in rendered
    # ... and nothing that identifies the complainant.
    for forbidden in FORBIDDEN:
        assert forbidden not in html, forbidden
        assert forbidden not in text, forbidden
        assert forbidden not in poppler, forbidden


def test_lsr_8b_review_shows_an_anonymised_summary_when_one_exists(
    year_2025, report_day, director, login, settings
):
    settings.TRAINERS_REVIEW_MIN_GROUP = 1  # every complaint apart: what each row holds
    Complaint.objects.update(anonymised_summary="Een cursist miste feedback op een opdracht.")
    client = login(director)
    html = client.get("/jaarverslag/trainers/", YEAR).content.decode()
    assert html.count("Een cursist miste feedback op een opdracht.") == 3
    text = pdf_text(client.get("/jaarverslag/trainers/pdf/", YEAR).content)
    assert "Een cursist miste feedback" in " ".join(text.split())


def test_lsr_8b_review_leaves_out_a_course_typed_in_by_the_complainant(
    db, organisation, secretariat, trainers, report_day, settings
):
    settings.TRAINERS_REVIEW_MIN_GROUP = 1  # every complaint apart: what each row holds
    from klachtroute.cases.services import complaint_register
    from klachtroute.testing.factories import complaint_data

    complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="post",
            course_other="Avondcursus bij Sophie thuis",
            respondent_type="person",
            respondent=trainers[2],
        )
    )
    review = trainers_review(start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28))
    assert review.groups[0].complaints[0].course == "Andere opleiding"
    assert {r.label for r in review.report.breakdown("course").rows} == {"Andere opleiding"}


def test_lsr_8b_empty_review_says_so(db, director, login):
    html = login(director).get("/jaarverslag/trainers/", YEAR).content.decode()
    assert "Geen klachten over trainers in deze periode" in html
