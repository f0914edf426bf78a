"""The complaint number: gap-free and unique per year, drawn at the end of registration.

Until the number is drawn a complaint carries a placeholder ("~" and hex digits); nothing
of it may reach a person: not an event, a message, a letter or a document.
"""

import datetime as dt
import json
import threading
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from klachtroute.accounts.models import ApiToken
from klachtroute.cases.history import history_verify
from klachtroute.cases.models import Complaint, ComplaintCounter, Event
from klachtroute.cases.services import complaint_assign_handler, complaint_register, numbering
from klachtroute.intake.mail_services import received_mail_register, received_mail_store
from klachtroute.intake.models import ReceivedMail
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.factories import complaint_data

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MAIL = (
    b"From: Fatma Yilmaz <fatma@example.org>\r\nTo: klachten@example.org\r\n"
    b"Subject: Klacht over de les\r\nDate: Mon, 30 Nov 2026 09:15:00 +0100\r\n"
    b"Message-ID: <klacht-nummer@example.org>\r\n\r\nDe trainer kwam te laat.\r\n"
)
PLACEHOLDER = numbering.PLACEHOLDER_MARK


def what_people_see(complaint: Complaint) -> list[str]:
    """Every text of the complaint that a person reads: its history, its messages and
    letters, its documents."""
    texts = [complaint.number]
    for event in Event.objects.filter(complaint=complaint):
        texts += [event.summary, event.text, json.dumps(event.message_args)]
        texts += [json.dumps(event.before), json.dumps(event.after)]
    for message in OutboxMessage.objects.filter(complaint=complaint):
        texts += [message.subject, message.body, message.recipient_name, message.postal_address]
    for document in complaint.documents.all():
        texts += [document.original_name, document.description]
    return texts


def assert_numbered_everywhere(complaint: Complaint) -> None:
    complaint.refresh_from_db()
    assert complaint.number.startswith(f"K-{timezone.localdate().year}-")
    leaks = [text for text in what_people_see(complaint) if PLACEHOLDER in text]
    assert leaks == []
    messages = OutboxMessage.objects.filter(complaint=complaint)
    assert messages.exists()
    assert any(complaint.number in m.subject + m.body for m in messages)
    registered = Event.objects.get(complaint=complaint, kind="registered")
    assert registered.after["number"] == complaint.number
    assert history_verify() == []


@pytest.fixture
def desk(organisation, course, secretariat):
    client = Client()
    client.force_login(secretariat)
    return client


