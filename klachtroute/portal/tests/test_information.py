"""Issue 4, point 2: on the status page the complainant adds information and attachments
(PDF, images, Office documents, .eml), checked by content; a refused upload leaves nothing
behind; the handler is told by number only."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from klachtroute.cases.models import Document, Event, InformationAdded
from klachtroute.cases.uploads import upload_check
from klachtroute.links.tokens import link_create
from klachtroute.notifications.models import OutboxMessage

from .conftest import path_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Verslag</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def _zip_without_office_parts() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "just a zip")
    return buffer.getvalue()


def _status_url(complaint) -> str:
    return path_of(link_create(complaint=complaint, party="complainant", purpose="status"))


def _stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _post(client, url, *, text="", files=()):
    data = {"action": "add_information", "information-text": text}
    if files:
        data["information-files"] = list(files)
    return client.post(url, data)


def test_complainant_adds_text_a_pdf_and_a_docx_and_the_handler_is_told(client, livp):
    complaint = livp.complaint
    url = _status_url(complaint)
    response = _post(
        client,
        url,
        text="Ik heb nog een e-mail van de trainer gevonden.",
        files=[
            SimpleUploadedFile("mail trainer.pdf", PDF),
            SimpleUploadedFile("verslag.docx", _docx()),
        ],
    )
    assert response.status_code == 303

    added = InformationAdded.objects.get(complaint=complaint)
    assert added.text == "Ik heb nog een e-mail van de trainer gevonden."
    documents = {d.original_name: d.content_type for d in complaint.documents.all()}
    assert documents == {
        "mail trainer.pdf": "application/pdf",
        "verslag.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    assert set(added.documents.values_list("original_name", flat=True)) == set(documents)
    event = Event.objects.get(complaint=complaint, kind="information_added")
    assert event.actor_label == "Klager (via privélink)"
    assert set(
        Event.objects.filter(complaint=complaint, kind="document_added").values_list(
            "actor_label", flat=True
        )
    ) == {"Klager (via privélink)"}

    message = OutboxMessage.objects.get(
        complaint=complaint, kind="complainant_added_information", to=livp.handler.email
    )
    assert complaint.number in message.subject
    assert "e-mail van de trainer gevonden" not in message.body  # number only, no content
    assert complaint.description not in message.body

    html = client.get(url).content.decode()
    assert "Uw informatie is toegevoegd" in html
    assert "Wat u heeft toegevoegd" in html
    assert "mail trainer.pdf" in html and "verslag.docx" in html


def test_text_alone_is_enough(client, livp):
    response = _post(client, _status_url(livp.complaint), text="Nog een aanvulling.")
    assert response.status_code == 303
    assert InformationAdded.objects.get().documents.count() == 0


def _refused(client, livp, files, *, text="Zie bijlage."):
    before_files = _stored_files()
    url = _status_url(livp.complaint)
    response = _post(client, url, text=text, files=files)
    assert response.status_code == 200
    assert not InformationAdded.objects.exists()
    assert not Document.objects.exists()
    assert not Event.objects.filter(
        kind__in=("information_added", "document_added"), complaint=livp.complaint
    ).exists()
    assert not OutboxMessage.objects.filter(kind="complainant_added_information").exists()
    assert _stored_files() == before_files
    html = response.content.decode()
    # The message is next to the file field, linked to it for screen readers.
    assert 'id="id_information-files-error"' in html
    assert 'aria-invalid="true"' in html
    return html


def test_a_file_that_is_too_large_is_refused_and_leaves_nothing(client, livp, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    html = _refused(client, livp, [SimpleUploadedFile("groot.pdf", PDF + b"0" * 2000)])
    assert "te groot" in html


def test_a_file_of_a_type_not_allowed_is_refused_and_leaves_nothing(client, livp):
    html = _refused(
        client,
        livp,
        [
            SimpleUploadedFile("goed.pdf", PDF),  # a good file beside a bad one: nothing kept
            SimpleUploadedFile("factuur.pdf", b"MZ\x90\x00 this is a program"),
        ],
    )
    assert "niet toegestaan" in html


def test_an_empty_file_is_refused_and_leaves_nothing(client, livp):
    html = _refused(client, livp, [SimpleUploadedFile("leeg.pdf", b"")])
    assert "leeg" in html


def test_nothing_to_add_is_refused(client, livp):
    response = _post(client, _status_url(livp.complaint), text="   ")
    assert response.status_code == 200
    assert "Schrijf een toelichting of kies een bestand." in response.content.decode()
    assert not InformationAdded.objects.exists()


def test_a_closed_complaint_offers_no_form(client, livp):
    livp.complaint.state = "withdrawn"
    livp.complaint.save(update_fields=["state"])
    url = _status_url(livp.complaint)
    assert "Informatie of bijlagen toevoegen" not in client.get(url).content.decode()
    _post(client, url, text="Te laat.")
    assert not InformationAdded.objects.exists()


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("a.docx", _docx(), ".docx"),
        ("a.zip", _zip_without_office_parts(), None),
        ("b.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".doc"),
        ("b.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
        ("b.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, None),
    ],
)
def test_office_documents_are_recognised_by_their_container(name, content, expected):
    upload = SimpleUploadedFile(name, content)
    if expected is None:
        with pytest.raises(Exception, match="niet toegestaan"):
            upload_check(upload)
    else:
        assert upload_check(upload).clean_name.endswith(expected)
