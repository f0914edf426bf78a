"""A dossier is handed on: it says which private links were sent, never a working one."""

import io
import re
import zipfile

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from klachtroute.links.tokens import link_resolve
from klachtroute.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r"/p/([^/\s]+)/")


def _tokens(complaint) -> set[str]:
    tokens = set()
    for body in OutboxMessage.objects.filter(complaint=complaint).values_list("body", flat=True):
        tokens.update(TOKEN_RE.findall(body))
    return tokens


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_dossier_pdf_and_zip_hold_no_working_private_link(proposed, secretariat):
    tokens = _tokens(proposed.complaint)
    # The complainant's status link and both approval links were sent and work.
    assert len(tokens) >= 3
    assert all(link_resolve(token) is not None for token in tokens)
    client = Client()
    client.force_login(secretariat)
    number = proposed.complaint.number

    pdf = client.get(reverse("letters:dossier_pdf", args=[number])).content
    text = _pdf_text(pdf)
    squeezed = _squeezed(text)
    for token in tokens:
        raw = token.split(":")[0]
        assert raw not in squeezed
    assert settings.SITE_URL + "/p/" not in squeezed
    # What was sent, to whom and for what is still there.
    assert "Verstuurde privélinks" in text
    assert "Oplossing fiatteren" in text
    assert "Status volgen" in text
    assert "privélink, niet opgenomen" in text

    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("letters:dossier_zip", args=[number])).getvalue())
    )
    for name in archive.namelist():
        content = archive.read(name)
        inner = (
            _squeezed(_pdf_text(content)) if name.endswith(".pdf") else content.decode("latin-1")
        )
        for token in tokens:
            assert token.split(":")[0] not in inner
