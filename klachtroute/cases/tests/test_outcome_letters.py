"""Outcome letters are complete before they go: the decision, the reasons, what will be
done and by when, and the next step open to the complainant from the procedure definition;
the form says what is missing and the letter shows each part under its own heading."""

import copy
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from klachtroute.cases.models import Solution
from klachtroute.cases.services import complaint_assign_handler, complaint_register
from klachtroute.notifications.models import OutboxMessage
from klachtroute.procedures.models import ProcedureVersion
from klachtroute.testing.factories import complaint_data, letter_parts

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=AMS), tick=False):
        yield


@pytest.fixture
def in_progress(organisation, course, secretariat, trainers, client):
    complaint = complaint_register(
        **complaint_data(
            received_at=dt.datetime(2026, 3, 2, 9, tzinfo=AMS), respondent_type="organisation"
        )
    )
    complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)
    client.force_login(trainers[2])
    return complaint


def propose(client, complaint, **data):
    return client.post(reverse("cases:action", args=[complaint.number, "propose_solution"]), data)


def test_livp_6_a_solution_without_reasons_or_date_is_refused_saying_what_is_missing(
    in_progress, client
):
    response = propose(client, in_progress, text="Een extra les.")
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Deze brief kan nog niet worden verstuurd. Ontbreekt: de motivering, wanneer het gebeurt."
        in page
    )
    assert not Solution.objects.exists()
    assert not OutboxMessage.objects.filter(kind="solution_for_approval").exists()


def test_livp_6_the_solution_letter_shows_each_part_under_its_heading(in_progress, client):
    response = propose(
        client,
        in_progress,
        text="Een extra les met de trainer.",
        reasons="De les viel twee keer uit.",
        remedy_due="2026-03-20",
    )
    assert response.status_code == 302
    body = OutboxMessage.objects.get(
        kind="solution_for_approval", to=in_progress.complainant_email
    ).body
    parts = [
        "Besluit: de oplossing\nEen extra les met de trainer.",
        "Motivering\nDe les viel twee keer uit.",
        "Wat er gebeurt en wanneer\nDe oplossing is uiterlijk vrijdag 20 maart 2026 uitgevoerd.",
        "Vervolgstap\n",
        "U kunt terecht bij: de onafhankelijke derde",
        "E-mail: derde@example.org",
    ]
    positions = [body.index(part) for part in parts]
    assert positions == sorted(positions)  # in this order, each under its heading


def test_a_date_in_the_past_is_refused(in_progress, client):
    response = propose(
        client, in_progress, text="Een extra les.", reasons="Uitval.", remedy_due="2026-02-27"
    )
    assert response.status_code == 400
    assert "Kies een datum vanaf vandaag." in response.content.decode()


def test_a_letter_whose_next_step_the_procedure_does_not_name_cannot_go(in_progress, client):
    version = ProcedureVersion.objects.get()
    definition = copy.deepcopy(version.definition)
    del definition["next_steps"]["solution"]
    ProcedureVersion.objects.filter(pk=version.pk).update(definition=definition)
    in_progress.refresh_from_db()
    response = propose(
        client, in_progress, text="Een extra les.", reasons="Uitval.", remedy_due="2026-03-20"
    )
    assert response.status_code == 400
    assert "de vervolgstap voor de klager" in response.content.decode()
    assert not Solution.objects.exists()


def test_lsr_6f_a_ruling_without_what_will_be_done_is_refused(lsr_organisation, director):
    from klachtroute.cases.action_forms import DirectorRulingForm

    complaint = complaint_register(
        **complaint_data(received_at=dt.datetime(2026, 3, 2, 9, tzinfo=AMS))
    )
    form = DirectorRulingForm(
        {"decision": "founded", "motivation": "De les viel uit."},
        complaint=complaint,
        user=director,
    )
    assert not form.is_valid()
    assert "wat er gebeurt, wanneer het gebeurt" in " ".join(form.non_field_errors())
    unfounded = DirectorRulingForm(
        {"decision": "unfounded", "motivation": "Klopt niet.", "remedy": "Geen verdere actie."},
        complaint=complaint,
        user=director,
    )
    assert unfounded.is_valid(), unfounded.errors  # nothing to carry out: no date needed


