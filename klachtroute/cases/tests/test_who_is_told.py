"""Who is told what: every person involved hears of what concerns them, at the moment it
happens, and a message to staff links to the complaint."""

import pytest
from django.conf import settings

from klachtroute.cases.services import complaint_assign_handler, complaint_register
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts

pytestmark = pytest.mark.django_db


def _to(person_or_address, complaint=None):
    address = getattr(person_or_address, "email", person_or_address)
    messages = OutboxMessage.objects.filter(to=address)
    if complaint is not None:
        messages = messages.filter(complaint=complaint)
    return list(messages.order_by("pk"))


def _record_url(complaint) -> str:
    return f"{settings.SITE_URL}/zaken/{complaint.number}/"


def test_livp_4_handler_appointed_automatically_is_told_with_a_link(organisation, course, trainers):
    complaint = complaint_register(**complaint_data(course=course))
    assert complaint.handler == trainers[2]
    [message] = _to(trainers[2], complaint)
    assert message.kind == "handler_appointed"
    assert complaint.number in message.subject
    assert "automatisch" in message.body
    assert _record_url(complaint) in message.body


def test_livp_4_handler_appointed_by_hand_is_told_with_a_link(
    organisation, course, trainers, secretariat
):
    organisation.auto_assign = False
    organisation.save()
    complaint = complaint_register(**complaint_data(course=course))
    assert _to(trainers[2]) == []
    complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)
    [message] = _to(trainers[2], complaint)
    assert "secretariaat heeft u aangewezen" in message.body
    assert _record_url(complaint) in message.body
    # The first contact the handler owes the complainant (LIVP-5) is in the message.
    assert "Persoonlijk contact met de klager" in message.body


def test_livp_3_new_handler_is_told_old_handler_released_and_complainant_told_the_new_name(
    organisation, course, trainers, secretariat
):
    complaint = complaint_register(**complaint_data(course=course))
    first = complaint.handler
    second = UserFactory(username="trainer4", first_name="Tine", last_name="Nieuw", is_trainer=True)
    complaint_assign_handler(complaint=complaint, handler=second, actor=secretariat)

    [appointed] = _to(second, complaint)
    assert first.display_name in appointed.body
    assert _record_url(complaint) in appointed.body
    released = _to(first, complaint)[-1]
    assert released.kind == "handler_released"
    assert second.display_name in released.body
    # The acknowledgement named the first handler; the complainant now hears the new name.
    told = _to("jan@example.org", complaint)
    assert [m.kind for m in told] == ["acknowledgement", "handler_changed"]
    assert second.display_name in told[-1].body
    assert complaint.events.filter(kind="complainant_told_handler").exists()


def test_lsr_4b_complainant_is_not_told_a_handler_the_acknowledgement_never_named(
    lsr_organisation, secretariat, director
):
    staff = UserFactory(username="mw1", is_staff_member=True)
    other = UserFactory(username="mw2", is_staff_member=True)
    from klachtroute.cases.services import admissible_declare

    complaint = complaint_register(**complaint_data())
    admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="procedure",
        respondent_type="organisation",
    )
    complaint.refresh_from_db()
    complaint_assign_handler(complaint=complaint, handler=other, actor=secretariat)
    assert [m.kind for m in _to("jan@example.org", complaint)] == ["acknowledgement"]
    [appointed] = _to(other, complaint)
    assert _record_url(complaint) in appointed.body
    assert staff.email not in [m.to for m in OutboxMessage.objects.all()]


@pytest.fixture
def livp_complaint(organisation, course, trainers, secretariat):
    """A web complaint, handled by Theo (appointed automatically), about Tom."""
    from klachtroute.cases.services import respondent_set

    complaint = complaint_register(**complaint_data(course=course))
    assert complaint.handler == trainers[2]
    OutboxMessage.objects.all().delete()
    return respondent_set(
        complaint=complaint, actor=secretariat, respondent_type="person", respondent=trainers[0]
    )


def _kinds(person, complaint):
    return [m.kind for m in _to(person, complaint)]


def test_livp_6_handler_and_respondent_are_told_when_the_complainant_agrees(
    livp_complaint, trainers
):
    from klachtroute.cases.services import solution_decide, solution_propose

    handler, respondent = trainers[2], trainers[0]
    solution_propose(
        complaint=livp_complaint,
        actor=handler,
        text="Excuses en inhaallessen.",
        **letter_parts("solution"),
    )
    OutboxMessage.objects.all().delete()
    solution_decide(
        complaint=livp_complaint, actor=None, party="complainant", approve=True, via_link=True
    )
    [to_handler] = _to(handler, livp_complaint)
    assert to_handler.kind == "complainant_step"
    assert "De klager gaat akkoord met de oplossing" in to_handler.body
    assert "akkoord van de beklaagde volgt nog" in to_handler.body
    assert _record_url(livp_complaint) in to_handler.body
    [to_respondent] = _to(respondent, livp_complaint)
    assert "De klager gaat akkoord met de oplossing" in to_respondent.body
    # The respondent does not see the record, so the message does not link to it.
    assert _record_url(livp_complaint) not in to_respondent.body


