"""The workflow's actions on the registration record.

The record offers exactly the actions `actions_for` allows; /zaken/<number>/acties/<action>/
carries one out, and a refused or invalid one changes nothing.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from klachtroute.cases.models import Approval, Complaint, Event, Outcome, Solution
from klachtroute.cases.services import (
    admissible_declare,
    complaint_assign_handler,
    complaint_register,
    director_escalate,
    findings_respond,
    findings_share,
    inadmissible_answer,
    inadmissible_close,
    inadmissible_declare,
    procedure_send,
    respondent_set,
)
from klachtroute.cases.workflow import State, actions_for
from klachtroute.testing.criteria import criteria_judged
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db

# Monday 2 March 2026, 10:00: received; the LIVP deadlines follow from it.
RECEIVED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMS)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(RECEIVED + dt.timedelta(hours=1), tick=False) as traveller:
        yield traveller


def record(number: str) -> str:
    return reverse("cases:detail", args=[number])


def act(number: str, action: str) -> str:
    return reverse("cases:action", args=[number, action])


def offered(html: str) -> set[str]:
    """The actions the record offers: one form per action, posting to its address."""
    return set(re.findall(r'action="/zaken/[^/]+/acties/([a-z_]+)/"', html))


def snapshot(complaint: Complaint) -> tuple:
    complaint.refresh_from_db()
    return (complaint.state, complaint.handler_id, complaint.outcome, complaint.events.count())


@pytest.fixture
def livp_complaint(organisation, course, secretariat, trainers):
    """A LIVP complaint by post, handled by Theo (who does not teach the course)."""
    complaint = complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="post",
            received_at=RECEIVED,
            course=course,
            complainant_name="Petra Willems",
            complainant_email="petra@example.org",
        )
    )
    return complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)


@pytest.fixture
def staff_member(db):
    return UserFactory(
        username="medewerker", first_name="Mia", last_name="Medewerker", is_staff_member=True
    )


@pytest.fixture
def lsr_complaint(lsr_organisation, secretariat, director):
    return complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="email",
            received_at=RECEIVED,
            complainant_name="Karel Klager",
            complainant_email="karel@example.org",
            description="Het rooster werd drie keer gewijzigd zonder bericht vooraf.",
        )
    )


# What the record offers -----------------------------------------------------------------


def test_livp_5_the_handler_is_offered_first_contact_and_the_secretariat_is_not(
    login, livp_complaint, secretariat, trainers
):
    handler_html = login(trainers[2]).get(record(livp_complaint.number)).content.decode()
    assert "Eerste contact vastleggen" in handler_html
    assert "record_first_contact" in offered(handler_html)
    assert "withdraw" not in offered(handler_html)  # the secretariat's

    secretariat_html = login(secretariat).get(record(livp_complaint.number)).content.decode()
    assert "Eerste contact vastleggen" not in secretariat_html
    assert "record_first_contact" not in offered(secretariat_html)
    assert {"withdraw", "correct_received_at", "assign_handler"} <= offered(secretariat_html)


def test_record_offers_exactly_the_allowed_actions(login, livp_complaint, secretariat, trainers):
    for person in (secretariat, trainers[2]):
        html = login(person).get(record(livp_complaint.number)).content.decode()
        assert offered(html) == {t.action for t in actions_for(person, livp_complaint)}


def test_lsr_6f_the_director_is_offered_a_ruling_only_when_the_complaint_is_with_the_director(
    login, lsr_complaint, secretariat, director
):
    admissible_declare(
        complaint=lsr_complaint,
        actor=secretariat,
        category="procedure",
        respondent_type="organisation",
    )
    client = login(director)
    html = client.get(record(lsr_complaint.number)).content.decode()
    assert "share_findings" in offered(html)  # the director handles category 1 (LSR-5c)
    assert "Uitspraak doen" not in html
    findings_share(
        complaint=lsr_complaint,
        actor=director,
        summary="Roosterwijzigingen zijn niet gemeld.",
        proposed_solution="Een gesprek.",
        judgements={
            c: ("not_in_order", "")
            for c in ("delivery_conditions", "individual_agreements", "follow_up", "treatment")
        },
        **letter_parts("findings"),
    )
    findings_respond(complaint=lsr_complaint, actor=secretariat, agree=False, reason="Niet genoeg.")
    procedure_send(complaint=lsr_complaint, actor=secretariat)
    director_escalate(complaint=lsr_complaint, actor=secretariat)
    html = client.get(record(lsr_complaint.number)).content.decode()
    assert "Uitspraak doen" in html
    assert "rule" in offered(html)


def test_an_uninvolved_trainer_gets_404_for_the_record_and_its_actions(
    login, livp_complaint, trainers
):
    before = snapshot(livp_complaint)
    client = login(trainers[0])
    assert client.get(record(livp_complaint.number)).status_code == 404
    response = client.post(
        act(livp_complaint.number, "record_first_contact"),
        {"method": "phone", "contacted_at": "2026-03-02T10:30"},
    )
    assert response.status_code == 404
    assert snapshot(livp_complaint) == before


def test_an_unknown_action_is_404(login, livp_complaint, secretariat):
    response = login(secretariat).post(act(livp_complaint.number, "delete_everything"), {})
    assert response.status_code == 404


def test_an_action_of_the_other_procedure_is_refused_with_404_and_a_message(
    login, livp_complaint, secretariat
):
    before = snapshot(livp_complaint)
    response = login(secretariat).post(
        act(livp_complaint.number, "judge_admissible"), {"category": "trainer"}
    )
    assert response.status_code == 404
    assert "Deze actie bestaat niet in deze procedure." in response.content.decode()
    assert snapshot(livp_complaint) == before


# Refusals change nothing ------------------------------------------------------------------


def test_an_action_by_the_wrong_person_is_refused_with_a_message_and_changes_nothing(
    login, livp_complaint, trainers
):
    before = snapshot(livp_complaint)
    response = login(trainers[2]).post(act(livp_complaint.number, "withdraw"), {"reason": "Weg"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Deze actie is niet uitgevoerd" in html
    assert "U mag deze actie niet uitvoeren." in html
    assert snapshot(livp_complaint) == before


def test_an_action_in_the_wrong_state_is_refused_with_409_and_changes_nothing(
    login, livp_complaint, secretariat
):
    before = snapshot(livp_complaint)
    response = login(secretariat).post(
        act(livp_complaint.number, "approve_solution"), {"party": "complainant", "confirm": "1"}
    )
    assert response.status_code == 409
    assert "Deze actie kan niet in de status ‘In behandeling’." in response.content.decode()
    assert snapshot(livp_complaint) == before
    assert not Approval.objects.exists()


def test_livp_5_missing_fields_are_shown_next_to_the_fields_with_400(
    login, livp_complaint, trainers
):
    before = snapshot(livp_complaint)
    response = login(trainers[2]).post(
        act(livp_complaint.number, "record_first_contact"), {"method": "phone"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    # The form comes back open, with the error linked to the field.
    assert re.search(
        r'<details class="action-panel has-errors" id="actie-record_first_contact" open>', html
    )
    assert 'id="id_record_first_contact-contacted_at_error">Dit veld is verplicht.' in html
    assert 'aria-describedby="id_record_first_contact-contacted_at_error"' in html
    assert 'value="phone" selected' in html  # what was filled in stays
    assert snapshot(livp_complaint) == before


def test_livp_5_a_service_refusal_lands_on_its_field(login, livp_complaint, trainers):
    before = snapshot(livp_complaint)
    response = login(trainers[2]).post(
        act(livp_complaint.number, "record_first_contact"),
        {"method": "phone", "contacted_at": "2026-03-01T09:00"},  # before the receipt
    )
    assert response.status_code == 400
    assert (
        'id="id_record_first_contact-contacted_at_error">Het contact kan niet vóór de ontvangst'
        in response.content.decode()
    )
    assert snapshot(livp_complaint) == before


def test_the_older_addresses_of_assign_and_correct_still_work(login, livp_complaint, secretariat):
    assert reverse("cases:assign_handler", args=[livp_complaint.number]).endswith("/behandelaar/")
    response = login(secretariat).post(
        reverse("cases:correct_received_at", args=[livp_complaint.number]),
        {"received_at": "2026-03-02T09:00", "reason": "Poststempel."},
    )
    assert response.status_code == 302
    livp_complaint.refresh_from_db()
    assert livp_complaint.received_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=AMS)


# LIVP through the pages ---------------------------------------------------------------------


def test_livp_5_6_7_a_short_livp_story_through_the_pages(
    login, livp_complaint, secretariat, trainers, _now
):
    number = livp_complaint.number
    handler = login(trainers[2])

    # LIVP-5: the handler records the personal contact within five working days.
    response = handler.post(
        act(number, "record_first_contact"),
        {"method": "phone", "contacted_at": "2026-03-02T10:30", "note": "Gebeld; wil excuses."},
    )
    assert response.status_code == 302 and response.url == record(number)
    page = handler.get(record(number)).content.decode()
    assert "Gedaan: Eerste contact vastleggen." in page
    assert "Eerste persoonlijk contact" in page and "Gebeld; wil excuses." in page
    assert "binnen de termijn" in page
    assert "record_first_contact" not in offered(page)  # recorded once

    # The respondent must be known before a solution goes out for approval.
    response = handler.post(
        act(number, "set_respondent"), {"respondent_type": "person", "respondent": trainers[0].pk}
    )
    assert response.status_code == 302

    # LIVP-6: the solution goes to both parties.
    _now.shift(dt.timedelta(days=1))
    handler = login(trainers[2])  # a day later: a new session
    response = handler.post(
        act(number, "propose_solution"),
        {"text": "Excuses en een extra les.", "reasons": "Te laat.", "remedy_due": "2030-01-31"},
    )
    assert response.status_code == 302
    livp_complaint.refresh_from_db()
    assert livp_complaint.state == State.AWAITING_APPROVAL

    # LIVP-7: the secretariat records both parties' approval given by phone.
    secretariat_client = login(secretariat)
    page = secretariat_client.get(record(number)).content.decode()
    assert {"approve_solution", "reject_solution"} <= offered(page)
    _now.shift(dt.timedelta(hours=2))
    assert (
        secretariat_client.post(
            act(number, "approve_solution"), {"party": "complainant", "confirm": "1"}
        ).status_code
        == 302
    )
    livp_complaint.refresh_from_db()
    assert livp_complaint.state == State.AWAITING_APPROVAL  # one approval is not enough
    _now.shift(dt.timedelta(hours=1))
    response = secretariat_client.post(
        act(number, "approve_solution"), {"party": "respondent", "confirm": "1"}
    )
    assert response.status_code == 302

    livp_complaint.refresh_from_db()
    assert livp_complaint.state == State.SETTLED
    assert livp_complaint.outcome == Outcome.SOLUTION_APPROVED
    assert Solution.objects.get(complaint=livp_complaint).status == Solution.Status.APPROVED
    page = secretariat_client.get(record(number)).content.decode()
    # The dossier keeps both approvals with their times.
    solution_section = page.split('id="solutions-title"')[1].split("</section>")[0]
    assert "Excuses en een extra les." in solution_section
    assert solution_section.count(">Akkoord<") == 2
    assert "Klager" in solution_section and "Beklaagde" in solution_section
    assert "3 mrt. 2026, 13:00" in solution_section and "3 mrt. 2026, 14:00" in solution_section
    assert "Oplossing door beide partijen goedgekeurd" in page


def test_livp_6_a_rejection_recorded_by_the_secretariat_goes_back_to_the_handler(
    login, livp_complaint, secretariat, trainers
):
    respondent_set(
        complaint=livp_complaint,
        actor=secretariat,
        respondent_type="person",
        respondent=trainers[0],
    )
    handler = login(trainers[2])
    handler.post(
        act(livp_complaint.number, "propose_solution"),
        {"text": "Een extra les.", "reasons": "Gemist.", "remedy_due": "2030-01-31"},
    )
    client = login(secretariat)
    # A rejection needs a reason.
    response = client.post(act(livp_complaint.number, "reject_solution"), {"party": "respondent"})
    assert response.status_code == 400
    assert 'id="id_reject_solution-reason_error"' in response.content.decode()
    response = client.post(
        act(livp_complaint.number, "reject_solution"),
        {"party": "respondent", "reason": "Geen tijd voor een extra les."},
    )
    assert response.status_code == 302
    livp_complaint.refresh_from_db()
    assert livp_complaint.state == State.IN_PROGRESS
    page = handler.get(record(livp_complaint.number)).content.decode()
    assert "Geen tijd voor een extra les." in page
    assert "propose_solution" in offered(page)  # the handler revises


def test_livp_8_a_measure_is_shown_with_owner_and_due_date(login, livp_complaint, trainers):
    client = login(trainers[2])
    response = client.post(
        act(livp_complaint.number, "propose_measure"),
        {
            "description": "Roosterwijzigingen twee weken vooraf melden.",
            "owner": trainers[2].pk,
            "due_date": "2026-04-01",
        },
    )
    assert response.status_code == 302
    page = client.get(record(livp_complaint.number)).content.decode()
    section = page.split('id="measures-title"')[1].split("</section>")[0]
    assert "Roosterwijzigingen twee weken vooraf melden." in section
    assert "Theo Trainer" in section and "1 april 2026" in section and "Voorgesteld" in section


def test_livp_5_an_overdue_complaint_without_extension_stands_out_on_the_record(
    login, livp_complaint, trainers, _now
):
    _now.move_to(dt.datetime(2026, 3, 11, 9, 0, tzinfo=AMS))  # first contact was due 9 March
    page = login(trainers[2]).get(record(livp_complaint.number)).content.decode()
    assert 'class="notice notice-overdue"' in page
    assert "Eerste persoonlijk contact: uiterlijk 9 maart 2026 (2 werkdagen te laat)." in page
    assert "Er is geen verlenging vastgelegd." in page
    assert "termijn verstreken, nog geen contact" in page


def test_lsr_5d_an_extension_moves_the_deadline_and_shows_previous_and_new_date(
    login, livp_complaint, trainers
):
    client = login(trainers[2])
    # 30 March is the settlement deadline; the new date must be a later working day.
    response = client.post(
        act(livp_complaint.number, "extend"), {"reason": "Getuige op vakantie.", "new_due": ""}
    )
    assert response.status_code == 400
    response = client.post(
        act(livp_complaint.number, "extend"),
        {"reason": "Getuige op vakantie.", "new_due": "2026-04-14"},
    )
    assert response.status_code == 302
    livp_complaint.refresh_from_db()
    assert livp_complaint.settle_due == dt.date(2026, 4, 14)
    page = client.get(record(livp_complaint.number)).content.decode()
    section = page.split('id="extensions-title"')[1].split("</section>")[0]
    assert "Getuige op vakantie." in section
    assert "<del>30 maart 2026</del> → <ins>14 april 2026</ins>" in section


def test_reopening_leads_to_the_new_complaint(login, livp_complaint, secretariat):
    client = login(secretariat)
    client.post(act(livp_complaint.number, "withdraw"), {"reason": "Opgelost.", "confirm": "1"})
    response = client.post(
        act(livp_complaint.number, "reopen"), {"new_facts": "Het gebeurde opnieuw, op 1 maart."}
    )
    new = Complaint.objects.get(reopens=livp_complaint)
    assert response.status_code == 302 and response.url == record(new.number)
    page = client.get(response.url).content.decode()
    assert f"de nieuwe feiten zijn geregistreerd als klacht {new.number}" in page


def test_record_names_the_people_involved_and_the_complaint_that_reopens_it(
    login, livp_complaint, secretariat, trainers
):
    client = login(secretariat)
    for person in (trainers[1], trainers[0]):
        response = client.post(
            act(livp_complaint.number, "record_involved"), {"person": person.pk, "note": ""}
        )
        assert response.status_code == 302
    client.post(act(livp_complaint.number, "withdraw"), {"reason": "Opgelost.", "confirm": "1"})
    client.post(act(livp_complaint.number, "reopen"), {"new_facts": "Het gebeurde opnieuw."})
    new = Complaint.objects.get(reopens=livp_complaint)
    page = client.get(record(livp_complaint.number)).content.decode()
    # By name, in the order of their names; the new complaint by its number, linked.
    assert "<dd>Tessa Trainer, Tom Trainer</dd>" in page.split("Betrokken bij de gedraging")[1]
    assert (
        f'<dd><a href="{record(new.number)}">{new.number}</a></dd>' in page.split("Heropend als")[1]
    )


# LSR through the pages ----------------------------------------------------------------------


def test_lsr_5a_judging_admissibility_shows_earlier_complaints_of_the_complainant(
    login, lsr_complaint, secretariat, director
):
    inadmissible_declare(
        complaint=lsr_complaint,
        actor=secretariat,
        ground="other",
        reason="Geen klacht maar een vraag.",
        respondent_type="organisation",
    )
    inadmissible_answer(complaint=lsr_complaint, actor=director, answer="Uw vraag is beantwoord.")
    inadmissible_close(complaint=lsr_complaint, actor=secretariat)
    again = complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="email",
            complainant_name="Karel Klager",
            complainant_email="KAREL@example.org",
            description="Het rooster werd drie keer gewijzigd zonder bericht vooraf!",
        )
    )
    unrelated = complaint_register(
        **complaint_data(actor=secretariat, complainant_email="x@example.org")
    )

    page = login(secretariat).get(record(again.number)).content.decode()
    assert {"judge_admissible", "judge_inadmissible"} <= offered(page)
    block = page.split('id="earlier-title"')[1].split("</div>")[0]
    assert f'<a href="{record(lsr_complaint.number)}">{lsr_complaint.number}</a>' in block
    assert "Afgehandeld · Niet ontvankelijk" in block
    assert re.search(r">(9\d|100)%<", block)  # nearly the same text
    assert unrelated.number not in block
    # A complainant without earlier complaints: the block says so.
    page = login(secretariat).get(record(unrelated.number)).content.decode()
    assert "Geen eerdere klachten van deze klager gevonden" in page


def test_lsr_5b_5c_6b_6h_a_short_lsr_story_through_the_pages(
    login, lsr_complaint, secretariat, trainers
):
    number = lsr_complaint.number
    client = login(secretariat)
    # LSR-5b: a category is required.
    response = client.post(
        act(number, "judge_admissible"), {"respondent_type": "person", "respondent": trainers[0].pk}
    )
    assert response.status_code == 400
    assert (
        'id="id_judge_admissible-category_error">Dit veld is verplicht.'
        in response.content.decode()
    )

    # LSR-5c: category 3 goes to the trainer concerned.
    response = client.post(
        act(number, "judge_admissible"),
        {
            "category": "trainer",
            "respondent_type": "person",
            "respondent": trainers[0].pk,
            "reason": "Gaat over het handelen van de trainer.",
        },
    )
    assert response.status_code == 302
    lsr_complaint.refresh_from_db()
    assert lsr_complaint.state == State.IN_PROGRESS and lsr_complaint.handler == trainers[0]

    # LSR-6b: the handler judges every criterion, including the two for trainers.
    handler = login(trainers[0])
    page = handler.get(record(number)).content.decode()
    assert "share_findings" in offered(page)
    assert "Voldoen aan de doelstellingen van het opleidingstraject" in page
    judgements = {
        f"criterion_{code}": "in_order"
        for code in (
            "delivery_conditions",
            "individual_agreements",
            "follow_up",
            "treatment",
            "programme_objectives",
        )
    }
    response = handler.post(act(number, "share_findings"), {"summary": "Onderzocht.", **judgements})
    assert response.status_code == 400  # working_methods not judged
    assert 'id="id_share_findings-criterion_working_methods_error"' in response.content.decode()
    judgements["criterion_working_methods"] = "not_in_order"
    judgements["criterion_working_methods_note"] = "Te weinig oefenen."
    response = handler.post(
        act(number, "share_findings"),
        {
            "summary": "Onderzocht.",
            "proposed_solution": "Extra oefenles.",
            "remedy_due": "2030-01-31",
            **judgements,
        },
    )
    assert response.status_code == 302

    # LSR-6h: the complainant agrees (by phone, recorded by the secretariat): closed.
    page = client.get(record(number)).content.decode()
    assert "accept_findings" in offered(page)
    assert "Bevestigen" in page.split('id="actie-accept_findings"')[1].split("</details>")[0]
    response = client.post(act(number, "accept_findings"), {"confirm": "1"})
    assert response.status_code == 302
    lsr_complaint.refresh_from_db()
    assert lsr_complaint.state == State.SETTLED
    assert lsr_complaint.outcome == Outcome.FINDINGS_ACCEPTED
    page = client.get(record(number)).content.decode()
    section = page.split('id="findings-title"')[1].split("</section>")[0]
    assert "Aansluiting van de werkvormen bij de vastgestelde competenties" in section
    assert "Niet in orde" in section and "Te weinig oefenen." in section
    assert "Klager: akkoord" in section


def test_lsr_6e_6f_defence_and_ruling_through_the_pages(
    login, lsr_complaint, secretariat, director, staff_member, _now
):
    admissible_declare(
        complaint=lsr_complaint,
        actor=secretariat,
        category="staff",
        respondent_type="person",
        respondent=staff_member,
    )
    findings_share(
        complaint=lsr_complaint,
        actor=staff_member,
        summary="Niet gemeld.",
        proposed_solution="Een gesprek.",
        judgements={
            c: ("in_order", "")
            for c in ("delivery_conditions", "individual_agreements", "follow_up", "treatment")
        },
        **letter_parts("findings"),
    )
    findings_respond(complaint=lsr_complaint, actor=secretariat, agree=False, reason="Oneens.")
    procedure_send(complaint=lsr_complaint, actor=secretariat)
    director_escalate(complaint=lsr_complaint, actor=secretariat)

    boss = login(director)
    response = boss.post(
        act(lsr_complaint.number, "request_defence"),
        {"question": "Waarom niet gemeld?", "due": "2026-03-13", "due_reason": "Vakantie."},
    )
    assert response.status_code == 302
    page = boss.get(record(lsr_complaint.number)).content.decode()
    assert "Verweer" in page and "vrijdag 13 maart 2026" in page  # in the deadline table
    assert "rule" not in offered(page)  # waiting for the defence

    office = login(secretariat)
    response = office.post(
        act(lsr_complaint.number, "submit_defence"), {"defence": "Het systeem lag eruit."}
    )
    assert response.status_code == 302
    response = boss.post(
        act(lsr_complaint.number, "rule"),
        {
            **criteria_judged(lsr_complaint, not_in_order=1),
            "decision": "partly_founded",
            "motivation": "Te laat gemeld, wel verklaarbaar.",
            "remedy": "Meldingen worden voortaan dezelfde dag doorgegeven.",
            "remedy_due": "2030-01-31",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    lsr_complaint.refresh_from_db()
    assert lsr_complaint.state == State.SETTLED
    assert lsr_complaint.outcome == Outcome.PARTLY_FOUNDED
    page = boss.get(record(lsr_complaint.number)).content.decode()
    assert "Het systeem lag eruit." in page.split('id="defence-title"')[1].split("</section>")[0]
    rulings = page.split('id="rulings-title"')[1].split("</section>")[0]
    assert "Directeur: Deels gegrond" in rulings
    assert "Te laat gemeld, wel verklaarbaar." in rulings


def test_events_are_recorded_once_per_successful_action(login, livp_complaint, trainers):
    count = Event.objects.filter(complaint=livp_complaint).count()
    login(trainers[2]).post(
        act(livp_complaint.number, "record_first_contact"),
        {"method": "in_person", "contacted_at": "2026-03-02T10:45"},
    )
    assert Event.objects.filter(complaint=livp_complaint).count() == count + 1
    assert Event.objects.filter(complaint=livp_complaint).last().kind == "first_contact"
