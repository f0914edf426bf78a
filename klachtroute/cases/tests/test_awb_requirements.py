"""The Awb chapter 9 complaint procedure (the `awb9` preset), rule by rule.

Each step is a generic step of the transition table that the preset switches on; these tests
drive the real services and read what the complainant and the respondent receive.
"""

import copy
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from klachtroute.cases.actions import action_perform
from klachtroute.cases.deadlines import deadline_state
from klachtroute.cases.models import Complaint, Outcome
from klachtroute.cases.services import (
    admissible_declare,
    complaint_assign_handler,
    complaint_register,
    complaint_set_aside,
    hearing_offer,
    hearing_record,
    hearing_skip,
    involved_record,
    outcome_decide,
    respondent_copy_send,
    respondent_set,
    settlement_extend,
)
from klachtroute.cases.watch import deadlines_watch
from klachtroute.cases.workflow import State, TransitionError, actions_for
from klachtroute.notifications.models import OutboxMessage
from klachtroute.procedures.models import ProcedureVersion
from klachtroute.procedures.presets import load_presets
from klachtroute.testing.factories import (
    UserFactory,
    complaint_data,
    letter_parts,
    organisation_create,
)

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMS)


@pytest.fixture
def staff(db):
    return {
        "handler": UserFactory(
            username="hannah", first_name="Hannah", last_name="Behandelaar", is_staff_member=True
        ),
        "respondent": UserFactory(
            username="rob", first_name="Rob", last_name="Medewerker", is_staff_member=True
        ),
        "colleague": UserFactory(
            username="cor", first_name="Cor", last_name="Collega", is_staff_member=True
        ),
    }


def _written(**overrides):
    return complaint_data(
        channel="post",
        complainant_address="Stationsweg 1\n1234 AB Utrecht",
        **overrides,
    )


def _in_progress(secretariat, staff, **overrides) -> Complaint:
    complaint = complaint_register(**_written(actor=secretariat, **overrides))
    complaint = respondent_set(
        complaint=complaint,
        actor=secretariat,
        respondent_type="person",
        respondent=staff["respondent"],
    )
    return complaint_assign_handler(
        complaint=complaint, handler=staff["handler"], actor=secretariat
    )


def _messages(complaint, kind):
    return list(OutboxMessage.objects.filter(complaint=complaint, kind=kind).order_by("pk"))


# AWB-9:1, 9:4, 9:6 ----------------------------------------------------------------------


def test_awb_9_1_oral_and_written_complaints_are_both_registered(awb_organisation, secretariat):
    oral = complaint_register(**complaint_data(actor=secretariat, channel="phone"))
    written = complaint_register(**_written(actor=secretariat))
    assert oral.state == written.state == State.NEW
    assert oral.procedure_version.procedure.code == written.procedure_version.procedure.code


def test_awb_9_4_a_written_complaint_without_the_complainants_address_is_refused(
    awb_organisation, secretariat
):
    with pytest.raises(ValidationError) as excinfo:
        complaint_register(**complaint_data(actor=secretariat, channel="post"))
    assert "postadres" in excinfo.value.message_dict["complainant_address"][0]
    # An oral complaint is put on record by the secretariat without it.
    complaint_register(**complaint_data(actor=secretariat, channel="phone"))


def test_awb_9_4_the_public_form_asks_for_the_address(awb_organisation, client):
    page = client.get("/klacht/").content.decode()
    assert 'name="complainant_address"' in page


def test_awb_9_4_livp_form_does_not_ask_for_an_address(organisation, client):
    page = client.get("/klacht/").content.decode()
    assert 'name="complainant_address"' not in page


def test_awb_9_6_written_acknowledgement_on_registration(awb_organisation, secretariat):
    complaint = complaint_register(**_written(actor=secretariat))
    complaint.refresh_from_db()
    assert complaint.acknowledged_at is not None
    [ack] = _messages(complaint, "acknowledgement")
    assert "zes weken" in ack.body


# AWB-9:5 -------------------------------------------------------------------------------