def test_livp_11_binding_advice_with_actions_needs_a_date_and_names_the_next_step(
    in_progress, secretariat
):
    from klachtroute.cases.action_forms import BindingAdviceForm
    from klachtroute.cases.services import (
        binding_advice_record,
        no_agreement_declare,
        third_party_appeal,
    )

    no_agreement_declare(complaint=in_progress, actor=secretariat, reason="Geen akkoord.")
    third_party_appeal(complaint=in_progress, actor=secretariat)
    in_progress.refresh_from_db()
    data = {"advice": "Gegrond: de les moet worden ingehaald.", "follow_ups": "Les inhalen"}
    form = BindingAdviceForm(data, complaint=in_progress, user=secretariat)
    assert not form.is_valid()
    assert "Ontbreekt: wanneer het gebeurt." in " ".join(form.non_field_errors())
    assert BindingAdviceForm(
        {"advice": "Ongegrond."}, complaint=in_progress, user=secretariat
    ).is_valid()  # an advice that asks nothing needs no date

    binding_advice_record(
        complaint=in_progress,
        actor=secretariat,
        advice=data["advice"],
        follow_ups=["Les inhalen"],
        remedy_due=dt.date(2026, 3, 27),
        **letter_parts("binding_advice", remedy_due=None),
    )
    body = OutboxMessage.objects.get(kind="binding_advice").body
    parts = [
        "Besluit en motivering\nGegrond: de les moet worden ingehaald.",
        "Wat er gebeurt en wanneer\n",
        "- Les inhalen",
        "Uiterlijk vrijdag 27 maart 2026 uitgevoerd.",
        "Vervolgstap\nHet advies van de onafhankelijke derde is bindend.",
    ]
    positions = [body.index(part) for part in parts]
    assert positions == sorted(positions)


def test_livp_6_the_solution_service_refuses_an_incomplete_letter_whoever_calls_it(
    in_progress, trainers
):
    from django.core.exceptions import ValidationError

    from klachtroute.cases.services import solution_propose

    with pytest.raises(ValidationError) as excinfo:
        solution_propose(complaint=in_progress, actor=trainers[2], text="Een extra les.")
    errors = excinfo.value.message_dict
    assert set(errors) == {"reasons", "remedy_due", "__all__"}
    assert "Ontbreekt: de motivering, wanneer het gebeurt." in errors["__all__"][0]
    assert not Solution.objects.exists()
    assert not OutboxMessage.objects.filter(kind="solution_for_approval").exists()


def test_livp_11_the_binding_advice_service_refuses_points_without_a_date(in_progress, secretariat):
    from django.core.exceptions import ValidationError

    from klachtroute.cases.models import Ruling
    from klachtroute.cases.services import (
        binding_advice_record,
        no_agreement_declare,
        third_party_appeal,
    )

    no_agreement_declare(complaint=in_progress, actor=secretariat, reason="Geen akkoord.")
    third_party_appeal(complaint=in_progress, actor=secretariat)
    with pytest.raises(ValidationError) as excinfo:
        binding_advice_record(
            complaint=in_progress, party="third_party", advice="Gegrond.", follow_ups=["Les"]
        )
    assert "Ontbreekt: wanneer het gebeurt." in excinfo.value.message_dict["__all__"][0]
    assert not Ruling.objects.exists()


def test_livp_6_a_next_step_whose_contact_details_are_not_configured_cannot_go(in_progress, client):
    from klachtroute.organisation.models import Organisation

    Organisation.objects.update(
        third_party_name="", third_party_email="", third_party_phone="", third_party_address=""
    )
    response = propose(
        client, in_progress, text="Een extra les.", reasons="Uitval.", remedy_due="2026-03-20"
    )
    assert response.status_code == 400
    assert "de contactgegevens van de onafhankelijke derde" in response.content.decode()
    assert not Solution.objects.exists()
