"""The complaint as the API answers it is built from its published schema: a complaint with
every kind of step recorded validates against /api/v1/openapi.json, field for field."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import jsonschema_rs
import pytest
import time_machine
from django.test import Client

from klachtroute.cases.models import FollowUp
from klachtroute.cases.services import complaint_assign_handler, complaint_register
from klachtroute.testing.factories import UserFactory, complaint_data

AMS = ZoneInfo("Europe/Amsterdam")
RECEIVED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMS)
LSR_CRITERIA = ("delivery_conditions", "individual_agreements", "follow_up", "treatment")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(RECEIVED + dt.timedelta(hours=1), tick=False) as traveller:
        yield traveller


def _published(name: str):
    """A validator for one schema of the OpenAPI document the API publishes."""
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    schema = document["components"]["schemas"][name]
    root = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(root), set(schema["properties"])


def _assert_published(name: str, body: dict) -> None:
    validator, properties = _published(name)
    errors = [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(body)
    ]
    assert errors == []
    assert set(body) == properties


def _act(client, number: str, action: str, data: dict) -> dict:
    response = client.post(f"/complaints/{number}/actions/{action}", data)
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_livp_complaint_through_the_third_party_matches_the_published_schema(
    organisation, course, secretariat, director, trainers, api_as, _now
):
    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="post", received_at=RECEIVED, course=course)
    )
    complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)
    number = complaint.number
    handler, office = api_as(trainers[2]), api_as(secretariat)
    _act(
        handler,
        number,
        "record_first_contact",
        {"method": "phone", "contacted_at": "2026-03-02T10:30:00+01:00", "note": "Gebeld."},
    )
    _act(
        handler,
        number,
        "set_respondent",
        {"respondent_type": "person", "respondent": trainers[0].pk},
    )
    _act(handler, number, "extend", {"reason": "Ziekte.", "new_due": "2026-05-29"})
    _act(
        handler,
        number,
        "propose_measure",
        {"description": "Roosters nakijken.", "owner": director.pk, "due_date": "2026-06-01"},
    )
    _act(
        handler,
        number,
        "propose_solution",
        {
            "text": "Een extra les.",
            "reasons": "Twee lessen vielen uit.",
            "remedy_due": "2026-04-30",
        },
    )
    _now.shift(dt.timedelta(hours=1))
    _act(office, number, "reject_solution", {"party": "complainant", "reason": "Te weinig."})
    _act(office, number, "declare_no_agreement", {"reason": "Geen akkoord."})
    _act(office, number, "appeal_to_third_party", {"note": "Graag advies."})
    _act(
        office,
        number,
        "record_binding_advice",
        {
            "advice": "Gegrond.",
            "follow_ups": ["A", "B"],
            "remedy_due": "2026-06-30",
            "confirm": True,
        },
    )
    first = FollowUp.objects.order_by("pk").first()
    _act(
        office,
        number,
        "plan_follow_up",
        {"follow_up": first.pk, "owner": director.pk, "due_date": "2026-06-30"},
    )
    body = _act(
        office,
        number,
        "complete_follow_up",
        {"follow_up": first.pk, "note": "Gedaan.", "confirm": True},
    )

    assert body["first_contact"]["on_time"] is True
    assert body["solutions"][0]["approvals"][0]["recorded_by"] == "Sanne Secretaris"
    assert [f["done_at"] is not None for f in body["rulings"][0]["follow_ups"]] == [True, False]
    assert body["measures"][0]["owner"]["name"] == director.display_name
    assert body["extensions"][0]["new_due"] == "2026-05-29"
    _assert_published("ComplaintOut", body)
    listed = office.get("/complaints").json()
    _assert_published("ComplaintListOut", listed)
    for item in listed["items"]:
        _assert_published("ComplaintSummaryOut", item)


def test_an_lsr_complaint_with_findings_defence_and_ruling_matches_the_published_schema(
    lsr_organisation, secretariat, director, api_as
):
    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="email", received_at=RECEIVED)
    )
    staff = UserFactory(username="mia", first_name="Mia", is_staff_member=True)
    office, boss = api_as(secretariat), api_as(director)
    number = complaint.number
    _act(
        office,
        number,
        "judge_admissible",
        {"category": "staff", "respondent_type": "person", "respondent": staff.pk},
    )
    _act(
        api_as(staff),
        number,
        "share_findings",
        {
            "summary": "Gezien.",
            "proposed_solution": "Een gesprek met de docent.",
            "remedy_due": "2026-04-30",
            **{f"criterion_{c}": "in_order" for c in LSR_CRITERIA},
        },
    )
    _act(office, number, "reject_findings", {"reason": "Niet eens."})
    _act(office, number, "send_procedure", {})
    _act(office, number, "escalate_to_director", {})
    _act(boss, number, "request_defence", {"due": "2026-03-16"})
    _act(office, number, "submit_defence", {"defence": "Druk."})
    body = _act(
        boss,
        number,
        "rule",
        {
            **{f"criterion_{c}": "in_order" for c in LSR_CRITERIA},
            "decision": "unfounded",
            "motivation": "Uitgelegd.",
            "remedy": "Niets.",
            "confirm": True,
        },
    )

    assert body["admissibility"] == {"admissible": True, "reason": "", "answer": ""}
    assert body["findings"][0]["response"] == "disagreed"
    assert body["defence_requests"][0]["defence"] == "Druk."
    assert body["rulings"][0]["decided_by"] == director.display_name
    assert body["actions"] == boss.get(f"/complaints/{number}").json()["actions"]
    _assert_published("ComplaintOut", body)