def test_awb_9_5_settled_at_once_is_confirmed_in_writing_and_kept(awb_organisation, secretariat):
    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="phone", settled_on_the_spot=True)
    )
    assert complaint.state == State.SETTLED
    assert complaint.outcome == Outcome.SETTLED_ON_THE_SPOT
    [confirmation] = _messages(complaint, "settled_at_once")
    assert "naar tevredenheid afgehandeld" in confirmation.subject
    assert complaint.description in confirmation.body
    assert "settled_at_once_confirmed" in set(complaint.events.values_list("kind", flat=True))


def test_awb_9_5_livp_sends_no_confirmation_of_an_oral_complaint_settled_at_once(
    organisation, secretariat
):
    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="phone", settled_on_the_spot=True)
    )
    assert _messages(complaint, "settled_at_once") == []


# AWB-9:7 -------------------------------------------------------------------------------


def test_awb_9_7_the_respondent_cannot_handle_the_complaint(awb_organisation, secretariat, staff):
    complaint = complaint_register(**_written(actor=secretariat))
    respondent_set(
        complaint=complaint,
        actor=secretariat,
        respondent_type="person",
        respondent=staff["respondent"],
    )
    with pytest.raises(ValidationError):
        complaint_assign_handler(
            complaint=complaint, handler=staff["respondent"], actor=secretariat
        )


def test_awb_9_7_a_person_recorded_as_involved_cannot_handle_it_even_later(
    awb_organisation, secretariat, staff
):
    complaint = complaint_register(**_written(actor=secretariat))
    involved_record(complaint=complaint, actor=secretariat, person=staff["colleague"], note="")
    with pytest.raises(ValidationError) as excinfo:
        complaint_assign_handler(complaint=complaint, handler=staff["colleague"], actor=secretariat)
    assert "betrokkene" in excinfo.value.message_dict["handler"][0]
    # The check applies again when the handler changes.
    complaint_assign_handler(complaint=complaint, handler=staff["handler"], actor=secretariat)
    with pytest.raises(ValidationError):
        complaint_assign_handler(complaint=complaint, handler=staff["colleague"], actor=secretariat)
    # And the current handler cannot be recorded as involved without a new handler first.
    with pytest.raises(ValidationError):
        involved_record(complaint=complaint, actor=secretariat, person=staff["handler"])


def test_awb_9_7_livp_still_excludes_the_trainers_of_the_course(
    organisation, secretariat, trainers, course
):
    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="post", course=course)
    )
    with pytest.raises(ValidationError):
        complaint_assign_handler(complaint=complaint, handler=trainers[0], actor=secretariat)
    complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)


# AWB-9:8 -------------------------------------------------------------------------------


def test_awb_9_8_set_aside_with_ground_tells_the_complainant_in_writing(
    awb_organisation, secretariat
):
    complaint = complaint_register(**_written(actor=secretariat))
    complaint = complaint_set_aside(
        complaint=complaint,
        actor=secretariat,
        ground="more_than_a_year",
        reason="Het voorval was in 2023.",
    )
    assert complaint.state == State.SETTLED
    assert complaint.outcome == Outcome.SET_ASIDE
    [letter] = _messages(complaint, "set_aside")
    assert "meer dan een jaar" in letter.body
    assert "Het voorval was in 2023." in letter.body
    assert "Niet in behandeling genomen" in complaint.events.get(kind="set_aside").summary


def test_awb_9_8_the_decision_to_set_aside_is_due_four_weeks_after_receipt(
    awb_organisation, secretariat, staff
):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False) as clock:  # a Monday
        complaint = complaint_register(**_written(actor=secretariat))
        assert complaint.set_aside_due == dt.date(2026, 3, 30)
        state = deadline_state(complaint, "set_aside", dt.date(2026, 3, 2))
        assert state is not None and state.status == "open"
        assert "set_aside" in complaint.events.get(kind="registered").after["deadlines"]
        clock.move_to(at(2026, 3, 31, 10))
        state = deadline_state(complaint, "set_aside", dt.date(2026, 3, 31))
        assert state.status == "missed"


def test_awb_9_8_the_watcher_reminds_of_the_set_aside_decision_and_marks_it_missed(
    awb_organisation, secretariat, staff
):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False) as clock:
        complaint = complaint_register(**_written(actor=secretariat))  # due Monday 30 March
        clock.move_to(at(2026, 3, 25, 7))  # three working days ahead
        deadlines_watch()
        [reminder] = _messages(complaint, "deadline_reminder")
        assert reminder.to == secretariat.email  # no handler yet
        assert "niet in behandeling" in reminder.body
        clock.move_to(at(2026, 3, 31, 7))
        deadlines_watch()
    missed = complaint.events.get(kind="deadline_missed")
    assert "niet in behandeling" in missed.summary


