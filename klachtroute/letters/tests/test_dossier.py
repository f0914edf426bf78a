"""The dossier as one PDF and as a ZIP with the documents (LIVP-7, LSR-6g)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from klachtroute.cases.models import Approval, Party, Solution
from klachtroute.cases.services import complaint_register, document_add
from klachtroute.cases.uploads import upload_check
from klachtroute.letters.dossier import _unique_name
from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.notifications.services import message_queue
from klachtroute.testing.factories import complaint_data

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def dossier_complaint(organisation, course, secretariat):
    complaint = complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="post",
            course=course,
            complainant_name="Petra Willems",
            complainant_email="petra@example.org",
            description="De lesruimte was drie weken achter elkaar op slot.",
            document=SimpleUploadedFile("brief klager.pdf", PDF_BYTES),
        )
    )
    solution = Solution.objects.create(
        complaint=complaint, text="Een vaste lesruimte.", proposed_at=timezone.now()
    )
    Approval.objects.create(
        solution=solution,
        party=Party.RESPONDENT,
        decision=Approval.Decision.APPROVED,
        decided_at=timezone.now(),
    )
    message = message_queue(
        to="petra@example.org",
        subject="Over uw lesruimte",
        body="Wij zoeken een vaste lesruimte.",
        kind="note",
        complaint=complaint,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT)
    return complaint


def test_livp_7_dossier_pdf_holds_complaint_approvals_and_messages(
    dossier_complaint, secretariat, login
):
    response = login(secretariat).get(
        reverse("letters:dossier_pdf", args=[dossier_complaint.number])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert dossier_complaint.number in text
    assert "drie weken achter elkaar op slot" in text
    assert "Beklaagde" in text  # the party of the approval
    assert "Akkoord" in text
    assert "Over uw lesruimte" in text  # the subject of a message sent
    assert "petra@example.org" in text
    assert "brief klager.pdf" in text  # the list of documents


def test_lsr_6g_dossier_zip_holds_pdf_and_documents_with_identical_bytes(
    dossier_complaint, secretariat, login
):
    second = SimpleUploadedFile("brief klager.pdf", PDF_BYTES + b"% tweede\n")
    document_add(complaint=dossier_complaint, checked=upload_check(second), actor=secretariat)
    response = login(secretariat).get(
        reverse("letters:dossier_zip", args=[dossier_complaint.number])
    )
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    names = archive.namelist()
    pdf_name = f"{dossier_complaint.number}-dossier.pdf"
    assert pdf_name in names
    assert dossier_complaint.number in pdf_text(archive.read(pdf_name))
    assert archive.read("documenten/brief klager.pdf") == PDF_BYTES
    # The same name twice is kept apart, not overwritten.
    assert archive.read("documenten/brief klager (2).pdf") == PDF_BYTES + b"% tweede\n"


def test_dossier_is_not_found_for_an_uninvolved_trainer(dossier_complaint, trainers, login):
    assert dossier_complaint.handler != trainers[0]
    client = login(trainers[0])
    for name in ("letters:dossier_pdf", "letters:dossier_zip"):
        assert client.get(reverse(name, args=[dossier_complaint.number])).status_code == 404


def test_record_page_links_to_the_dossier(dossier_complaint, secretariat, login):
    page = login(secretariat).get(reverse("cases:detail", args=[dossier_complaint.number]))
    assert reverse("letters:dossier_pdf", args=[dossier_complaint.number]) in page.text
    assert reverse("letters:dossier_zip", args=[dossier_complaint.number]) in page.text


def test_zip_names_cannot_escape_and_stay_unique():
    taken: set[str] = set()
    assert _unique_name("../../etc/passwd", taken) == "passwd"
    assert _unique_name("Scan.PDF", taken) == "Scan.PDF"
    assert _unique_name("scan.pdf", taken) == "scan (2).pdf"
