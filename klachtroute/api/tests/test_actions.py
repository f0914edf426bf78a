"""Workflow actions through the API: POST /api/v1/complaints/{number}/actions/{action}."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from klachtroute.cases.actions import ACTIONS
from klachtroute.cases.models import Complaint, Event, FollowUp, Outcome
from klachtroute.cases.services import (
    complaint_assign_handler,
    complaint_register,
    no_agreement_declare,
    respondent_set,
    third_party_appeal,
)
from klachtroute.cases.workflow import State
from klachtroute.testing.factories import UserFactory, complaint_data

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db
RECEIVED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMS)
LSR_CRITERIA = ("delivery_conditions", "individual_agreements", "follow_up", "treatment")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(RECEIVED + dt.timedelta(hours=1), tick=False) as traveller:
        yield traveller


def path(number: str, action: str) -> str:
    return f"/complaints/{number}/actions/{action}"


def unchanged(complaint: Complaint):
    """A snapshot to compare: state, handler, outcome and the number of events."""
    complaint.refresh_from_db()
    return (complaint.state, complaint.handler_id, complaint.outcome, complaint.events.count())


@pytest.fixture
def livp_complaint(organisation, course, secretariat, trainers):
    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="post", received_at=RECEIVED, course=course)
    )
    return complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)


@pytest.fixture
def lsr_complaint(lsr_organisation, secretariat, director):
    return complaint_register(
        **complaint_data(actor=secretariat, channel="email", received_at=RECEIVED)
    )


def test_livp_5_6_7_the_livp_steps_through_the_api(
    livp_complaint, secretariat, trainers, api_as, _now
):
    number = livp_complaint.number
    handler = api_as(trainers[2])
    assert "record_first_contact" in handler.get(f"/complaints/{number}").json()["actions"]

    response = handler.post(
        path(number, "record_first_contact"),
        {"method": "phone", "contacted_at": "2026-03-02T10:30:00+01:00", "note": "Gebeld."},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["number"] == number
    assert body["first_contact"] == {
        "due": "2026-03-09",
        "at": "2026-03-02T10:30:00+01:00",
        "method": "phone",
        "note": "Gebeld.",
        "on_time": True,
    }
    assert "record_first_contact" not in body["actions"]

    response = handler.post(
        path(number, "set_respondent"), {"respondent_type": "person", "respondent": trainers[0].pk}
    )
    assert response.status_code == 200
    response = handler.post(
        path(number, "propose_solution"),
        {"text": "Een extra les.", "reasons": "Gemist.", "remedy_due": "2030-01-31"},
    )
    assert response.status_code == 200
    assert response.json()["state"] == State.AWAITING_APPROVAL

    office = api_as(secretariat)
    _now.shift(dt.timedelta(hours=1))
    assert (
        office.post(
            path(number, "approve_solution"), {"party": "complainant", "confirm": True}
        ).status_code
        == 200
    )
    _now.shift(dt.timedelta(hours=1))
    response = office.post(
        path(number, "approve_solution"), {"party": "respondent", "confirm": True}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == State.SETTLED
    assert body["outcome"] == Outcome.SOLUTION_APPROVED
    [solution] = body["solutions"]
    assert solution["status"] == "approved"
    assert [(a["party"], a["decision"], a["decided_at"]) for a in solution["approvals"]] == [
        ("complainant", "approved", "2026-03-02T12:00:00+01:00"),
        ("respondent", "approved", "2026-03-02T13:00:00+01:00"),
    ]
    assert solution["approvals"][0]["recorded_by"] == "Sanne Secretaris"


def test_livp_11_binding_advice_with_follow_ups_as_a_list_tracked_until_done(
    livp_complaint, secretariat, trainers, api_as
):
    no_agreement_declare(complaint=livp_complaint, actor=trainers[2], reason="Geen akkoord.")
    third_party_appeal(complaint=livp_complaint, actor=secretariat)
    office = api_as(secretariat)
    response = office.post(
        path(livp_complaint.number, "record_binding_advice"),
        {
            "advice": "De klager krijgt een extra les.",
            "follow_ups": ["Extra les", "Excuses"],
            "remedy_due": "2030-01-31",
            "confirm": True,
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == State.ADVICE_FOLLOW_UP
    [ruling] = body["rulings"]
    assert ruling["body"] == "third_party" and ruling["decision"] == "advice"
    assert [f["description"] for f in ruling["follow_ups"]] == ["Extra les", "Excuses"]
    for item in ruling["follow_ups"]:
        response = office.post(
            path(livp_complaint.number, "plan_follow_up"),
            {"follow_up": item["id"], "owner": trainers[1].pk, "due_date": "2026-04-30"},
        )
        assert response.status_code == 200, response.json()
        response = office.post(
            path(livp_complaint.number, "complete_follow_up"),
            {"follow_up": item["id"], "confirm": True},
        )
        assert response.status_code == 200, response.json()
    assert response.json()["state"] == State.SETTLED
    assert not FollowUp.objects.filter(done_at__isnull=True).exists()


def test_lsr_5b_5c_6b_6h_the_lsr_steps_through_the_api(
    lsr_complaint, secretariat, trainers, api_as
):
    number = lsr_complaint.number
    office = api_as(secretariat)
    response = office.post(
        path(number, "judge_admissible"),
        {"category": "trainer", "respondent_type": "person", "respondent": trainers[0].pk},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["category"] == "trainer"
    assert body["handler"]["id"] == trainers[0].pk  # LSR-5c: the trainer concerned
    assert body["admissibility"]["admissible"] is True

    judgements = {f"criterion_{c}": "in_order" for c in LSR_CRITERIA}
    judgements |= {
        "criterion_programme_objectives": "not_applicable",
        "criterion_working_methods": "not_in_order",
        "criterion_working_methods_note": "Te weinig oefenen.",
    }
    response = api_as(trainers[0]).post(
        path(number, "share_findings"),
        {
            "summary": "Onderzocht.",
            "proposed_solution": "Extra oefenles.",
            "remedy_due": "2030-01-31",
            **judgements,
        },
    )
    assert response.status_code == 200, response.json()
    [findings] = response.json()["findings"]
    assert len(findings["judgements"]) == 6
    assert {
        "criterion": "working_methods",
        "label": "Aansluiting van de werkvormen bij de vastgestelde competenties",
        "judgement": "not_in_order",
        "note": "Te weinig oefenen.",
    } in findings["judgements"]

    response = office.post(path(number, "accept_findings"), {"confirm": True})  # no fields
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == State.SETTLED
    assert response.json()["findings"][0]["response"] == "agreed"


def test_lsr_6e_6f_defence_and_ruling_through_the_api(lsr_complaint, secretariat, director, api_as):
    staff = UserFactory(username="mia", first_name="Mia", is_staff_member=True)
    office, boss = api_as(secretariat), api_as(director)
    number = lsr_complaint.number
    office.post(
        path(number, "judge_admissible"),
        {"category": "staff", "respondent_type": "person", "respondent": staff.pk},
    )
    api_as(staff).post(
        path(number, "share_findings"),
        {
            "summary": "Gezien.",
            "proposed_solution": "Een gesprek.",
            "remedy_due": "2030-01-31",
            **{f"criterion_{c}": "in_order" for c in LSR_CRITERIA},
        },
    )
    office.post(path(number, "reject_findings"), {"reason": "Niet eens."})
    assert office.post(path(number, "escalate_to_director"), {}).status_code == 409  # LSR-6d first
    office.post(path(number, "send_procedure"), {})
    assert office.post(path(number, "escalate_to_director"), {}).status_code == 200

    response = boss.post(
        path(number, "request_defence"), {"due": "2026-03-16", "due_reason": "Vakantie."}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["defence_due"] == "2026-03-16"
    assert boss.post(path(number, "rule"), {}).status_code == 409  # waiting for the defence
    assert office.post(path(number, "submit_defence"), {"defence": "Druk."}).status_code == 200
    response = boss.post(
        path(number, "rule"),
        {
            **{f"criterion_{c}": "in_order" for c in LSR_CRITERIA},
            "decision": "unfounded",
            "motivation": "Goed uitgelegd.",
            "remedy": "Geen verdere actie.",
            "confirm": True,
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["outcome"] == Outcome.UNFOUNDED
    assert body["defence_requests"][0]["defence"] == "Druk."
    assert body["rulings"][0]["decision"] == "unfounded"


# Refusals ----------------------------------------------------------------------------------


def test_an_action_in_the_wrong_state_is_409_and_changes_nothing(
    livp_complaint, secretariat, api_as
):
    before = unchanged(livp_complaint)
    response = api_as(secretariat).post(
        path(livp_complaint.number, "approve_solution"), {"party": "complainant"}
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "Deze actie kan niet in de status ‘In behandeling’."}
    assert unchanged(livp_complaint) == before


def test_an_action_by_the_wrong_person_is_403_and_changes_nothing(livp_complaint, trainers, api_as):
    before = unchanged(livp_complaint)
    response = api_as(trainers[2]).post(path(livp_complaint.number, "withdraw"), {})
    assert response.status_code == 403
    assert response.json() == {"detail": "U mag deze actie niet uitvoeren."}
    assert unchanged(livp_complaint) == before


def test_an_unknown_action_and_an_invisible_complaint_are_404(
    livp_complaint, secretariat, trainers, api_as
):
    office = api_as(secretariat)
    assert office.post(path(livp_complaint.number, "launch"), {}).status_code == 404
    # An action of the other procedure does not exist here either.
    response = office.post(path(livp_complaint.number, "judge_admissible"), {})
    assert response.status_code == 404
    # An uninvolved trainer gets the same answer as for a number that does not exist.
    before = unchanged(livp_complaint)
    invisible = api_as(trainers[0]).post(
        path(livp_complaint.number, "record_first_contact"), {"method": "phone"}
    )
    missing = api_as(trainers[0]).post(path("K-2026-9999", "record_first_contact"), {})
    assert invisible.status_code == missing.status_code == 404
    assert invisible.json() == missing.json()
    assert unchanged(livp_complaint) == before


def test_livp_5_missing_fields_are_422_per_field_and_change_nothing(
    livp_complaint, trainers, api_as
):
    before = unchanged(livp_complaint)
    response = api_as(trainers[2]).post(path(livp_complaint.number, "record_first_contact"), {})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    by_field = {e["field"]: e for e in body["errors"]}
    assert set(by_field) == {"method", "contacted_at"}
    assert by_field["method"] == {
        "field": "method",
        "loc": ["body", "method"],
        "message": "Dit veld is verplicht.",
        "type": "required",
    }
    assert unchanged(livp_complaint) == before


def test_a_service_refusal_is_422_on_its_field(livp_complaint, trainers, api_as):
    response = api_as(trainers[2]).post(
        path(livp_complaint.number, "record_first_contact"),
        {"method": "phone", "contacted_at": "2026-03-02T12:00:00+01:00"},  # in the future
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "contacted_at"
    assert error["message"] == "Het contact kan niet in de toekomst liggen."


@pytest.mark.parametrize(
    "raw",
    ["{not json", "[1, 2]", '"tekst"', b"\xff\xfe"],
    ids=["malformed", "array", "string", "not utf-8"],
)
def test_a_body_that_is_not_a_json_object_is_422(livp_complaint, trainers, api_as, raw):
    before = unchanged(livp_complaint)
    response = api_as(trainers[2]).post(
        path(livp_complaint.number, "record_first_contact"), raw=raw
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] is None and error["loc"] == ["body"]
    assert unchanged(livp_complaint) == before


def test_malformed_json_is_named_as_such(livp_complaint, trainers, api_as):
    response = api_as(trainers[2]).post(
        path(livp_complaint.number, "record_first_contact"), raw="{not json"
    )
    assert response.json()["errors"][0]["message"] == "De body is geen geldige JSON."


def test_unknown_keys_and_nested_values_are_refused(livp_complaint, trainers, api_as):
    client = api_as(trainers[2])
    response = client.post(
        path(livp_complaint.number, "record_first_contact"),
        {"method": "phone", "contacted_at": "2026-03-02T10:30:00+01:00", "mthod": "x"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "mthod"
    response = client.post(
        path(livp_complaint.number, "record_first_contact"),
        {"method": {"kind": "phone"}, "contacted_at": "2026-03-02T10:30:00+01:00"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "method"
    assert livp_complaint.events.filter(kind="first_contact").count() == 0


def test_actions_in_get_are_exactly_what_post_accepts(
    livp_complaint, secretariat, trainers, api_as
):
    respondent_set(
        complaint=livp_complaint,
        actor=secretariat,
        respondent_type="person",
        respondent=trainers[0],
    )
    for user in (secretariat, trainers[2]):
        client = api_as(user)
        listed = set(client.get(f"/complaints/{livp_complaint.number}").json()["actions"])
        assert listed
        for action in ACTIONS:
            # Each attempt is undone, so that every action is tried on the same complaint.
            with transaction.atomic():
                response = client.post(path(livp_complaint.number, action), {})
                transaction.set_rollback(True)
            if action in listed:
                assert response.status_code in (200, 201, 422), (user, action, response.json())
            else:
                assert response.status_code in (403, 404, 409), (user, action, response.json())


def test_get_includes_measures_and_extensions(livp_complaint, trainers, api_as):
    client = api_as(trainers[2])
    client.post(
        path(livp_complaint.number, "propose_measure"),
        {
            "description": "Rooster eerder melden.",
            "owner": trainers[2].pk,
            "due_date": "2026-04-01",
        },
    )
    client.post(
        path(livp_complaint.number, "extend"),
        {"reason": "Getuige op vakantie.", "new_due": "2026-04-14"},
    )
    body = client.get(f"/complaints/{livp_complaint.number}").json()
    assert body["measures"] == [
        {
            "id": body["measures"][0]["id"],
            "description": "Rooster eerder melden.",
            "owner": {"id": trainers[2].pk, "name": "Theo Trainer"},
            "due_date": "2026-04-01",
            "status": "proposed",
        }
    ]
    [extension] = body["extensions"]
    assert (extension["previous_due"], extension["new_due"]) == ("2026-03-30", "2026-04-14")
    assert body["deadlines"]["settle"] == "2026-04-14"


def test_reopen_answers_201_with_the_new_complaint(livp_complaint, secretariat, api_as):
    office = api_as(secretariat)
    office.post(path(livp_complaint.number, "withdraw"), {"reason": "Opgelost.", "confirm": True})
    response = office.post(
        path(livp_complaint.number, "reopen"), {"new_facts": "Het gebeurde opnieuw."}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reopens"] == livp_complaint.number
    assert response["Location"] == f"/api/v1/complaints/{body['number']}"


def test_events_only_for_successful_actions(livp_complaint, trainers, api_as):
    client = api_as(trainers[2])
    count = Event.objects.count()
    client.post(path(livp_complaint.number, "record_first_contact"), {"method": "phone"})
    assert Event.objects.count() == count
    client.post(
        path(livp_complaint.number, "record_first_contact"),
        {"method": "phone", "contacted_at": "2026-03-02T10:30:00+01:00"},
    )
    assert Event.objects.count() == count + 1


def test_the_action_operation_is_documented_with_its_action_names():
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    operation = document["paths"]["/api/v1/complaints/{number}/actions/{action}"]["post"]
    [action] = [p for p in operation["parameters"] if p["name"] == "action"]
    assert action["in"] == "path"
    assert set(action["schema"]["enum"]) == set(ACTIONS)
    assert {"200", "403", "404", "409", "422"} <= set(operation["responses"])
    assert "`record_first_contact`" in operation["description"]
    assert "requestBody" in operation