def test_awb_9_8_handling_the_complaint_meets_the_set_aside_deadline(
    awb_organisation, secretariat, staff
):
    complaint = _in_progress(secretariat, staff)
    complaint = respondent_copy_send(complaint=complaint, actor=staff["handler"])
    state = deadline_state(complaint, "set_aside", dt.date.today())
    assert state.status == "met"


def test_awb_9_8_lsr_and_livp_have_no_set_aside_step_or_deadline(organisation, secretariat):
    complaint = complaint_register(**_written(actor=secretariat))
    assert complaint.set_aside_due is None
    assert "set_aside" not in complaint.events.get(kind="registered").after["deadlines"]
    with pytest.raises(TransitionError):
        complaint_set_aside(complaint=complaint, actor=secretariat, ground="x", reason="y")


# AWB-9:9 -------------------------------------------------------------------------------


def test_awb_9_9_respondent_receives_a_copy_through_a_private_link(
    awb_organisation, secretariat, staff, client
):
    complaint = _in_progress(secretariat, staff)
    respondent_copy_send(complaint=complaint, actor=staff["handler"])
    [message] = _messages(complaint, "respondent_copy")
    assert message.to == staff["respondent"].email
    link = next(line for line in message.body.splitlines() if "/p/" in line).strip()
    page = client.get(link[link.index("/p/") :]).content.decode()
    assert complaint.description in page
    event = complaint.events.get(kind="respondent_copy_sent")
    assert "Rob Medewerker" in event.summary


def test_awb_9_9_respondent_copy_by_post_encloses_the_complaint(
    awb_organisation, secretariat, staff
):
    complaint = _in_progress(secretariat, staff)
    respondent_copy_send(complaint=complaint, actor=staff["handler"], by_post=True)
    [letter] = _messages(complaint, "respondent_copy")
    assert letter.status == "to_post"
    assert complaint.description in letter.body
    with pytest.raises(TransitionError):
        respondent_copy_send(complaint=complaint, actor=staff["handler"])


# AWB-9:10 ------------------------------------------------------------------------------


def test_awb_9_10_hearing_offered_to_both_and_its_report_kept(awb_organisation, secretariat, staff):
    complaint = _in_progress(secretariat, staff)
    complaint = hearing_offer(
        complaint=complaint, actor=staff["handler"], proposal="Dinsdag 10 uur, kamer 2."
    )
    offers = _messages(complaint, "hearing_offer")
    assert {m.to for m in offers} == {"jan@example.org", staff["respondent"].email}
    assert all("Dinsdag 10 uur, kamer 2." in m.body for m in offers)
    complaint = hearing_record(
        complaint=complaint,
        actor=staff["handler"],
        held_on=dt.date.today(),
        report="Beide partijen lichtten hun kant toe.",
    )
    assert complaint.hearing_report == "Beide partijen lichtten hun kant toe."
    assert complaint.events.filter(kind="hearing_held").exists()


def test_awb_9_10_skipping_for_no_reply_only_after_the_reply_period(
    awb_organisation, secretariat, staff
):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False) as clock:
        complaint = _in_progress(secretariat, staff)
        complaint = hearing_offer(complaint=complaint, actor=staff["handler"], proposal="Wanneer?")
        assert complaint.hearing_reply_due == dt.date(2026, 3, 16)
        with pytest.raises(ValidationError):
            hearing_skip(complaint=complaint, actor=staff["handler"], reason="no_reply")
        clock.move_to(at(2026, 3, 17, 10))
        complaint = hearing_skip(complaint=complaint, actor=staff["handler"], reason="no_reply")
    assert "niet binnen de gestelde termijn" in complaint.events.get(kind="hearing_skipped").summary