def test_livp_6_respondent_is_told_when_the_complainant_disagrees(livp_complaint, trainers):
    from klachtroute.cases.services import solution_decide, solution_propose

    solution_propose(
        complaint=livp_complaint, actor=trainers[2], text="Excuses.", **letter_parts("solution")
    )
    OutboxMessage.objects.all().delete()
    solution_decide(
        complaint=livp_complaint,
        actor=None,
        party="complainant",
        approve=False,
        reason="Excuses alleen zijn niet genoeg.",
        via_link=True,
    )
    assert _kinds(trainers[2], livp_complaint) == ["solution_rejected"]
    [to_respondent] = _to(trainers[0], livp_complaint)
    assert "niet akkoord met de oplossing" in to_respondent.body
    assert "Excuses alleen zijn niet genoeg." in to_respondent.body


def test_livp_11_handler_and_respondent_are_told_when_the_complainant_appeals(
    livp_complaint, trainers, secretariat
):
    from klachtroute.cases.services import no_agreement_declare, third_party_appeal

    no_agreement_declare(complaint=livp_complaint, actor=secretariat)
    OutboxMessage.objects.all().delete()
    third_party_appeal(complaint=livp_complaint, party="complainant", note="Ik wil een advies.")
    for person in (trainers[2], trainers[0]):
        [message] = _to(person, livp_complaint)
        assert "onafhankelijke derde" in message.subject
        assert "Ik wil een advies." in message.body


def test_withdrawal_tells_handler_respondent_and_secretariat(livp_complaint, trainers, secretariat):
    from klachtroute.cases.services import complaint_withdraw

    complaint_withdraw(complaint=livp_complaint, party="complainant", reason="Opgelost.")
    for person in (trainers[2], trainers[0], secretariat):
        assert _kinds(person, livp_complaint) == ["withdrawn"]
    assert _record_url(livp_complaint) in _to(secretariat, livp_complaint)[0].body


def test_withdrawal_recorded_by_the_secretariat_does_not_tell_that_same_person(
    livp_complaint, trainers, secretariat
):
    from klachtroute.cases.services import complaint_withdraw

    complaint_withdraw(complaint=livp_complaint, actor=secretariat, reason="Telefonisch.")
    assert _kinds(secretariat, livp_complaint) == []
    assert _kinds(trainers[2], livp_complaint) == ["withdrawn"]


def test_handler_and_respondent_are_told_when_the_complainant_adds_information(
    livp_complaint, trainers
):
    from klachtroute.cases.services import complainant_information_add

    complainant_information_add(complaint=livp_complaint, text="Nog een datum: 3 maart.", files=[])
    assert _kinds(trainers[2], livp_complaint) == ["complainant_added_information"]
    assert _kinds(trainers[0], livp_complaint) == ["complainant_added_information"]
    assert _record_url(livp_complaint) in _to(trainers[2], livp_complaint)[0].body


@pytest.fixture
def lsr_about_staff(lsr_organisation, secretariat, director):
    from klachtroute.cases.services import admissible_declare

    staff = UserFactory(
        username="mw", first_name="Mia", last_name="Medewerker", is_staff_member=True
    )
    complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    complaint = admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="staff",
        respondent_type="person",
        respondent=staff,
    )
    return complaint, staff


def _share(complaint, actor):
    from klachtroute.cases.services import findings_share

    criteria = complaint.procedure_version.spec.criteria_for(complaint.category)
    findings_share(
        complaint=complaint,
        actor=actor,
        summary="Het rooster is te laat gewijzigd.",
        proposed_solution="Voortaan een week vooraf.",
        judgements={c.code: ("in_order", "") for c in criteria},
        **letter_parts("findings"),
    )
    OutboxMessage.objects.all().delete()


def test_lsr_6h_handler_is_told_when_the_complainant_agrees_with_the_findings(lsr_about_staff):
    from klachtroute.cases.services import findings_respond

    complaint, staff = lsr_about_staff
    _share(complaint, staff)
    findings_respond(complaint=complaint, party="complainant", agree=True)
    [message] = _to(staff, complaint)
    assert "akkoord met de bevindingen" in message.body
    assert _record_url(complaint) in message.body


def test_lsr_6d_handler_is_told_when_the_complainant_disagrees_and_when_escalating(
    lsr_about_staff, secretariat, director
):
    from klachtroute.cases.services import director_escalate, findings_respond, procedure_send

    complaint, staff = lsr_about_staff
    _share(complaint, staff)
    findings_respond(complaint=complaint, party="complainant", agree=False, reason="Te laat.")
    assert _kinds(secretariat, complaint) == ["findings_rejected"]
    [message] = _to(staff, complaint)
    assert "niet akkoord met de bevindingen" in message.body and "Te laat." in message.body

    procedure_send(complaint=complaint, actor=secretariat)
    OutboxMessage.objects.all().delete()
    director_escalate(complaint=complaint, party="complainant", note="Graag een uitspraak.")
    assert _kinds(director, complaint) == ["escalated_to_director"]
    [message] = _to(staff, complaint)
    assert "aan de directeur voorgelegd" in message.body
    assert "Graag een uitspraak." in message.body


def _form_html(page: str, action: str) -> str:
    start = page.index(f"/acties/{action}/")
    return page[start : page.index("</form>", start)]