@pytest.mark.django_db
def test_a_complaint_from_the_public_form_shows_its_number_and_never_a_placeholder(
    organisation, course
):
    response = Client().post(
        "/klacht/",
        {
            "complainant_name": "Fatma Yılmaz",
            "course": str(course.pk),
            "complaint_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
            "complainant_phone": "06 12 34 56 78",
            "complainant_email": "fatma@example.org",
            "description": "De trainer maakte in de groep opmerkingen over mijn afkomst.",
            "remedy_sought": "Excuses en een gesprek.",
            "submission_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.handler is not None  # assigned, so the handler was told as well
    assert_numbered_everywhere(complaint)


@pytest.mark.django_db
def test_a_complaint_by_api_shows_its_number_and_never_a_placeholder(lsr_organisation, secretariat):
    _token, raw = ApiToken.objects.create_token(user=secretariat, name="test")
    response = Client().post(
        "/api/v1/complaints",
        json.dumps(
            {
                "channel": "phone",
                "complainant": {"name": "Jan Jansen", "email": "", "address": "Dorpsstraat 1"},
                "complaint_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
                "description": "De trainer kwam drie keer te laat en gaf geen uitleg.",
                "respondent_type": "unknown",
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert response.json()["number"] == complaint.number
    assert response["Location"].endswith(f"/complaints/{complaint.number}")
    assert_numbered_everywhere(complaint)


@pytest.mark.django_db
def test_a_complaint_registered_by_the_secretariat_shows_its_number_and_never_a_placeholder(
    desk, course, trainers, secretariat, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    received = timezone.localtime() - dt.timedelta(days=10)
    response = desk.post(
        "/registreren/",
        {
            "channel": "post",
            "received_at": received.strftime("%Y-%m-%dT%H:%M"),
            "complainant_name": "Maria de Groot",
            "complainant_address": "Lindelaan 4\n1234 AB Ergens",
            "complainant_language": "nl",
            "course": str(course.pk),
            "complaint_date": (received.date() - dt.timedelta(days=3)).isoformat(),
            "description": "Mijn examen is zonder bericht verplaatst.",
            "respondent_type": "organisation",
            "document": SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf"),
        },
    )
    complaint = Complaint.objects.get()
    assert response.url == f"/zaken/{complaint.number}/"
    assert Event.objects.filter(complaint=complaint, kind="registered_late").exists()
    assert complaint.documents.count() == 1
    complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)
    assert_numbered_everywhere(complaint)


@pytest.mark.django_db
def test_a_complaint_registered_from_the_mailbox_shows_its_number_and_never_a_placeholder(
    organisation, course, trainers, secretariat, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    received_mail_store(raw=MAIL, received_at=timezone.now())
    complaint = received_mail_register(
        mail=ReceivedMail.objects.get(),
        actor=secretariat,
        complainant_name="Fatma Yilmaz",
        complainant_email="fatma@example.org",
        complainant_language="nl",
        course=course,
        complaint_date=timezone.localdate(),
        description="De trainer kwam te laat.",
    )
    assert complaint.documents.count() == 1  # the original message
    complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)
    assert_numbered_everywhere(complaint)


@pytest.mark.django_db
def test_a_complaint_acknowledged_at_registration_names_its_number_in_the_letter(
    lsr_organisation,
):
    complaint = complaint_register(
        **complaint_data(channel="post", complainant_email="", complainant_address="Laan 1")
    )
    letter = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
    assert letter.to == "" and complaint.number in letter.subject + letter.body
    assert_numbered_everywhere(complaint)


@pytest.mark.django_db
def test_a_complaint_settled_on_the_spot_is_confirmed_with_its_number(awb_organisation):
    complaint = complaint_register(**complaint_data(channel="phone", settled_on_the_spot=True))
    assert complaint.state == "settled"
    assert_numbered_everywhere(complaint)


@pytest.mark.django_db
def test_a_registration_that_fails_after_drawing_its_number_leaves_no_gap(
    organisation, monkeypatch
):
    def fails(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(numbering, "held_events_write", fails)
    with pytest.raises(RuntimeError):
        complaint_register(**complaint_data())
    monkeypatch.undo()
    assert not Complaint.objects.exists()

    complaint = complaint_register(**complaint_data())

    assert complaint.number == f"K-{timezone.localdate().year}-0001"
    assert ComplaintCounter.objects.get().last == 1


@pytest.mark.django_db(transaction=True)
def test_complaints_registered_at_the_same_moment_get_consecutive_numbers_without_gaps(
    organisation, course
):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL); SQLite serialises all writes")
    writers, rounds = 8, 4
    barrier = threading.Barrier(writers)
    errors = []

    def register(n: int) -> None:
        try:
            barrier.wait()
            for i in range(rounds):
                complaint_register(
                    **complaint_data(course=course, complainant_name=f"Klager {n}.{i}")
                )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    year = timezone.localdate().year
    numbers = sorted(Complaint.objects.values_list("number", flat=True))
    assert numbers == [f"K-{year}-{n:04d}" for n in range(1, writers * rounds + 1)]
    assert ComplaintCounter.objects.get(year=year).last == writers * rounds
    assert not Event.objects.filter(after__number__startswith=PLACEHOLDER).exists()
    assert history_verify() == []


@pytest.mark.django_db
def test_the_ten_thousandth_complaint_of_a_year_has_five_digits_everywhere(lsr_organisation):
    year = timezone.localdate().year
    ComplaintCounter.objects.create(year=year, last=9999)

    complaint = complaint_register(**complaint_data())

    assert complaint.number == f"K-{year}-10000"
    complaint.refresh_from_db()
    assert complaint.number == f"K-{year}-10000"
    acknowledgement = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
    assert f"K-{year}-10000" in acknowledgement.subject + acknowledgement.body
    assert_numbered_everywhere(complaint)
