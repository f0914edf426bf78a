"""Registering and reading complaints through the API."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine

from klachtroute.cases.models import Complaint, Event
from klachtroute.cases.services import complaint_register
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.factories import complaint_data

from .conftest import complaint_body

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db

# Tuesday 28 April 2026, the day after King's Day.
NOW = dt.datetime(2026, 4, 28, 12, 0, tzinfo=AMS)
DEADLINE_KEYS = {"acknowledge", "first_contact", "settle"}


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


# POST /api/v1/complaints -----------------------------------------------------------------


def test_lsr_4a_livp_2_secretariat_registers_a_phone_complaint_received_earlier(
    organisation, secretariat, api_as
):
    response = api_as(secretariat).post("/complaints", complaint_body())

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "K-2026-0001"
    assert response["Location"] == "/api/v1/complaints/K-2026-0001"
    assert body["channel"] == "phone"
    assert body["state"] == "new"
    assert body["received_at"] == "2026-04-24T15:00:00+02:00"
    # Computed from Friday 24 April, not from today: King's Day (27th) is skipped.
    assert body["deadlines"] == {
        "acknowledge": "2026-04-28",  # LIVP-3: 1 working day
        "first_contact": "2026-05-04",  # LIVP-5: 5 working days
        "settle": "2026-05-22",  # LIVP-9: 4 weeks
    }
    assert body["procedure"]["code"] == "livp"
    assert body["complainant"]["phone"] == "06-12345678"
    assert body["handler"] is None  # a phone complaint is assigned by the secretariat
    assert {"assign_handler", "correct_received_at"} <= set(body["actions"])
    assert [e["kind"] for e in body["events"]] == ["registered"]
    assert body["events"][0]["actor"] == "Sanne Secretaris"

    complaint = Complaint.objects.get()
    assert complaint.registered_by == secretariat
    assert complaint.received_at == dt.datetime(2026, 4, 24, 15, 0, tzinfo=AMS)
    assert complaint.acknowledge_due == dt.date(2026, 4, 28)


def test_received_at_defaults_to_now(organisation, secretariat, api_as):
    body = complaint_body()
    del body["received_at"]
    response = api_as(secretariat).post("/complaints", body)
    assert response.status_code == 201
    assert Complaint.objects.get().received_at == NOW


def test_minimal_post_complaint_with_only_an_address(organisation, secretariat, api_as):
    body = {
        "channel": "post",
        "complainant": {"name": "Piet Post", "address": "Postbus 1\n1000 AA Amsterdam"},
        "complaint_date": "2026-04-01",
        "description": "Per brief: de cursusdata zijn niet op tijd doorgegeven.",
    }
    response = api_as(secretariat).post("/complaints", body)
    assert response.status_code == 201, response.json()
    assert response.json()["complainant"]["email"] == ""
    assert response.json()["respondent"] == {"type": "unknown", "person": None, "description": ""}


def test_web_complaint_with_course_is_assigned_to_a_trainer_who_does_not_teach_it(
    organisation, secretariat, trainers, course, api_as
):
    response = api_as(secretariat).post(
        "/complaints", complaint_body(channel="web", course=course.pk)
    )
    assert response.status_code == 201
    body = response.json()
    assert body["course"] == {"id": course.pk, "name": course.name}
    assert body["handler"] == {"id": trainers[2].pk, "name": "Theo Trainer"}  # LIVP-4
    assert body["acknowledged_at"] is not None
    assert [e["kind"] for e in body["events"]] == ["registered", "handler_assigned", "acknowledged"]
    # The acknowledgement to the complainant and the appointment to the handler.
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [
        "jan@example.org",
        trainers[2].email,
    ]


def test_oral_complaint_settled_on_the_spot(organisation, secretariat, api_as):
    response = api_as(secretariat).post(
        "/complaints", complaint_body(channel="in_person", settled_on_the_spot=True)
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["outcome"]) == ("settled", "settled_on_the_spot")
    assert body["settled_at"] == "2026-04-24T15:00:00+02:00"
    assert "assign_handler" not in body["actions"]
    assert set(body["actions"]) <= {"propose_measure", "reopen", "add_document"}
    assert not OutboxMessage.objects.exists()


def test_unicode_survives_the_round_trip(organisation, secretariat, api_as):
    client = api_as(secretariat)
    name = "Zoë Çelik-Ørsted 李小龍"
    description = "Ik voelde me niet gehoord 😞 — de ‘uitleg’ was één zin."
    complainant = {**complaint_body()["complainant"], "name": name}
    response = client.post(
        "/complaints", complaint_body(complainant=complainant, description=description)
    )
    assert response.status_code == 201
    fetched = client.get(f"/complaints/{response.json()['number']}").json()
    assert fetched["complainant"]["name"] == name
    assert fetched["description"] == description


def test_an_international_phone_number_is_accepted(organisation, secretariat, api_as):
    complainant = {**complaint_body()["complainant"], "phone": "+49 30 1234567"}
    response = api_as(secretariat).post("/complaints", complaint_body(complainant=complainant))
    assert response.status_code == 201


def test_complaint_date_exactly_two_years_back_is_accepted(organisation, secretariat, api_as):
    response = api_as(secretariat).post("/complaints", complaint_body(complaint_date="2024-04-28"))
    assert response.status_code == 201


def test_a_repeated_post_with_the_same_idempotency_key_registers_once(
    organisation, secretariat, api_as
):
    client = api_as(secretariat)
    key = str(uuid.uuid4())
    first = client.post("/complaints", complaint_body(), HTTP_IDEMPOTENCY_KEY=key)
    again = client.post("/complaints", complaint_body(), HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize("role", ["trainer", "director", "none"])
def test_only_the_secretariat_may_register(organisation, trainers, director, api_as, role):
    from klachtroute.testing.factories import UserFactory

    user = {"trainer": trainers[0], "director": director, "none": UserFactory()}[role]
    response = api_as(user).post("/complaints", complaint_body())
    assert response.status_code == 403
    assert "secretariaat" in response.json()["detail"]
    assert not Complaint.objects.exists()


def test_a_trainer_gets_403_even_for_an_invalid_body(organisation, trainers, api_as):
    response = api_as(trainers[0]).post("/complaints", raw="{not json")
    assert response.status_code == 403


# GET /api/v1/complaints/{number} ---------------------------------------------------------


def _register(**overrides) -> Complaint:
    return complaint_register(
        **complaint_data(received_at=dt.datetime(2026, 4, 24, 15, 0, tzinfo=AMS), **overrides)
    )


def test_livp_3_5_9_get_returns_all_three_deadlines(organisation, secretariat, api_as):
    complaint = _register(channel="email", actor=secretariat)
    response = api_as(secretariat).get(f"/complaints/{complaint.number}")
    assert response.status_code == 200
    body = response.json()
    assert set(body["deadlines"]) == DEADLINE_KEYS
    assert body["deadlines"] == {
        "acknowledge": "2026-04-28",
        "first_contact": "2026-05-04",
        "settle": "2026-05-22",
    }
    assert body["state"] == "new"
    assert body["state_label"] == "Nieuw"
    assert body["procedure"]["version"] == complaint.procedure_version.label
    assert body["events"][0]["kind"] == "registered"
    assert set(body["events"][0]) == {"at", "actor", "kind", "summary", "before", "after"}


def test_lsr_6c_get_shows_only_the_settlement_deadline(lsr_organisation, secretariat, api_as):
    complaint = _register(channel="post", actor=secretariat)
    body = api_as(secretariat).get(f"/complaints/{complaint.number}").json()
    assert set(body["deadlines"]) == DEADLINE_KEYS
    assert body["deadlines"]["acknowledge"] is None
    assert body["deadlines"]["first_contact"] is None
    assert body["deadlines"]["settle"] == "2026-05-22"  # four weeks after 24 April
    assert body["procedure"]["code"] == "lsr"


def test_livp_4_an_uninvolved_trainer_gets_the_same_404_as_for_a_missing_number(
    organisation, trainers, course, api_as
):
    complaint = _register(course=course)  # web: assigned to trainers[2]
    assert complaint.handler == trainers[2]
    client = api_as(trainers[0])
    hidden = client.get(f"/complaints/{complaint.number}")
    missing = client.get("/complaints/K-2026-9999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert hidden.content == missing.content


def test_the_assigned_handler_can_read_the_complaint(organisation, trainers, course, api_as):
    complaint = _register(course=course)
    response = api_as(trainers[2]).get(f"/complaints/{complaint.number}")
    assert response.status_code == 200
    body = response.json()
    assert body["handler"] == {"id": trainers[2].pk, "name": "Theo Trainer"}
    assert body["state"] == State.IN_PROGRESS
    # assigning and correcting belong to the secretariat; the handler records the contact
    assert "assign_handler" not in body["actions"]
    assert "correct_received_at" not in body["actions"]
    assert "record_first_contact" in body["actions"]
    kinds = [e["kind"] for e in body["events"]]
    assert kinds == list(
        Event.objects.filter(complaint=complaint)
        .order_by("at", "id")
        .values_list("kind", flat=True)
    )


def test_the_director_can_read_every_complaint(organisation, director, api_as):
    complaint = _register()
    response = api_as(director).get(f"/complaints/{complaint.number}")
    assert response.status_code == 200
    assert response.json()["actions"] == ["propose_measure", "add_document"]


# GET /api/v1/complaints ------------------------------------------------------------------


def test_list_shows_only_visible_complaints(organisation, secretariat, trainers, course, api_as):
    assigned = _register(course=course)  # to trainers[2]
    _register(channel="post", actor=secretariat)

    everything = api_as(secretariat).get("/complaints").json()
    assert len(everything["items"]) == 2 and everything["next_cursor"] is None
    assert {c["number"] for c in everything["items"]} == set(
        Complaint.objects.values_list("number", flat=True)
    )

    handler = api_as(trainers[2]).get("/complaints").json()
    assert [c["number"] for c in handler["items"]] == [assigned.number]

    uninvolved = api_as(trainers[0]).get("/complaints").json()
    assert (uninvolved["next_cursor"], uninvolved["items"]) == (None, [])


def test_list_filters_by_state_and_paginates(organisation, secretariat, course, api_as):
    for _ in range(3):
        _register(course=course)  # in progress
    _register(channel="post", actor=secretariat)  # new
    client = api_as(secretariat)

    new = client.get("/complaints", state="new").json()
    assert [c["state"] for c in new["items"]] == ["new"]

    first = client.get("/complaints", state="in_progress", limit=2).json()
    assert (first["limit"], len(first["items"])) == (2, 2) and first["next_cursor"]
    page = client.get("/complaints", state="in_progress", limit=2, cursor=first["next_cursor"])
    page = page.json()
    assert (page["limit"], len(page["items"]), page["next_cursor"]) == (2, 1, None)
    assert set(page["items"][0]["deadlines"]) == DEADLINE_KEYS
    assert not {c["number"] for c in first["items"]} & {c["number"] for c in page["items"]}


def test_list_pages_by_cursor_through_every_complaint_once_in_worklist_order(
    organisation, secretariat, trainers, course, api_as
):
    """Keyset paging: equal due dates and equal times of receipt, and complaints without a
    deadline, are each met exactly once, in the order of the worklist."""
    from klachtroute.cases.selectors import complaints_worklist

    same_moment = dt.datetime(2026, 4, 20, 9, 0, tzinfo=AMS)
    for i in range(7):
        complaint = _register(course=course)
        Complaint.objects.filter(pk=complaint.pk).update(
            received_at=same_moment if i % 2 else complaint.received_at,
            next_due=None if i % 3 == 0 else dt.date(2030, 1, 1 + i % 2),
        )
    client = api_as(secretariat)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/complaints", **params).json()
        seen += [c["number"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    expected = list(complaints_worklist(user=secretariat).values_list("number", flat=True))
    assert seen == expected and len(expected) == 7


def test_list_next_link_is_the_next_page_with_the_same_filters_and_limit(
    organisation, secretariat, course, api_as
):
    from urllib.parse import parse_qs, urlsplit

    for _ in range(3):
        _register(course=course)  # in progress
    _register(channel="post", actor=secretariat)  # new
    client = api_as(secretariat)
    first = client.get("/complaints", state="in_progress", limit=2).json()
    address = urlsplit(first["next"])
    assert address.path == "/api/v1/complaints"
    assert parse_qs(address.query) == {
        "state": ["in_progress"],
        "limit": ["2"],
        "cursor": [first["next_cursor"]],
    }
    following = client.client.get(first["next"], **client.headers).json()
    assert [c["state"] for c in following["items"]] == ["in_progress"]
    assert (following["next"], following["next_cursor"]) == (None, None)


def test_list_still_pages_by_offset_for_clients_written_before_cursors(
    organisation, secretariat, course, api_as
):
    """The deprecated `offset` of version 1 keeps its meaning: a client that pages by it
    meets every complaint once and ends on an empty page."""
    for _ in range(5):
        _register(course=course)
    client = api_as(secretariat)
    seen, offset = [], 0
    while True:
        page = client.get("/complaints", limit=2, offset=offset).json()
        if not page["items"]:
            break
        assert page["offset"] == offset
        seen += [c["number"] for c in page["items"]]
        offset += 2
    by_cursor = client.get("/complaints", limit=100).json()
    assert seen == [c["number"] for c in by_cursor["items"]] and len(seen) == 5
    # Its answer also names the cursor, to go on the cheap way.
    third = client.get("/complaints", limit=2, offset=2).json()
    rest = client.get("/complaints", limit=2, cursor=third["next_cursor"]).json()
    assert [c["number"] for c in rest["items"]] == seen[4:]


def test_list_refuses_a_cursor_and_an_offset_together(organisation, secretariat, api_as):
    from klachtroute.cases.selectors import WorklistKey

    cursor = WorklistKey(None, NOW, 1).token()
    assert api_as(secretariat).get("/complaints", cursor=cursor).status_code == 200
    response = api_as(secretariat).get("/complaints", cursor=cursor, offset=3)
    assert response.status_code == 422
    assert "niet allebei" in response.json()["errors"][0]["message"]


def test_list_refuses_a_cursor_it_did_not_give(organisation, secretariat, api_as):
    response = api_as(secretariat).get("/complaints", cursor="not-a-cursor")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "cursor" and "next_cursor" in error["message"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"state": "lost"}, "state"),
        ({"limit": 0}, "limit"),
        ({"cursor": "x" * 201}, "cursor"),
        ({"offset": -1}, "offset"),
    ],
)
def test_list_refuses_bad_query_parameters(organisation, secretariat, api_as, params, field):
    response = api_as(secretariat).get("/complaints", **params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_list_makes_as_many_queries_for_40_complaints_as_for_5_on_any_page(
    organisation, secretariat, trainers, course, api_as
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(client, **params) -> tuple[int, str | None]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/complaints", limit=2, **params)
        assert response.status_code == 200
        return len(captured), response.json()["next_cursor"]

    for _ in range(5):
        _register(course=course)  # to trainers[2]
    clients = [api_as(secretariat), api_as(trainers[2])]
    for client in clients:  # the token's first use is recorded once
        client.get("/complaints")
    first_5 = [queries(client)[0] for client in clients]
    next_5 = [queries(client, cursor=queries(client)[1])[0] for client in clients]
    for _ in range(35):
        _register(course=course)
    assert [queries(client)[0] for client in clients] == first_5
    assert [queries(client, cursor=queries(client)[1])[0] for client in clients] == next_5
