"""Uploads have a quota per complaint (number of files, total size) and per private link
per hour; the dossier ZIP is streamed from disk, not built in memory."""

import datetime as dt
import os
import tracemalloc
import zipfile

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from klachtroute.cases.models import Document
from klachtroute.cases.services import document_add
from klachtroute.cases.uploads import upload_check
from klachtroute.links.tokens import link_create

from .conftest import path_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str, padding: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + b"%" + b"0" * padding + b"\n")


def add_through_link(client, complaint, files):
    url = path_of(link_create(complaint=complaint, party="complainant", purpose="status"))
    return client.post(
        url, {"action": "add_information", "information-text": "", "information-files": files}
    )


def test_a_complaint_holds_at_most_the_configured_number_of_documents(livp, settings):
    settings.UPLOAD_COMPLAINT_MAX_FILES = 2
    complaint = livp.complaint
    held = complaint.documents.count()
    for i in range(2 - held):
        document_add(complaint=complaint, checked=upload_check(pdf(f"{i}.pdf")), actor=None)
    with pytest.raises(ValidationError, match="hoogstens 2 documenten"):
        document_add(complaint=complaint, checked=upload_check(pdf("te-veel.pdf")), actor=None)
    assert complaint.documents.count() == 2


def test_the_documents_of_a_complaint_have_a_total_size_limit(client, livp, settings):
    settings.UPLOAD_COMPLAINT_MAX_BYTES = 3000
    response = add_through_link(client, livp.complaint, [pdf("a.pdf", 1500), pdf("b.pdf", 1500)])
    assert response.status_code == 200
    assert "mogen samen hoogstens" in response.content.decode()
    assert not Document.objects.filter(complaint=livp.complaint).exists()


def test_a_private_link_uploads_at_most_so_many_files_per_hour(client, livp, settings):
    settings.UPLOAD_LINK_MAX_FILES_PER_HOUR = 3
    complaint = livp.complaint
    add_through_link(client, complaint, [pdf("1.pdf"), pdf("2.pdf")])
    assert complaint.documents.count() == 2

    response = add_through_link(client, complaint, [pdf("3.pdf"), pdf("4.pdf")])
    assert "Probeer het over een uur opnieuw" in response.content.decode()
    assert complaint.documents.count() == 2

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        add_through_link(client, complaint, [pdf("3.pdf"), pdf("4.pdf")])
    assert complaint.documents.count() == 4


def test_the_dossier_zip_is_streamed_not_built_in_memory(livp, secretariat, settings):
    settings.UPLOAD_COMPLAINT_MAX_BYTES = 10**9
    complaint = livp.complaint
    size = 40 * 1024 * 1024
    path = settings.MEDIA_ROOT / "groot.bin"
    with open(path, "wb") as handle:
        for _ in range(size // (1024 * 1024)):
            handle.write(os.urandom(1024 * 1024))
    with open(path, "rb") as handle:
        document = Document(
            complaint=complaint,
            original_name="opname.pdf",
            content_type="application/pdf",
            size=size,
            sha256="x",
            uploaded_at=timezone.now(),
        )
        document.file.save("opname.pdf", File(handle), save=False)
        document.save()
    client = Client()
    client.force_login(secretariat)

    client.get(reverse("letters:dossier_pdf", args=[complaint.number]))  # imports WeasyPrint
    tracemalloc.start()
    response = client.get(reverse("letters:dossier_zip", args=[complaint.number]))
    assert response.streaming
    out = settings.MEDIA_ROOT / "download.zip"
    with open(out, "wb") as target:
        for chunk in response.streaming_content:
            target.write(chunk)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    response.close()

    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    with zipfile.ZipFile(out) as archive:
        assert archive.getinfo("documenten/opname.pdf").file_size == size