def test_awb_9_10_no_outcome_before_the_hearing_is_held_or_skipped(
    awb_organisation, secretariat, staff
):
    complaint = _in_progress(secretariat, staff)
    respondent_copy_send(complaint=complaint, actor=staff["handler"])
    with pytest.raises(TransitionError):
        outcome_decide(
            complaint=complaint,
            actor=staff["handler"],
            findings="f",
            decision="founded",
            motivation="m",
            **letter_parts("outcome"),
        )
    hearing_skip(
        complaint=complaint,
        actor=staff["handler"],
        reason="complainant_waived",
        note="Per telefoon gezegd.",
    )
    outcome_decide(
        complaint=complaint,
        actor=staff["handler"],
        findings="f",
        decision="founded",
        motivation="m",
        **letter_parts("outcome"),
    )


# AWB-9:11 ------------------------------------------------------------------------------


def test_awb_9_11_settled_within_six_weeks_extended_once_by_at_most_four(
    awb_organisation, secretariat, staff
):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        complaint = _in_progress(secretariat, staff)
        assert complaint.settle_due == dt.date(2026, 4, 13)
        with pytest.raises(ValidationError) as excinfo:
            settlement_extend(
                complaint=complaint,
                actor=staff["handler"],
                reason="Getuige op vakantie.",
                new_due=dt.date(2026, 5, 12),  # four weeks and a day
            )
        assert "complainant_consent" in excinfo.value.message_dict
        settlement_extend(
            complaint=complaint,
            actor=staff["handler"],
            reason="Getuige op vakantie.",
            new_due=dt.date(2026, 5, 11),
        )
    notices = _messages(complaint, "extension_notice")
    assert {m.to for m in notices} == {"jan@example.org", staff["respondent"].email}


def test_awb_9_11_a_second_extension_needs_the_complainants_written_consent(
    awb_organisation, secretariat, staff
):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        complaint = _in_progress(secretariat, staff)
        settlement_extend(
            complaint=complaint,
            actor=staff["handler"],
            reason="Eerst.",
            new_due=dt.date(2026, 4, 20),
        )
        with pytest.raises(ValidationError) as excinfo:
            settlement_extend(
                complaint=complaint,
                actor=staff["handler"],
                reason="Nog een getuige.",
                new_due=dt.date(2026, 4, 28),
            )
        assert "maar 1 keer" in excinfo.value.message_dict["complainant_consent"][0]
        extension = settlement_extend(
            complaint=complaint,
            actor=staff["handler"],
            reason="Nog een getuige.",
            new_due=dt.date(2026, 4, 28),
            complainant_consent="Brief van de klager van 15 april 2026.",
        )
    assert extension.complainant_consent == "Brief van de klager van 15 april 2026."
    event = complaint.events.filter(kind="extended").last()
    assert "schriftelijke instemming" in event.summary
    assert event.after["complainant_consent"] == "Brief van de klager van 15 april 2026."


# AWB-9:12 ------------------------------------------------------------------------------


def test_awb_9_12_reasoned_outcome_names_judgement_and_the_next_instance(
    awb_organisation, secretariat, staff
):
    complaint = _in_progress(secretariat, staff)
    respondent_copy_send(complaint=complaint, actor=staff["handler"])
    hearing_skip(complaint=complaint, actor=staff["handler"], reason="evidently_unfounded")
    ruling = outcome_decide(
        complaint=complaint,
        actor=staff["handler"],
        findings="De les begon drie keer later.",
        decision="partly_founded",
        motivation="Twee keer was er een goede reden.",
        conclusions="Het rooster wordt voortaan vooraf gedeeld.",
        **letter_parts("outcome", conclusions=None),
    )
    complaint.refresh_from_db()
    assert complaint.state == State.SETTLED
    assert complaint.outcome == Outcome.REASONED
    to_complainant, to_respondent = _messages(complaint, "outcome")
    for message in (to_complainant, to_respondent):
        assert "De les begon drie keer later." in message.body
        assert "deels gegrond" in message.body
        assert "Het rooster wordt voortaan vooraf gedeeld." in message.body
        assert "Nationale ombudsman" in message.body
        assert "binnen een jaar" in message.body
    assert ruling.findings == "De les begon drie keer later."


