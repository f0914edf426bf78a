"""The complainant's status page: state in plain words, next deadline, handler, own
messages, and the steps the complainant may take now (LIVP-11, LSR-5d, LSR-6d)."""

import pytest
from django.utils import formats

from klachtroute.cases.models import Complaint, Outcome
from klachtroute.cases.services import (
    complaint_register,
    findings_respond,
    inadmissible_answer,
    inadmissible_declare,
    no_agreement_declare,
    procedure_send,
)
from klachtroute.cases.workflow import State
from klachtroute.links.tokens import link_create
from klachtroute.notifications.models import OutboxMessage
from klachtroute.notifications.services import message_queue
from klachtroute.testing.factories import complaint_data

from .conftest import link_in_message, path_of


def _status_url(complaint) -> str:
    return path_of(link_create(complaint=complaint, party="complainant", purpose="status"))


def _long_date(value) -> str:
    return formats.date_format(value, "l j F Y")


def test_status_page_shows_state_next_deadline_handler_and_own_messages(client, livp):
    complaint = livp.complaint
    message_queue(
        to=livp.handler.email,
        subject="Intern: klacht toegewezen aan u",
        body="Alleen voor de behandelaar.",
        kind="assigned_to_you",
        complaint=complaint,
    )
    html = client.get(_status_url(complaint)).content.decode()

    assert complaint.number in html
    assert "In behandeling" in html
    assert "Uw klacht wordt behandeld." in html
    assert livp.handler.display_name in html
    assert "Persoonlijk contact met de behandelaar" in html
    assert _long_date(complaint.first_contact_due) in html
    assert "Afhandeling van uw klacht" in html
    assert _long_date(complaint.settle_due) in html
    acknowledgement = OutboxMessage.objects.get(kind="acknowledgement", to="jan@example.org")
    assert acknowledgement.subject in html
    assert "<details>" in html
    assert "Intern: klacht toegewezen aan u" not in html
    assert "Alleen voor de behandelaar." not in html


def test_status_page_shows_letters_to_a_complainant_without_email(client, organisation, course):
    complaint = complaint_register(
        **complaint_data(
            course=course,
            complainant_email="",
            complainant_address="Dorpsstraat 1\n1234 AB Ergens",
        )
    )
    no_agreement_declare(complaint=complaint, actor=complaint.handler)
    letter = OutboxMessage.objects.get(complaint=complaint, kind="no_agreement_notice")
    assert letter.status == "to_post"

    html = client.get(_status_url(complaint)).content.decode()
    assert letter.subject in html


def test_status_page_offers_only_the_actions_the_workflow_allows(client, livp):
    html = client.get(_status_url(livp.complaint)).content.decode()
    assert "Uw klacht intrekken" in html
    assert "Voorleggen aan de onafhankelijke derde" not in html
    assert "Voorleggen aan de directeur" not in html


def test_status_page_refuses_an_action_that_is_not_open_and_changes_nothing(client, livp):
    url = _status_url(livp.complaint)
    page = client.post(url, {"action": "appeal_to_third_party"})

    assert "Deze actie is nu niet mogelijk." in page.content.decode()
    assert Complaint.objects.get(pk=livp.complaint.pk).state == State.IN_PROGRESS


def test_withdrawing_asks_for_confirmation(client, livp):
    url = _status_url(livp.complaint)
    page = client.post(url, {"action": "withdraw", "withdraw-reason": "Opgelost."})

    assert "Vink aan dat u uw klacht wilt intrekken." in page.content.decode()
    assert Complaint.objects.get(pk=livp.complaint.pk).state == State.IN_PROGRESS


