"""Registering, assigning and acknowledging complaints through the services."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from klachtroute.cases.models import Complaint, Document, Event
from klachtroute.cases.services import (
    complaint_assign_handler,
    complaint_correct_received_at,
    complaint_register,
)
from klachtroute.cases.workflow import State, TransitionError
from klachtroute.notifications.models import OutboxMessage
from klachtroute.organisation.models import ClosingDay, Organisation
from klachtroute.testing.factories import complaint_data

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=AMS)


@time_machine.travel(at(2026, 4, 24, 15), tick=False)
def test_livp_3_5_9_deadlines_stored_on_registration_around_kings_day(organisation, course):
    # Friday 24 April 2026; Monday 27 April is King's Day.
    complaint = complaint_register(**complaint_data(course=course, received_at=at(2026, 4, 24, 15)))
    assert complaint.acknowledge_due == dt.date(2026, 4, 28)  # LIVP-3: 1 working day
    assert complaint.first_contact_due == dt.date(2026, 5, 4)  # LIVP-5: 5 working days
    assert complaint.settle_due == dt.date(2026, 5, 22)  # LIVP-9: 4 weeks
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.acknowledge_due, stored.first_contact_due, stored.settle_due) == (
        dt.date(2026, 4, 28),
        dt.date(2026, 5, 4),
        dt.date(2026, 5, 22),
    )


@time_machine.travel(at(2026, 12, 23, 12), tick=False)
def test_deadlines_skip_closing_days_the_organisation_configures(organisation):
    ClosingDay.objects.create(date=dt.date(2026, 12, 24), description="Kerstsluiting")
    complaint = complaint_register(**complaint_data(received_at=at(2026, 12, 23, 9)))
    # 24 closed, 25 and 26 Christmas, 27 Sunday: the first working day after receipt is 28 December.
    assert complaint.acknowledge_due == dt.date(2026, 12, 28)


def test_lsr_6c_lsr_preset_sets_only_the_four_week_settlement(lsr_organisation):
    with time_machine.travel(at(2026, 3, 2), tick=False):
        complaint = complaint_register(**complaint_data(received_at=at(2026, 3, 2)))
    assert complaint.acknowledge_due is None
    assert complaint.first_contact_due is None
    assert complaint.settle_due == dt.date(2026, 3, 30)
    assert complaint.procedure_version.procedure.code == "lsr"


def test_number_is_unique_per_year_and_restarts_in_a_new_year(organisation):
    with time_machine.travel(at(2025, 12, 31, 23, 50), tick=False):
        a = complaint_register(**complaint_data(received_at=at(2025, 12, 31, 23, 30)))
        b = complaint_register(**complaint_data(received_at=at(2025, 12, 31, 23, 40)))
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        c = complaint_register(**complaint_data(received_at=at(2026, 1, 2, 9)))
    assert [a.number, b.number, c.number] == ["K-2025-0001", "K-2025-0002", "K-2026-0001"]


def test_livp_4_automatic_assignment_never_picks_a_trainer_of_the_course(
    organisation, course, trainers
):
    complaint = complaint_register(**complaint_data(course=course))
    assert complaint.handler == trainers[2]
    assert complaint.state == State.IN_PROGRESS


def test_automatic_assignment_picks_the_eligible_trainer_with_fewest_open_complaints(
    organisation, trainers
):
    first = complaint_register(**complaint_data())
    second = complaint_register(**complaint_data())
    third = complaint_register(**complaint_data())
    assert {first.handler, second.handler, third.handler} == set(trainers)


def test_livp_3_acknowledgement_queued_with_handler_in_the_same_transaction(
    organisation, course, trainers
):
    complaint = complaint_register(**complaint_data(course=course))
    message = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
    assert message.to == "jan@example.org"
    assert complaint.number in message.subject
    assert trainers[2].display_name in message.body
    assert f"{complaint.settle_due:%-d}" in message.body
    assert "vertrouwelijk" in message.body
    assert complaint.acknowledged_at is not None
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds == ["registered", "handler_assigned", "acknowledged"]


def test_livp_3_complainant_without_email_gets_a_letter_instead(organisation, trainers):
    complaint = complaint_register(**complaint_data(complainant_email=""))
    assert complaint.acknowledgement_by_letter is True
    # No e-mail goes out; the letter waits in the secretariat's list of post to send.
    letter = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
    assert letter.status == "to_post" and letter.to == ""
    assert letter.recipient_name == complaint.complainant_name
    assert complaint.events.filter(kind="acknowledged").exists()


def test_without_auto_assignment_the_complaint_waits_for_the_secretariat(organisation):
    Organisation.objects.update(auto_assign=False)
    complaint = complaint_register(**complaint_data())
    assert complaint.handler is None
    assert complaint.state == State.NEW
    assert complaint.next_due == complaint.acknowledge_due
    assert not OutboxMessage.objects.exists()


def test_livp_4_secretariat_cannot_appoint_a_trainer_of_the_course(
    organisation, course, trainers, secretariat
):
    Organisation.objects.update(auto_assign=False)
    complaint = complaint_register(**complaint_data(course=course))
    with pytest.raises(ValidationError) as excinfo:
        complaint_assign_handler(complaint=complaint, handler=trainers[0], actor=secretariat)
    assert "betrokken" in str(excinfo.value)
    complaint.refresh_from_db()
    assert complaint.handler is None
    assert not complaint.events.filter(kind="handler_assigned").exists()


def test_livp_4_respondent_is_never_eligible(organisation, trainers, secretariat):
    Organisation.objects.update(auto_assign=False)
    complaint = complaint_register(
        **complaint_data(respondent_type="person", respondent=trainers[2])
    )
    with pytest.raises(ValidationError):
        complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)


def test_only_the_secretariat_appoints_a_handler(organisation, trainers):
    Organisation.objects.update(auto_assign=False)
    complaint = complaint_register(**complaint_data())
    with pytest.raises(TransitionError) as excinfo:
        complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=trainers[1])
    assert excinfo.value.status == 403


def test_livp_3_appointment_by_secretariat_acknowledges_once(organisation, trainers, secretariat):
    Organisation.objects.update(auto_assign=False)
    complaint = complaint_register(**complaint_data())
    complaint = complaint_assign_handler(
        complaint=complaint, handler=trainers[0], actor=secretariat
    )
    complaint = complaint_assign_handler(
        complaint=complaint, handler=trainers[1], actor=secretariat
    )
    assert complaint.handler == trainers[1]
    assert OutboxMessage.objects.filter(complaint=complaint, kind="acknowledgement").count() == 1
    event = complaint.events.filter(kind="handler_assigned").last()
    assert event.actor == secretariat
    assert event.before["handler"] == trainers[0].display_name
    assert event.after["handler"] == trainers[1].display_name


def test_acknowledgement_is_in_the_complainants_language(organisation, trainers):
    complaint = complaint_register(**complaint_data(complainant_language="en"))
    message = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
    assert message.language == "en"
    assert "confidentially" in message.body  # the procedure's English text


def test_correcting_the_date_of_receipt_recomputes_every_deadline(organisation, secretariat):
    with time_machine.travel(at(2026, 5, 20, 12), tick=False):
        complaint = complaint_register(**complaint_data(received_at=at(2026, 5, 20, 9)))
        assert complaint.settle_due == dt.date(2026, 6, 17)
        corrected = complaint_correct_received_at(
            complaint=complaint,
            received_at=at(2026, 5, 13, 9),
            actor=secretariat,
            reason="De brief lag een week bij de receptie.",
        )
    # 13 May 2026 (Wednesday); Ascension 14 May, closed; so the next working day is Friday 15 May.
    assert corrected.acknowledge_due == dt.date(2026, 5, 15)
    assert corrected.settle_due == dt.date(2026, 6, 10)
    event = corrected.events.get(kind="received_at_corrected")
    assert event.before["deadlines"]["settle"] == "2026-06-17"
    assert event.after["deadlines"]["settle"] == "2026-06-10"
    assert event.actor == secretariat


def test_date_of_receipt_can_never_be_in_the_future(organisation, secretariat):
    future = dt.datetime.now(tz=AMS) + dt.timedelta(hours=2)
    with pytest.raises(ValidationError):
        complaint_register(**complaint_data(channel="post", actor=secretariat, received_at=future))
    assert not Complaint.objects.exists()


def test_lsr_4a_oral_complaint_settled_on_the_spot_counts_and_gets_no_acknowledgement(
    organisation, secretariat
):
    complaint = complaint_register(
        **complaint_data(channel="phone", actor=secretariat, settled_on_the_spot=True)
    )
    assert complaint.state == State.SETTLED
    assert complaint.outcome == "settled_on_the_spot"
    assert complaint.handler is None
    assert complaint.next_due is None
    assert not OutboxMessage.objects.exists()
    assert Complaint.objects.count() == 1
    assert complaint.events.filter(kind="settled_on_the_spot").exists()


def test_lsr_4a_only_an_oral_complaint_can_be_settled_on_the_spot(organisation, secretariat):
    with pytest.raises(ValidationError):
        complaint_register(
            **complaint_data(channel="post", actor=secretariat, settled_on_the_spot=True)
        )
    assert not Complaint.objects.exists()


def test_same_submission_token_registers_one_complaint(organisation, trainers):
    token = uuid.uuid4()
    first = complaint_register(**complaint_data(submission_token=token))
    second = complaint_register(**complaint_data(submission_token=token))
    assert first.pk == second.pk
    assert Complaint.objects.count() == 1
    # One acknowledgement, one message to the handler appointed automatically.
    assert sorted(OutboxMessage.objects.values_list("kind", flat=True)) == [
        "acknowledgement",
        "handler_appointed",
    ]


def test_livp_2_scan_is_stored_in_the_dossier(organisation, secretariat, settings):
    scan = SimpleUploadedFile(
        "../../scan formulier.PDF", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    complaint = complaint_register(
        **complaint_data(channel="post", actor=secretariat, complainant_email="", document=scan)
    )
    document = complaint.documents.get()
    assert document.original_name == "scan formulier.pdf"
    assert document.content_type == "application/pdf"
    assert "/" not in document.original_name
    assert document.file.read().startswith(b"%PDF")
    assert complaint.events.filter(kind="document_added").exists()


def test_failed_registration_leaves_no_file_no_complaint_no_mail(
    organisation, secretariat, settings, monkeypatch
):
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n")

    def broken_event(**kwargs):
        if kwargs["kind"] == "document_added":
            raise RuntimeError("database went away")
        return original(**kwargs)

    from klachtroute.cases.services import registration as services

    original = services.event_record
    monkeypatch.setattr(services, "event_record", broken_event)
    before = {p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()}
    with pytest.raises(RuntimeError):
        complaint_register(**complaint_data(channel="post", actor=secretariat, document=scan))
    after = {p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()}
    assert after == before
    assert not Complaint.objects.exists()
    assert not Document.objects.exists()
    assert not Event.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_upload_of_wrong_type_is_refused_before_anything_is_written(organisation, secretariat):
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ValidationError) as excinfo:
        complaint_register(**complaint_data(channel="post", actor=secretariat, document=fake))
    assert "niet toegestaan" in str(excinfo.value)
    assert not Complaint.objects.exists()


def test_upload_too_large_is_refused(organisation, secretariat, settings):
    settings.UPLOAD_MAX_BYTES = 100
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 200)
    with pytest.raises(ValidationError) as excinfo:
        complaint_register(**complaint_data(channel="post", actor=secretariat, document=big))
    assert "te groot" in str(excinfo.value)


def test_events_are_append_only(organisation):
    complaint = complaint_register(**complaint_data())
    event = complaint.events.first()
    event.summary = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
