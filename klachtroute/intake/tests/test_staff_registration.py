"""Registration by the secretariat (LIVP-2, LSR-4a)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from klachtroute.cases.models import Complaint, Document, Event
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db
URL = "/registreren/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EML = (
    b"From: Jan Jansen <jan@example.org>\r\nTo: klachten@example.org\r\n"
    b"Subject: Klacht over de training\r\nDate: Mon, 2 Mar 2026 09:00:00 +0100\r\n"
    b"Message-ID: <abc@example.org>\r\n\r\nDe trainer kwam te laat.\r\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def media(settings, tmp_path):
    """An empty MEDIA_ROOT of this test only, so that leftovers can be seen."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def desk(organisation, secretariat):
    client = Client()
    client.force_login(secretariat)
    return client


def files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


def form_data(**overrides) -> dict:
    data = {
        "channel": "post",
        "received_at": "2026-03-02T09:30",
        "complainant_name": "Maria de Groot",
        "complainant_email": "maria@example.org",
        "complainant_phone": "06 12345678",
        "complainant_address": "Lindelaan 4\n1234 AB Ergens",
        "complainant_language": "nl",
        "representative_name": "",
        "course": "",
        "course_other": "",
        "complaint_date": "2026-02-20",
        "description": "Mijn examen is zonder bericht verplaatst.",
        "remedy_sought": "Een nieuwe examendatum.",
        "respondent_type": "organisation",
        "respondent_description": "",
        "category": "",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _on_a_wednesday():
    with time_machine.travel(dt.datetime(2026, 3, 4, 14, tzinfo=AMS), tick=False):
        yield


def test_registration_page_is_for_the_secretariat_only(
    client, organisation, trainers, director, secretariat
):
    assert reverse("intake:register") == URL
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/inloggen/")
    for person in (trainers[0], director):
        client.force_login(person)
        assert client.get(URL).status_code == 403
        assert client.post(URL, form_data()).status_code == 403
    assert not Complaint.objects.exists()
    client.force_login(secretariat)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'value="2026-03-04T14:00"' in html  # the time of receipt defaults to now
    assert 'value="web"' not in html  # the web form is not a channel the desk registers


def test_livp_2_registration_by_post_with_the_letter_attached(desk, media, course, secretariat):
    upload = SimpleUploadedFile("scan brief.pdf", PDF, content_type="application/pdf")
    response = desk.post(URL, form_data(course=str(course.pk), document=upload))
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == f"/zaken/{complaint.number}/"
    assert complaint.channel == "post"
    assert complaint.received_at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=AMS)
    assert complaint.course == course
    assert complaint.complainant_phone == "+31612345678"
    assert complaint.registered_by == secretariat
    assert complaint.state == State.NEW
    assert complaint.acknowledge_due == dt.date(2026, 3, 3)
    document = complaint.documents.get()
    assert document.original_name == "scan brief.pdf"
    assert document.content_type == "application/pdf"
    assert len(files_in(media)) == 1
    page = desk.get(response.url).content.decode()
    assert f"Klacht {complaint.number} is geregistreerd." in page
    assert "scan brief.pdf" in page


def test_livp_2_an_email_saved_as_eml_is_accepted(desk, media):
    upload = SimpleUploadedFile("klacht.eml", EML, content_type="message/rfc822")
    response = desk.post(URL, form_data(channel="email", document=upload))
    assert response.status_code == 302
    assert Complaint.objects.get().documents.get().content_type == "message/rfc822"