def test_complainant_withdraws_through_the_status_link(client, livp):
    url = _status_url(livp.complaint)
    done = client.post(
        url,
        {"action": "withdraw", "withdraw-confirm": "on", "withdraw-reason": "Zelf opgelost."},
    )

    assert done.status_code == 200
    assert "Uw klacht is ingetrokken." in done.content.decode()
    complaint = Complaint.objects.get(pk=livp.complaint.pk)
    assert (complaint.state, complaint.outcome) == (State.WITHDRAWN, Outcome.WITHDRAWN)
    event = complaint.events.get(kind="withdrawn")
    assert event.after["reason"] == "Zelf opgelost."
    assert event.actor is None
    # Withdrawing revokes every link.
    assert client.get(url).status_code == 404


def test_livp_11_complainant_appeals_to_the_third_party_from_the_no_agreement_letter(client, livp):
    no_agreement_declare(complaint=livp.complaint, actor=livp.handler, reason="Geen akkoord.")
    url = link_in_message(livp.complaint, to="jan@example.org", kind="no_agreement_notice")

    page = client.get(url).content.decode()
    assert "Geen overeenstemming" in page
    assert "Mr. A. Derde" in page
    assert "derde@example.org" in page

    response = client.post(
        url, {"action": "appeal_to_third_party", "appeal_to_third_party-note": "Graag advies."}
    )
    assert response.status_code == 303
    assert response["Location"] == url
    after = client.get(url).content.decode()
    assert "Uw klacht is voorgelegd aan de onafhankelijke derde." in after
    assert "Bij onafhankelijke derde" in after
    assert "Voorleggen aan de onafhankelijke derde</button>" not in after
    assert Complaint.objects.get(pk=livp.complaint.pk).state == State.WITH_THIRD_PARTY
    assert OutboxMessage.objects.filter(kind="third_party_request", to="derde@example.org").exists()


def test_lsr_6d_complainant_turns_to_the_director_after_receiving_the_procedure(
    client, findings_shared
):
    lsr = findings_shared
    findings_respond(complaint=lsr.complaint, party="complainant", agree=False, reason="Nee.")
    early = client.get(_status_url(lsr.complaint)).content.decode()
    assert "Voorleggen aan de directeur" not in early

    procedure_send(complaint=lsr.complaint, actor=lsr.secretariat)
    url = link_in_message(lsr.complaint, to="jan@example.org", kind="director_procedure")
    assert "Voorleggen aan de directeur" in client.get(url).content.decode()

    response = client.post(
        url,
        {"action": "escalate_to_director", "escalate_to_director-note": "Ik wil een uitspraak."},
    )
    assert response.status_code == 303
    complaint = Complaint.objects.get(pk=lsr.complaint.pk)
    assert complaint.state == State.WITH_DIRECTOR
    assert complaint.events.get(kind="escalated_to_director").after["note"] == (
        "Ik wil een uitspraak."
    )
    assert OutboxMessage.objects.filter(
        kind="escalated_to_director", to=lsr.director.email
    ).exists()


def test_lsr_5d_inadmissible_complaint_goes_to_the_director_after_the_answer(
    client, lsr_organisation, secretariat, director, trainers
):
    complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    inadmissible_declare(
        complaint=complaint,
        actor=secretariat,
        ground="handled_before",
        reason="Dezelfde klacht is in maart behandeld.",
        respondent_type="person",
        respondent=trainers[0],
    )
    before_answer = client.get(_status_url(complaint)).content.decode()
    assert "Niet ontvankelijk" in before_answer
    assert "Voorleggen aan de directeur" not in before_answer

    inadmissible_answer(complaint=complaint, actor=trainers[0], answer="Wij behandelen dit niet.")
    url = link_in_message(complaint, to="jan@example.org", kind="inadmissible_answer")
    client.post(url, {"action": "escalate_to_director"})

    assert Complaint.objects.get(pk=complaint.pk).state == State.WITH_DIRECTOR


@pytest.mark.parametrize("state", State.values)
def test_every_state_has_a_plain_explanation(state):
    from klachtroute.portal.views import STATE_TEXTS

    assert str(STATE_TEXTS[state][0])