def test_awb_9_12_the_outcome_in_english_names_the_national_ombudsman(
    awb_organisation, secretariat, staff
):
    complaint = _in_progress(secretariat, staff, complainant_language="en")
    respondent_copy_send(complaint=complaint, actor=staff["handler"])
    hearing_skip(complaint=complaint, actor=staff["handler"], reason="complainant_waived")
    outcome_decide(
        complaint=complaint,
        actor=staff["handler"],
        findings="f",
        decision="unfounded",
        motivation="m",
        **letter_parts("outcome"),
    )
    message = _messages(complaint, "outcome")[0]
    assert "National Ombudsman" in message.body
    assert "within one year" in message.body


# Generic steps, through the one entry point ---------------------------------------------


def test_awb_steps_are_offered_only_by_a_definition_that_switches_them_on(
    awb_organisation, secretariat, staff
):
    complaint = _in_progress(secretariat, staff)
    offered = {t.action for t in actions_for(staff["handler"], complaint)}
    assert {"send_respondent_copy", "offer_hearing", "skip_hearing", "set_aside"} <= offered
    assert "propose_solution" not in offered


def test_awb_outcome_through_action_perform_refuses_unknown_judgement(
    awb_organisation, secretariat, staff
):
    complaint = _in_progress(secretariat, staff)
    action_perform(
        complaint=complaint, action="send_respondent_copy", actor=staff["handler"], data={}
    )
    action_perform(
        complaint=complaint,
        action="skip_hearing",
        actor=staff["handler"],
        data={"reason": "complainant_waived", "note": ""},
    )
    complaint.refresh_from_db()
    with pytest.raises(ValidationError):
        action_perform(
            complaint=complaint,
            action="decide_outcome",
            actor=staff["handler"],
            data={"findings": "f", "decision": "maybe", "motivation": "m"},
        )


# AWB-9:12a -----------------------------------------------------------------------------


def test_awb_9_12a_yearly_register_lists_written_complaints_anonymised_html_and_pdf(
    awb_organisation, secretariat, staff, director, client
):
    with time_machine.travel(at(2025, 5, 12, 10), tick=False):
        complaint = _in_progress(secretariat, staff, complainant_name="Aaltje Zeldzaam")
        complaint.anonymised_summary = "Een les begon herhaaldelijk te laat."
        complaint.save()
        respondent_copy_send(complaint=complaint, actor=staff["handler"])
        hearing_skip(complaint=complaint, actor=staff["handler"], reason="complainant_waived")
        outcome_decide(
            complaint=complaint,
            actor=staff["handler"],
            findings="f",
            decision="founded",
            motivation="m",
            **letter_parts("outcome"),
        )
        complaint_register(**complaint_data(actor=secretariat, channel="phone"))  # oral
    with time_machine.travel(at(2026, 2, 2, 10), tick=False):
        client.force_login(director)
        page = client.get("/jaarverslag/register/?year=2025").content.decode()
        pdf = client.get("/jaarverslag/register/pdf/?year=2025")
    assert "Een les begon herhaaldelijk te laat." in page
    assert "Gegrond" in page
    assert "mei 2025" in page
    assert "Aaltje" not in page and "Zeldzaam" not in page
    assert "Rob Medewerker" not in page and complaint.number not in page
    assert page.count("<tr><td>") == 1  # the oral complaint is not in the register
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_awb_9_12a_the_annual_report_offers_the_register_only_where_the_procedure_keeps_one(
    organisation, director, client
):
    client.force_login(director)
    assert "/jaarverslag/register/" not in client.get("/jaarverslag/").content.decode()
    organisation_create(preset="awb9", auto_assign=False)
    assert "/jaarverslag/register/" in client.get("/jaarverslag/").content.decode()


def test_awb_preset_is_chosen_in_beheer_like_livp_and_lsr(awb_organisation, administrator, client):
    organisation_create(preset="livp")  # installs LIVP beside Awb and makes it active
    client.force_login(administrator)
    page = client.get(f"/beheer/organisation/organisation/{awb_organisation.pk}/change/")
    html = page.content.decode()
    assert "Klachtbehandeling Awb hoofdstuk 9" in html and "Klachtenprocedure LIVP" in html