@pytest.mark.parametrize(
    "name, content",
    [("factuur.pdf", EXE), ("brief.pdf", b"Dit is gewoon tekst, geen PDF.\n" * 5)],
    ids=["exe-renamed-pdf", "text-renamed-pdf"],
)
def test_livp_2_a_file_whose_content_is_not_allowed_is_refused_and_nothing_is_left(
    desk, media, name, content
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = desk.post(URL, form_data(document=upload))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dit soort bestand is niet toegestaan." in html
    assert 'id="id_document_error"' in html  # next to the file field
    assert 'value="Maria de Groot"' in html  # what was typed is kept
    assert "Mijn examen is zonder bericht verplaatst." in html
    assert not Complaint.objects.exists()
    assert not Document.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert files_in(media) == []


def test_livp_2_a_too_large_file_is_refused_and_nothing_is_left(desk, media, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    upload = SimpleUploadedFile("groot.pdf", PDF + b"0" * 2000, content_type="application/pdf")
    response = desk.post(URL, form_data(document=upload))
    assert response.status_code == 400
    assert "Het bestand is te groot" in response.content.decode()
    assert not Complaint.objects.exists()
    assert files_in(media) == []


def test_an_error_elsewhere_asks_to_choose_the_file_again(desk, media):
    upload = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")
    response = desk.post(URL, form_data(complainant_name="", document=upload))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies het bestand opnieuw" in html
    assert 'aria-describedby="id_complainant_name_error"' in html
    assert not Complaint.objects.exists()
    assert files_in(media) == []


def test_a_failure_after_the_file_was_stored_removes_it_again(desk, media, monkeypatch):
    from klachtroute.cases.services import registration as services

    real = services.event_record

    def failing(**kwargs):
        if kwargs["kind"] == "document_added":
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "event_record", failing)
    upload = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")
    with pytest.raises(RuntimeError):
        desk.post(URL, form_data(document=upload))
    assert not Complaint.objects.exists()
    assert not Document.objects.exists()
    assert not Event.objects.exists()
    assert files_in(media) == []


def test_livp_2_date_of_receipt_in_the_future_is_refused(desk, media):
    response = desk.post(URL, form_data(received_at="2026-03-04T15:00"))
    assert response.status_code == 400
    assert "De datum van ontvangst kan niet in de toekomst liggen." in response.content.decode()
    assert not Complaint.objects.exists()
    # Earlier today is fine.
    assert desk.post(URL, form_data(received_at="2026-03-04T08:00")).status_code == 302


def test_lsr_4a_oral_complaint_settled_on_the_spot_counts_and_gets_no_acknowledgement(
    desk, media, trainers
):
    response = desk.post(
        URL,
        form_data(
            channel="phone",
            received_at="2026-03-04T11:10",
            complainant_email="",
            complainant_address="",
            settled_on_the_spot="on",
        ),
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.state == State.SETTLED
    assert complaint.outcome == "settled_on_the_spot"
    assert complaint.settled_at == dt.datetime(2026, 3, 4, 11, 10, tzinfo=AMS)
    assert complaint.acknowledged_at is None
    assert not OutboxMessage.objects.exists()
    assert Complaint.objects.filter(state=State.SETTLED).count() == 1  # it counts
    page = desk.get(response.url).content.decode()
    assert "direct afgehandeld" in page
    assert "ontvangstbevestiging" in page.lower()


def test_lsr_4a_only_an_oral_complaint_can_be_settled_on_the_spot(desk, media):
    response = desk.post(URL, form_data(channel="post", settled_on_the_spot="on"))
    assert response.status_code == 400
    assert "Alleen een klacht per telefoon of persoonlijk" in response.content.decode()
    assert not Complaint.objects.exists()


def test_registration_validates_fields_and_names_them(desk, media, trainers):
    response = desk.post(
        URL,
        form_data(
            channel="web",
            complainant_phone="12",
            complainant_email="geen-adres",
            description="kort",
            complaint_date="2026-03-05",
            course="other",
            respondent_type="person",
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {
        "channel",
        "complainant_phone",
        "complainant_email",
        "description",
        "complaint_date",
        "course_other",
        "respondent_description",
    }
    assert not Complaint.objects.exists()


def test_registration_with_a_respondent_and_an_other_course(desk, media, trainers):
    response = desk.post(
        URL,
        form_data(
            course="other",
            course_other="Losse workshop",
            respondent_type="person",
            respondent=str(trainers[1].pk),
            representative_name="P. de Groot (moeder)",
            complainant_language="en",
        ),
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.course is None and complaint.course_other == "Losse workshop"
    assert complaint.respondent == trainers[1]
    assert complaint.representative_name == "P. de Groot (moeder)"
    assert complaint.complainant_language == "en"