def test_free_text_that_goes_to_the_complainant_says_so_on_the_form(lsr_about_staff, client):
    complaint, staff = lsr_about_staff
    client.force_login(staff)
    page = client.get(f"/zaken/{complaint.number}/").content.decode()
    findings_form = _form_html(page, "share_findings")
    assert findings_form.count("De klager ontvangt deze tekst.") >= 2  # findings, solution
    # A note for the record only does not say it is sent.
    measure_form = _form_html(page, "propose_measure")
    assert "ontvangt deze tekst" not in measure_form


def test_the_note_sent_with_the_procedure_says_it_goes_to_the_complainant(
    lsr_about_staff, secretariat, client
):
    from klachtroute.cases.services import findings_respond

    complaint, staff = lsr_about_staff
    _share(complaint, staff)
    findings_respond(complaint=complaint, party="complainant", agree=False, reason="Nee.")
    client.force_login(secretariat)
    page = client.get(f"/zaken/{complaint.number}/").content.decode()
    assert "De klager ontvangt deze tekst." in _form_html(page, "send_procedure")


def _lsr_overdue(secretariat, staff):
    """An LSR complaint about a staff member, received Monday 2 March 2026, its settlement
    period (four weeks) passed without an extension."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from klachtroute.cases.services import admissible_declare

    received = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="post", received_at=received)
    )
    complaint = admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="staff",
        respondent_type="person",
        respondent=staff,
    )
    assert complaint.settle_due == dt.date(2026, 3, 30)
    return complaint


def test_lsr_7b_when_the_settlement_period_passes_the_handler_is_told_once(
    lsr_organisation, secretariat, director
):
    import datetime as dt

    import time_machine

    from klachtroute.cases.watch import deadlines_watch

    staff = UserFactory(
        username="mw", first_name="Mia", last_name="Medewerker", is_staff_member=True
    )
    with time_machine.travel(dt.datetime(2026, 3, 2, 11, 0), tick=False):
        complaint = _lsr_overdue(secretariat, staff)
    with time_machine.travel(dt.datetime(2026, 3, 31, 9, 0), tick=False):
        deadlines_watch()
        deadlines_watch()
    [told] = [m for m in _to(staff, complaint) if m.kind == "settle_missed"]
    assert "maandag 30 maart 2026" in told.body
    assert "Klager informeren over de vertraging" in told.body
    assert _record_url(complaint) in told.body
    # The director sees the missed deadline (LSR-7b).
    assert "deadlines_overdue" in [m.kind for m in _to(director)]
    assert complaint.events.filter(kind="handler_told_settle_missed").count() == 1


def test_livp_9_a_passed_settlement_period_starts_no_agreement_and_asks_no_delay_notice(
    organisation, course, trainers
):
    import datetime as dt

    import time_machine

    from klachtroute.cases.watch import deadlines_watch

    with time_machine.travel(dt.datetime(2026, 3, 2, 11, 0), tick=False):
        complaint = complaint_register(**complaint_data(course=course))
    with time_machine.travel(dt.datetime(2026, 3, 31, 9, 0), tick=False):
        deadlines_watch()
    complaint.refresh_from_db()
    assert complaint.state == "no_agreement"
    assert "settle_missed" not in [m.kind for m in _to(trainers[2], complaint)]


def test_lsr_7b_handler_informs_the_complainant_of_reason_and_date_and_the_director_sees_it(
    lsr_organisation, secretariat, director, client
):
    import datetime as dt

    import time_machine

    from klachtroute.cases.services import delay_inform
    from klachtroute.cases.workflow import TransitionError

    staff = UserFactory(
        username="mw", first_name="Mia", last_name="Medewerker", is_staff_member=True
    )
    with time_machine.travel(dt.datetime(2026, 3, 2, 11, 0), tick=False):
        complaint = _lsr_overdue(secretariat, staff)
        client.force_login(staff)
        page = client.get(f"/zaken/{complaint.number}/").content.decode()
        assert "/acties/inform_delay/" not in page  # the period has not passed
    with time_machine.travel(dt.datetime(2026, 3, 31, 9, 0), tick=False):
        client.force_login(staff)
        page = client.get(f"/zaken/{complaint.number}/").content.decode()
        assert "/acties/inform_delay/" in page
        OutboxMessage.objects.all().delete()
        response = client.post(
            f"/zaken/{complaint.number}/acties/inform_delay/",
            {"reason": "Een getuige is ziek.", "expected": "2026-04-14"},
        )
        assert response.status_code in (200, 302)
        [notice] = _to("jan@example.org", complaint)
        assert notice.kind == "delay_notice"
        assert "Een getuige is ziek." in notice.body
        assert "dinsdag 14 april 2026" in notice.body
        [to_director] = _to(director, complaint)
        assert to_director.kind == "delay_notified"
        assert "Een getuige is ziek." in to_director.body
        assert _record_url(complaint) in to_director.body
        event = complaint.events.get(kind="delay_notified")
        assert "14 apr. 2026" in event.summary
        # Told once for this period: the step is not offered again.
        with pytest.raises(TransitionError):
            delay_inform(
                complaint=complaint, actor=staff, reason="Nogmaals.", expected=dt.date(2026, 4, 20)
            )


def test_livp_11_after_a_binding_advice_secretariat_handler_and_director_are_told(
    livp_complaint, trainers, secretariat, director
):
    from klachtroute.cases.services import (
        binding_advice_record,
        no_agreement_declare,
        third_party_appeal,
    )

    no_agreement_declare(complaint=livp_complaint, actor=secretariat)
    third_party_appeal(complaint=livp_complaint, party="complainant")
    OutboxMessage.objects.all().delete()
    binding_advice_record(
        complaint=livp_complaint,
        party="third_party",
        advice="De organisatie biedt excuses aan.",
        follow_ups=["Excuses per brief", "Lesrooster herzien"],
        **letter_parts("binding_advice"),
    )
    for person in (secretariat, trainers[2], director):
        [message] = _to(person, livp_complaint)
        assert message.kind == "binding_advice_recorded"
        assert "De organisatie biedt excuses aan." in message.body
        assert "- Lesrooster herzien" in message.body
        assert _record_url(livp_complaint) in message.body
    assert _to(trainers[0], livp_complaint) == []  # the respondent is not the organisation


def test_livp_11_each_point_of_the_advice_gets_an_owner_and_a_date_and_is_tracked_as_a_measure(
    livp_complaint, trainers, secretariat, director, client
):
    import datetime as dt

    from django.utils import timezone

    from klachtroute.cases.services import (
        binding_advice_record,
        follow_up_complete,
        no_agreement_declare,
        third_party_appeal,
    )
    from klachtroute.measures import watch as measures_watch
    from klachtroute.measures.models import Measure
    from klachtroute.measures.services import follow_up_plan

    no_agreement_declare(complaint=livp_complaint, actor=secretariat)
    third_party_appeal(complaint=livp_complaint, party="complainant")
    ruling = binding_advice_record(
        complaint=livp_complaint,
        party="third_party",
        advice="Excuses en een nieuw rooster.",
        follow_ups=["Lesrooster herzien"],
        **letter_parts("binding_advice"),
    )
    item = ruling.follow_ups.get()
    OutboxMessage.objects.all().delete()
    due = timezone.localdate() + dt.timedelta(days=1)
    follow_up_plan(
        complaint=livp_complaint,
        actor=secretariat,
        follow_up_id=item.pk,
        owner=trainers[1],
        due_date=due,
    )
    measure = Measure.objects.get(follow_up=item)
    assert (measure.owner, measure.due_date, measure.description) == (
        trainers[1],
        due,
        "Lesrooster herzien",
    )
    assert _kinds(trainers[1], livp_complaint) == ["measure_assigned"]
    assert livp_complaint.events.filter(kind="follow_up_planned").exists()
    # Tracked like a measure: on the owner's overview, and reminded before its date.
    client.force_login(trainers[1])
    assert "Lesrooster herzien" in client.get("/maatregelen/").content.decode()
    measures_watch.run(timezone.localdate())
    assert "measure_reminder" in _kinds(trainers[1], livp_complaint)
    # Ticking the point off finishes the measure and, the last point, the complaint.
    follow_up_complete(complaint=livp_complaint, actor=secretariat, follow_up_id=item.pk)
    measure.refresh_from_db()
    assert measure.status == Measure.Status.DONE
    assert measure.done_on == timezone.localdate()  # when, so "by when" can be proven kept
    livp_complaint.refresh_from_db()
    assert livp_complaint.state == "settled"


def test_livp_9_a_late_registration_gives_the_handler_the_chance_before_no_agreement(
    organisation, course, trainers
):
    """Received (by post) on 2 February, registered on 16 March: the settlement period
    ended on 2 March already, but no agreement waits until the handler had the four weeks
    the procedure gives (`no_agreement_handler_period`) from the appointment."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from klachtroute.cases.watch import deadlines_watch

    ams = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 3, 16, 10, 0, tzinfo=ams), tick=False):
        complaint = complaint_register(
            **complaint_data(course=course, received_at=dt.datetime(2026, 2, 2, 10, 0, tzinfo=ams))
        )
        assert complaint.settle_due == dt.date(2026, 3, 2)
        assert complaint.handler == trainers[2]
        deadlines_watch()
    complaint.refresh_from_db()
    assert complaint.state == "in_progress"
    with time_machine.travel(dt.datetime(2026, 4, 13, 9, 0, tzinfo=ams), tick=False):
        deadlines_watch()  # 13 April: the handler's four weeks end today
    complaint.refresh_from_db()
    assert complaint.state == "in_progress"
    assert "no_agreement_notice" not in [m.kind for m in _to("jan@example.org", complaint)]
    with time_machine.travel(dt.datetime(2026, 4, 14, 9, 0, tzinfo=ams), tick=False):
        deadlines_watch()
    complaint.refresh_from_db()
    assert complaint.state == "no_agreement"