def test_a_hearing_and_extension_limits_switched_on_in_an_lsr_like_regulation(
    lsr_organisation, secretariat, staff
):
    """The steps Awb brought belong to no preset: a version of LSR that switches them on in
    its definition offers them, and its other steps stay those of LSR."""
    definition = copy.deepcopy(load_presets()["lsr"])
    awb = load_presets()["awb9"]
    definition.update(
        version="2026",
        effective_from="2026-01-01",
        hearing=awb["hearing"],
        extension={"max_count": 1, "max_total_weeks": 2, "further_needs_consent": False},
    )
    ProcedureVersion.objects.create(
        procedure=lsr_organisation.active_procedure,
        label="2026",
        effective_from=dt.date(2026, 1, 1),
        definition=definition,
    )
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
        complaint = admissible_declare(
            complaint=complaint,
            actor=secretariat,
            category="staff",
            respondent_type="person",
            respondent=staff["respondent"],
        )
        offered = {t.action for t in actions_for(staff["respondent"], complaint)}
        assert {"offer_hearing", "skip_hearing", "share_findings"} <= offered
        assert not {"decide_outcome", "send_respondent_copy", "set_aside"} & offered
        hearing_offer(complaint=complaint, actor=staff["respondent"], proposal="Maandag.")
        settlement_extend(
            complaint=complaint, actor=secretariat, reason="Drukte.", new_due=dt.date(2026, 4, 7)
        )
        with pytest.raises(ValidationError) as excinfo:  # no consent route in this version
            settlement_extend(
                complaint=complaint,
                actor=secretariat,
                reason="Nog drukker.",
                new_due=dt.date(2026, 4, 10),
            )
    assert "maar 1 keer" in excinfo.value.message_dict["new_due"][0]


def test_awb_9_12_an_outcome_without_what_will_be_done_and_by_when_is_refused(
    awb_organisation, secretariat, staff
):
    complaint = _in_progress(secretariat, staff)
    respondent_copy_send(complaint=complaint, actor=staff["handler"])
    hearing_skip(complaint=complaint, actor=staff["handler"], reason="evidently_unfounded")
    with pytest.raises(ValidationError) as excinfo:
        outcome_decide(
            complaint=complaint,
            actor=staff["handler"],
            findings="De les begon later.",
            decision="founded",
            motivation="Zonder bericht.",
        )
    errors = excinfo.value.message_dict
    assert "wat er gebeurt (de conclusies), wanneer het gebeurt" in errors["__all__"][0]
    assert {"conclusions", "remedy_due"} <= set(errors)
    complaint.refresh_from_db()
    assert complaint.state == State.IN_PROGRESS
    assert not _messages(complaint, "outcome")
    # Through the form (staff page and API alike) the same parts are named.
    with pytest.raises(ValidationError) as excinfo:
        action_perform(
            complaint=complaint,
            action="decide_outcome",
            actor=staff["handler"],
            data={"findings": "De les begon later.", "decision": "founded", "motivation": "Ja."},
        )
    assert "wanneer het gebeurt" in " ".join(excinfo.value.message_dict["__all__"])


def test_awb_9_12_the_outcome_letter_shows_each_part_under_its_heading(
    awb_organisation, secretariat, staff
):
    with time_machine.travel(at(2026, 3, 10, 12), tick=False):
        complaint = _in_progress(secretariat, staff)
        respondent_copy_send(complaint=complaint, actor=staff["handler"])
        hearing_skip(complaint=complaint, actor=staff["handler"], reason="evidently_unfounded")
        outcome_decide(
            complaint=complaint,
            actor=staff["handler"],
            findings="De les begon drie keer later.",
            decision="founded",
            motivation="Er was geen bericht.",
            conclusions="Het rooster wordt voortaan vooraf gedeeld.",
            remedy_due=dt.date(2026, 3, 31),
        )
    body = _messages(complaint, "outcome")[0].body
    parts = [
        "Bevindingen\nDe les begon drie keer later.",
        "Besluit\nOordeel: de klacht is gegrond.",
        "Motivering\nEr was geen bericht.",
        "Wat er gebeurt en wanneer\nHet rooster wordt voortaan vooraf gedeeld.",
        "Uiterlijk dinsdag 31 maart 2026 uitgevoerd.",
        "Vervolgstap\n",
        "U kunt terecht bij: de Nationale ombudsman",
        "Postbus 93122",
        "Termijn: binnen een jaar na deze uitkomst",
    ]
    positions = [body.index(part) for part in parts]
    assert positions == sorted(positions)
