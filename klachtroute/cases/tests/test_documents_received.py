"""A document staff add (a signed approval, a letter that came by post) shows how and when it
came in, on the record page and in the dossier alike."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from klachtroute.cases.services import complaint_register
from klachtroute.letters.dossier import dossier_html
from klachtroute.testing.factories import complaint_data

pytestmark = pytest.mark.django_db


def test_the_dossier_shows_the_channel_and_date_of_receipt_of_a_document_staff_added(
    organisation, course, secretariat, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    complaint = complaint_register(**complaint_data(course=course))
    client.force_login(secretariat)
    pdf = SimpleUploadedFile(
        "brief.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    response = client.post(
        f"/zaken/{complaint.number}/acties/add_document/",
        {
            "document": pdf,
            "description": "Brief van de klager",
            "channel": "post",
            "received_on": dt.date(2026, 3, 3).isoformat(),
        },
    )
    assert response.status_code == 302
    with translation.override("nl"):
        dutch = dossier_html(complaint)
    assert "Brief van de klager" in dutch
    assert "Ontvangen via Post op 3 maart 2026" in dutch
    with translation.override("en"):
        english = dossier_html(complaint)
    assert "Received by Post on 3 March 2026" in english