def test_livp_9_the_handlers_chance_is_an_explicit_rule_of_the_definition():
    import json

    from django.conf import settings as django_settings

    from klachtroute.procedures.definition import DefinitionError, definition_parse

    path = django_settings.BASE_DIR / "klachtroute/procedures/presets/livp.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert definition_parse(data, "livp.json").no_agreement_handler_period == "4 weeks"
    without = {k: v for k, v in data.items() if k != "no_agreement_handler_period"}
    with pytest.raises(DefinitionError) as excinfo:
        definition_parse(without, "livp.json")
    assert "no_agreement_handler_period" in str(excinfo.value)
    with pytest.raises(DefinitionError):
        definition_parse({**data, "no_agreement_handler_period": None}, "livp.json")


def test_a_staff_mail_in_the_administrators_own_words_still_links_to_the_complaint(
    organisation, course, trainers
):
    from klachtroute.notifications.models import MessageTemplate

    MessageTemplate.objects.create(
        procedure=organisation.active_procedure,
        key="handler_appointed",
        language="nl",
        subject="Nieuwe klacht {{ complaint.number }}",
        body="U behandelt klacht {{ complaint.number }}.",
    )
    complaint = complaint_register(**complaint_data(course=course))
    [message] = _to(trainers[2], complaint)
    assert message.subject == f"Nieuwe klacht {complaint.number}"
    assert f"Open de klacht in Klachtroute: {_record_url(complaint)}" in message.body


def _registration_form(**overrides) -> dict:
    data = {
        "channel": "post",
        "received_at": "2026-02-02T09:30",
        "complainant_name": "Maria de Groot",
        "complainant_email": "",
        "complainant_phone": "06 12345678",
        "complainant_address": "Lindelaan 4\n1234 AB Ergens",
        "complainant_language": "nl",
        "representative_name": "",
        "course": "",
        "course_other": "",
        "complaint_date": "2026-01-30",
        "description": "Mijn examen is zonder bericht verplaatst.",
        "remedy_sought": "",
        "respondent_type": "organisation",
        "respondent_description": "",
        "category": "",
    }
    data.update(overrides)
    return data


def test_a_late_registration_warns_the_secretariat_which_periods_have_passed(
    organisation, secretariat, trainers, client
):
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from klachtroute.cases.models import Complaint

    ams = ZoneInfo("Europe/Amsterdam")
    client.force_login(secretariat)
    with time_machine.travel(dt.datetime(2026, 3, 16, 10, 0, tzinfo=ams), tick=False):
        response = client.post("/registreren/", _registration_form(), follow=True)
    page = response.content.decode()
    assert "laat geregistreerd" in page
    assert "ontvangstbevestiging (3 feb. 2026)" in page
    assert "eerste persoonlijk contact met de klager (9 feb. 2026)" in page
    assert "afhandeling van de klacht (2 mrt. 2026)" in page
    complaint = Complaint.objects.get()
    assert complaint.events.filter(kind="registered_late").exists()


def test_an_acknowledgement_after_a_late_registration_says_honestly_what_happens_now(
    organisation, course, trainers
):
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    ams = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 3, 16, 10, 0, tzinfo=ams), tick=False):
        complaint = complaint_register(
            **complaint_data(course=course, received_at=dt.datetime(2026, 2, 2, 9, tzinfo=ams))
        )
    [ack] = [m for m in _to("jan@example.org", complaint) if m.kind == "acknowledgement"]
    body = " ".join(ack.body.split())
    assert "Persoonlijk contact met de behandelaar: zo snel mogelijk" in body
    assert "(maandag 9 februari 2026) was al verstreken toen wij uw klacht registreerden" in body
    assert "Afhandeling van uw klacht: zo snel mogelijk" in body
    assert "uiterlijk maandag 2 maart 2026" not in body


def test_lsr_12_a_letter_waiting_in_the_post_is_renewed_when_the_date_of_receipt_is_corrected(
    lsr_organisation, secretariat
):
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from klachtroute.cases.services import complaint_correct_received_at
    from klachtroute.links.models import PrivateLink

    ams = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, 0, tzinfo=ams), tick=False):
        complaint = complaint_register(
            **complaint_data(
                actor=secretariat,
                channel="post",
                complainant_email="",
                complainant_address="Lindelaan 4\n1234 AB Ergens",
                received_at=dt.datetime(2026, 3, 4, 9, tzinfo=ams),
            )
        )
        letter = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
        assert letter.status == "to_post"
        assert "woensdag 1 april 2026" in letter.body  # four weeks from 4 March
        complaint_correct_received_at(
            complaint=complaint,
            received_at=dt.datetime(2026, 3, 2, 9, tzinfo=ams),
            actor=secretariat,
            reason="Poststempel van 2 maart.",
        )
    letter.refresh_from_db()
    assert "maandag 30 maart 2026" in letter.body
    assert "woensdag 1 april 2026" not in letter.body
    assert "2 maart 2026" in letter.body
    assert complaint.events.filter(kind="letter_renewed").exists()
    # One status link works: the one in the renewed letter.
    assert PrivateLink.objects.filter(complaint=complaint, revoked_at__isnull=True).count() == 1


def test_lsr_7a_the_directors_overviews_link_to_every_complaint_they_name(
    lsr_organisation, secretariat, director
):
    import datetime as dt

    import time_machine

    from klachtroute.cases.watch import deadlines_watch

    staff = UserFactory(username="mw", is_staff_member=True)
    with time_machine.travel(dt.datetime(2026, 3, 2, 11, 0), tick=False):
        complaint = _lsr_overdue(secretariat, staff)
    with time_machine.travel(dt.datetime(2026, 3, 31, 9, 0), tick=False):
        deadlines_watch()
    kinds = {m.kind: m for m in _to(director)}
    assert _record_url(complaint) in kinds["deadlines_overdue"].body
    assert _record_url(complaint) in kinds["weekly_digest"].body


def test_lsr_12_correcting_the_date_of_receipt_reselects_the_version_in_force_on_that_date(
    lsr_organisation, secretariat
):
    """A second version (amended on 10 March 2026, settlement in six weeks) is in force;
    a complaint registered on 11 March as received that day falls under it; corrected to
    2 March, it falls under the first version again, with its four weeks."""
    import copy
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from klachtroute.cases.services import complaint_correct_received_at
    from klachtroute.procedures.models import ProcedureVersion

    ams = ZoneInfo("Europe/Amsterdam")
    first = lsr_organisation.active_procedure.versions.get()
    definition = copy.deepcopy(first.definition)
    definition["deadlines"]["settle"] = "6 weeks"
    amended = ProcedureVersion.objects.create(
        procedure=first.procedure,
        label="wijziging",
        effective_from=dt.date(2026, 3, 10),
        definition=definition,
    )
    with time_machine.travel(dt.datetime(2026, 3, 11, 10, 0, tzinfo=ams), tick=False):
        complaint = complaint_register(
            **complaint_data(
                actor=secretariat,
                channel="post",
                received_at=dt.datetime(2026, 3, 11, 9, tzinfo=ams),
            )
        )
        assert complaint.procedure_version == amended
        assert complaint.settle_due == dt.date(2026, 4, 22)
        complaint = complaint_correct_received_at(
            complaint=complaint,
            received_at=dt.datetime(2026, 3, 2, 9, tzinfo=ams),
            actor=secretariat,
            reason="Poststempel van 2 maart.",
        )
    assert complaint.procedure_version == first
    assert complaint.settle_due == dt.date(2026, 3, 30)
    event = complaint.events.filter(kind="received_at_corrected").get()
    # Each version by its name and the date it took effect, the Dutch way.
    assert "valt nu onder Klachtenreglement LSR (10 dec. 2014)" in event.summary
    assert "(was Klachtenreglement LSR wijziging (10 mrt. 2026))" in event.summary


def test_lsr_5b_the_routing_form_starts_from_the_registered_category(
    lsr_organisation, secretariat, client
):
    import re

    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="post", category="staff")
    )
    client.force_login(secretariat)
    form = _form_html(
        client.get(f"/zaken/{complaint.number}/").content.decode(), "judge_admissible"
    )
    selected = re.findall(r'<option value="([a-z_]*)"[^>]*selected', form)
    assert "staff" in selected


def test_lsr_6e_the_directors_ruling_has_no_verdict_chosen_in_advance_and_names_the_criteria(
    lsr_about_staff, secretariat, director, client
):
    import re

    from klachtroute.cases.services import director_escalate, findings_respond, procedure_send

    complaint, staff = lsr_about_staff
    _share(complaint, staff)
    findings_respond(complaint=complaint, party="complainant", agree=False, reason="Nee.")
    procedure_send(complaint=complaint, actor=secretariat)
    director_escalate(complaint=complaint, party="complainant")
    client.force_login(director)
    form = _form_html(client.get(f"/zaken/{complaint.number}/").content.decode(), "rule")
    assert not re.search(r'<option value="[a-z_]+"[^>]*selected', form)
    assert "Motiveer naar de criteria: " in form
    for criterion in complaint.procedure_version.spec.criteria_for(complaint.category):
        assert criterion.label.nl in form
    # Posting without a verdict is refused with a clear message.
    response = client.post(
        f"/zaken/{complaint.number}/acties/rule/", {"decision": "", "motivation": "Gemotiveerd."}
    )
    assert "Dit veld is verplicht." in response.content.decode()


def test_steps_that_close_the_complaint_sit_apart_from_the_next_step_and_need_a_confirmation(
    lsr_about_staff, secretariat, client
):
    complaint, staff = lsr_about_staff
    _share(complaint, staff)
    client.force_login(secretariat)
    page = client.get(f"/zaken/{complaint.number}/").content.decode()
    next_step = page.split("Volgende stap")[1].split("Afsluiten")[0]
    closing = page.split('class="action-group action-group-closing"')[1]
    # Recording that the complainant agrees settles the complaint: not offered as the next step.
    assert "/acties/accept_findings/" not in next_step
    assert "/acties/reject_findings/" in next_step
    assert "/acties/accept_findings/" in closing and 'name="confirm"' in closing
    assert "/acties/withdraw/" in closing
    # Without the confirmation nothing happens, and the page says why.
    response = client.post(f"/zaken/{complaint.number}/acties/accept_findings/", {})
    assert response.status_code == 400
    assert "Bevestig deze stap: die sluit de klacht af" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == "findings_shared"
    response = client.post(f"/zaken/{complaint.number}/acties/accept_findings/", {"confirm": "1"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "settled"


def test_livp_6_a_step_that_cannot_be_taken_yet_says_why_and_what_to_do_first(
    organisation, course, trainers, client
):
    complaint = complaint_register(**complaint_data(course=course))
    assert complaint.respondent_type == "unknown"
    client.force_login(trainers[2])
    page = client.get(f"/zaken/{complaint.number}/").content.decode()
    assert "/acties/propose_solution/" not in page
    blocked = page.split("Nog niet mogelijk")[1].split("</ul>")[0]
    assert "Oplossing vastleggen en ter fiattering sturen" in blocked
    assert "Leg eerst vast wie de beklaagde is" in blocked
    # A step done already is not listed as blocked.
    assert "Het eerste contact is al vastgelegd" not in page


def test_the_assign_handler_hint_is_true_for_the_procedure_it_is_shown_in(
    lsr_organisation, secretariat, director, client
):
    """Under LSR the acknowledgement went out at registration: the hint of appointing a
    handler does not promise one with the handler's name (LIVP wording)."""
    from klachtroute.cases.services import admissible_declare

    complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    admissible_declare(
        complaint=complaint, actor=secretariat, category="procedure", respondent_type="organisation"
    )
    client.force_login(secretariat)
    form = _form_html(client.get(f"/zaken/{complaint.number}/").content.decode(), "assign_handler")
    assert "De behandelaar krijgt bericht met een link naar de klacht." in form
    assert "ontvangstbevestiging" not in form


def test_livp_3_the_assign_handler_hint_comes_from_the_livp_definition(
    organisation, secretariat, client
):
    organisation.auto_assign = False
    organisation.save()
    complaint = complaint_register(**complaint_data())
    client.force_login(secretariat)
    form = _form_html(client.get(f"/zaken/{complaint.number}/").content.decode(), "assign_handler")
    assert "ontvangstbevestiging met de naam van de behandelaar" in form


def test_every_hint_in_a_preset_names_a_step_of_the_table():
    import json

    from django.conf import settings as django_settings

    from klachtroute.cases.workflow import TRANSITIONS_BY_ACTION

    for path in (django_settings.BASE_DIR / "klachtroute/procedures/presets").glob("*.json"):
        hints = json.loads(path.read_text(encoding="utf-8"))["hints"]
        assert set(hints) <= set(TRANSITIONS_BY_ACTION), path.name


def test_information_the_complainant_adds_appears_in_full_in_record_dossier_and_history(
    livp_complaint, trainers, client
):
    from klachtroute.cases.services import complainant_information_add
    from klachtroute.letters.dossier import dossier_html

    text = "Op 3 maart was de trainer opnieuw te laat.\nDe groep heeft een uur gewacht."
    complainant_information_add(complaint=livp_complaint, text=text, files=[])
    client.force_login(trainers[2])
    page = client.get(f"/zaken/{livp_complaint.number}/").content.decode()
    section = page.split('id="information-title"')[1].split("</section>")[0]
    assert (
        "Op 3 maart was de trainer opnieuw te laat.<br>De groep heeft een uur gewacht." in section
    )
    assert "Op 3 maart was de trainer opnieuw te laat." in dossier_html(livp_complaint)
    event = livp_complaint.events.get(kind="information_added")
    assert "Op 3 maart was de trainer opnieuw te laat." in event.summary
    assert "tekens" not in event.summary


def test_refusals_are_the_products_own_translated_pages(
    organisation, secretariat, trainers, client
):
    client.force_login(trainers[0])
    response = client.get("/zaken/K-2026-9999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina niet gevonden" in page and "Not Found" not in page
    response = client.get("/en/zaken/K-2026-9999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    response = client.get("/registreren/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Geen toegang" in page
    assert "Alleen het secretariaat registreert klachten." in page


def test_lsr_5d_a_director_who_finds_the_inadmissibility_unjustified_sends_it_back_for_investigation(
    lsr_organisation, secretariat, director, client
):
    import re

    from klachtroute.cases.services import (
        admissible_declare,
        director_escalate,
        inadmissible_answer,
        inadmissible_declare,
    )

    complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    inadmissible_declare(
        complaint=complaint,
        actor=secretariat,
        ground="handled_before",
        reason="Al eerder behandeld.",
        respondent_type="organisation",
    )
    inadmissible_answer(complaint=complaint, actor=director, answer="Dit is eerder behandeld.")
    director_escalate(complaint=complaint, party="complainant", note="Er zijn nieuwe feiten.")
    OutboxMessage.objects.all().delete()
    client.force_login(director)
    form = _form_html(client.get(f"/zaken/{complaint.number}/").content.decode(), "rule")
    # The ruling judges the inadmissibility, with no answer chosen in advance.
    assert 'name="inadmissibility"' in form and "Onterecht: de klacht gaat terug" in form
    assert not re.search(r'<option value="[a-z_]+"[^>]*selected', form)
    response = client.post(
        f"/zaken/{complaint.number}/acties/rule/",
        {
            "inadmissibility": "unjustified",
            "motivation": "De klager noemt nieuwe feiten; die zijn niet eerder behandeld.",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "new" and complaint.admissible is None
    [to_complainant] = _to("jan@example.org", complaint)
    assert "wordt toch onderzocht" in to_complainant.subject
    assert "nieuwe feiten; die zijn niet eerder behandeld" in to_complainant.body
    [to_secretariat] = _to(secretariat, complaint)
    assert _record_url(complaint) in to_secretariat.body
    # The secretariat routes it for investigation.
    admissible_declare(
        complaint=complaint, actor=secretariat, category="procedure", respondent_type="organisation"
    )
    complaint.refresh_from_db()
    assert complaint.state == "in_progress"


def test_the_history_speaks_plain_words_without_internal_keys_or_codes(
    lsr_about_staff, secretariat, client
):
    import re

    complaint, staff = lsr_about_staff
    _share(complaint, staff)
    client.force_login(secretariat)
    page = client.get(f"/zaken/{complaint.number}/").content.decode()
    history = page.split('id="history-title"')[1].split("</section>")[0]
    for internal in ("in_order", "judgements", "message:", "kind:", "category:", "staff<"):
        assert internal not in history, internal
    # The category is named by its label, not its code.
    assert "Categorie:" in history
    labels = re.findall(r'<span class="change-label">([^<]+):</span>', history)
    assert all(not re.fullmatch(r"[a-z_.]+", label) for label in labels), labels


def test_staff_add_a_document_at_any_time_with_its_channel_and_date_of_receipt(
    livp_complaint, secretariat, client, settings, tmp_path
):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from klachtroute.letters.dossier import dossier_html

    settings.MEDIA_ROOT = tmp_path
    client.force_login(secretariat)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    pdf = SimpleUploadedFile(
        "akkoord.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    response = client.post(
        f"/zaken/{livp_complaint.number}/acties/add_document/",
        {
            "document": pdf,
            "description": "Getekende goedkeuring van de beklaagde",
            "channel": "post",
            "received_on": yesterday.isoformat(),
        },
    )
    assert response.status_code == 302
    document = livp_complaint.documents.get()
    assert (document.channel, document.received_on) == ("post", yesterday)
    event = livp_complaint.events.get(kind="document_received")
    assert "akkoord.pdf ontvangen via post" in event.summary
    page = client.get(f"/zaken/{livp_complaint.number}/").content.decode()
    assert "Getekende goedkeuring van de beklaagde" in page
    assert "Ontvangen via Post op" in page
    assert "akkoord.pdf" in dossier_html(livp_complaint)
    # After closing too.
    from klachtroute.cases.services import complaint_withdraw

    complaint_withdraw(complaint=livp_complaint, actor=secretariat, reason="Opgelost.")
    page = client.get(f"/zaken/{livp_complaint.number}/").content.decode()
    assert "/acties/add_document/" in page


def test_livp_8_a_measure_owner_finds_measures_in_the_menu(livp_complaint, trainers, client):
    import datetime as dt

    from django.utils import timezone

    from klachtroute.measures.services import measure_propose

    owner = trainers[1]
    client.force_login(owner)
    assert 'href="/maatregelen/"' not in client.get("/werk/").content.decode()
    measure_propose(
        complaint=livp_complaint,
        actor=trainers[2],
        description="Vertraging vooraf melden.",
        owner=owner,
        due_date=timezone.localdate() + dt.timedelta(days=10),
    )
    assert 'href="/maatregelen/"' in client.get("/werk/").content.decode()


def test_dates_are_written_the_dutch_way_in_dutch_and_the_english_way_in_english(
    organisation, course, secretariat, client
):
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    ams = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=ams), tick=False):
        complaint = complaint_register(**complaint_data(course=course))
        client.force_login(secretariat)
        dutch = client.get(f"/zaken/{complaint.number}/").content.decode()
        english = client.get(f"/en/zaken/{complaint.number}/").content.decode()
        worklist = client.get("/werk/").content.decode()
    history = dutch.split('id="history-title"')[1]
    assert "1 dec. 2026, 10:00" in history
    assert "Dec" not in history
    assert "1 Dec 2026, 10:00" in english.split('id="history-title"')[1]
    assert "1 dec. 2026" in worklist


def test_the_record_puts_situation_and_next_step_first_and_history_and_messages_fold(
    livp_complaint, secretariat, client
):
    client.force_login(secretariat)
    page = client.get(f"/zaken/{livp_complaint.number}/").content.decode()
    assert page.index('class="state ') < page.index('id="actions-title"')
    assert page.index('id="actions-title"') < page.index('id="messages-title"')
    assert page.index('id="actions-title"') < page.index('id="history-title"')
    for title in ("history-title", "messages-title"):
        before = page[: page.index(f'id="{title}"')]
        assert before.rfind('<details class="fold"') > before.rfind("<section")


def test_a_handler_without_an_email_address_gets_no_letter_in_the_list_of_post(
    organisation, course, trainers
):
    trainers[2].email = ""
    trainers[2].save(update_fields=["email"])
    complaint = complaint_register(**complaint_data(course=course))
    assert complaint.handler == trainers[2]
    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["acknowledgement"]


def test_livp_8_the_measure_owner_gets_a_link_to_the_measure(livp_complaint, trainers):
    import datetime as dt

    from django.utils import timezone

    from klachtroute.measures.services import measure_propose

    measure = measure_propose(
        complaint=livp_complaint,
        actor=trainers[2],
        description="Vertraging vooraf melden.",
        owner=trainers[1],
        due_date=timezone.localdate() + dt.timedelta(days=10),
    )
    [message] = _to(trainers[1], livp_complaint)
    assert f"{settings.SITE_URL}/maatregelen/{measure.pk}/" in message.body


def test_versions_stored_before_the_new_definition_keys_get_them_from_their_preset(organisation):
    import importlib

    from django.apps import apps

    from klachtroute.procedures.models import ProcedureVersion

    migration = importlib.import_module(
        "klachtroute.procedures.migrations.0003_no_agreement_handler_period"
    )
    version = organisation.active_procedure.versions.get()
    old = {
        k: v
        for k, v in version.definition.items()
        if k not in ("no_agreement_handler_period", "hints")
    }
    ProcedureVersion.objects.filter(pk=version.pk).update(definition=old)
    migration.fill(apps, None)
    version = ProcedureVersion.objects.get(pk=version.pk)
    assert version.definition["no_agreement_handler_period"] == "4 weeks"
    assert "assign_handler" in version.definition["hints"]
    assert version.spec.no_agreement_handler_period == "4 weeks"
