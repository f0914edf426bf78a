"""Bad input gets a 422 naming the field and the problem, never a 500, and leaves nothing behind."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine

from klachtroute.cases.models import Complaint, Event
from klachtroute.notifications.models import OutboxMessage
from klachtroute.organisation.models import Organisation

from .conftest import complaint_body

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 4, 28, 12, 0, tzinfo=AMS)


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client(organisation, secretariat, api_as):
    return api_as(secretariat)


def _complainant(**overrides) -> dict:
    return {**complaint_body()["complainant"], **overrides}


def _without(*keys) -> dict:
    body = complaint_body()
    for key in keys:
        body.pop(key)
    return body


def _assert_422(response, field):
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"]
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) == {"field", "loc", "message", "type"}
        assert error["message"]
    assert field in [e["field"] for e in body["errors"]], body["errors"]
    # A refused request leaves nothing behind.
    assert not Complaint.objects.exists()
    assert not Event.objects.exists()
    assert not OutboxMessage.objects.exists()
    return body["errors"]


BAD_BODIES = {
    # name: (body, field named in the answer)
    "unknown channel": (complaint_body(channel="fax"), "channel"),
    "channel of wrong type": (complaint_body(channel=5), "channel"),
    "missing channel": (_without("channel"), "channel"),
    "missing description": (_without("description"), "description"),
    "missing complaint_date": (_without("complaint_date"), "complaint_date"),
    "missing complainant": (_without("complainant"), "complainant"),
    "complainant not an object": (complaint_body(complainant="Jan"), "complainant"),
    "missing complainant name": (
        complaint_body(complainant=_complainant(name="   ")),
        "complainant.name",
    ),
    "no way to reach the complainant": (
        complaint_body(complainant={"name": "Jan"}),
        "complainant",
    ),
    "future received_at": (
        complaint_body(received_at="2026-04-28T12:01:00+02:00"),
        "received_at",
    ),
    "received_at without time zone": (
        complaint_body(received_at="2026-04-24T15:00:00"),
        "received_at",
    ),
    "received_at not a date": (complaint_body(received_at="gisteren"), "received_at"),
    "complaint_date in the future": (complaint_body(complaint_date="2026-04-29"), "complaint_date"),
    "complaint_date over two years back": (
        complaint_body(complaint_date="2024-04-27"),
        "complaint_date",
    ),
    "complaint_date malformed": (complaint_body(complaint_date="28-04-2026"), "complaint_date"),
    "description too short": (complaint_body(description="Te kort"), "description"),
    "description only spaces": (complaint_body(description=" " * 50), "description"),
    "description too long": (complaint_body(description="x" * 10_001), "description"),
    "very long name": (
        complaint_body(complainant=_complainant(name="J" * 201)),
        "complainant.name",
    ),
    "very long course_other": (complaint_body(course_other="c" * 5000), "course_other"),
    "NUL character": (complaint_body(description="Een klacht met \x00 erin."), "description"),
    "invalid phone": (complaint_body(complainant=_complainant(phone="12345")), "complainant.phone"),
    "letters as phone": (
        complaint_body(complainant=_complainant(phone="bel me maar")),
        "complainant.phone",
    ),
    "invalid e-mail": (
        complaint_body(complainant=_complainant(email="jan@")),
        "complainant.email",
    ),
    "unknown language": (
        complaint_body(complainant=_complainant(language="de")),
        "complainant.language",
    ),
    "settled_on_the_spot as text": (
        complaint_body(settled_on_the_spot="yes"),
        "settled_on_the_spot",
    ),
    "course as text": (complaint_body(course="Basis"), "course"),
    "course id beyond any database integer": (complaint_body(course=10**20), "course"),
    "unknown course": (complaint_body(course=999_999), "course"),
    "unknown respondent": (
        complaint_body(respondent_type="person", respondent_id=999_999),
        "respondent_id",
    ),
    "respondent id with organisation type": (
        complaint_body(respondent_type="organisation", respondent_id=1),
        "respondent_id",
    ),
    "both a course and another course": (
        complaint_body(course=1, course_other="Iets anders"),
        "course_other",
    ),
    "unknown respondent_type": (complaint_body(respondent_type="iedereen"), "respondent_type"),
    "unknown field": (complaint_body(recieved_at="2026-04-24T15:00:00+02:00"), "recieved_at"),
    # Passes the schema; the service refuses it (a django ValidationError with a field).
    "written complaint settled on the spot": (
        complaint_body(channel="post", settled_on_the_spot=True),
        "settled_on_the_spot",
    ),
}


@pytest.mark.parametrize("name", list(BAD_BODIES))
def test_invalid_field_gets_422_naming_the_field(client, name):
    body, field = BAD_BODIES[name]
    _assert_422(client.post("/complaints", body), field)


def test_field_errors_come_in_dutch_with_their_location(client):
    body = complaint_body(complainant=_complainant(phone="12345"), description="kort")
    errors = _assert_422(client.post("/complaints", body), "description")
    by_field = {e["field"]: e for e in errors}
    assert by_field["complainant.phone"]["loc"] == ["body", "complainant", "phone"]
    assert "telefoonnummer" in by_field["complainant.phone"]["message"]
    assert by_field["description"]["message"] == "Te kort: minstens 10 tekens."


def test_several_missing_fields_are_all_reported(client):
    errors = _assert_422(client.post("/complaints", {}), "channel")
    assert {"channel", "complainant", "complaint_date", "description"} <= {
        e["field"] for e in errors
    }
    assert all(e["message"] == "Dit veld is verplicht." for e in errors)


BAD_RAW = {
    "malformed JSON": "{not json",
    "truncated JSON": json.dumps(complaint_body())[:-5],
    "empty body": "",
    "JSON null": "null",
    "JSON array": "[1, 2, 3]",
    "JSON string": '"een klacht"',
    "not UTF-8": b"\xff\xfe{\x00",
    "form encoding": "channel=phone&description=hallo",
    "absurdly nested": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("name", list(BAD_RAW))
def test_body_that_is_not_a_json_object_gets_422(client, name):
    response = client.post("/complaints", raw=BAD_RAW[name])
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert errors and errors[0]["loc"][0] == "body"
    assert not Complaint.objects.exists()


def test_malformed_json_is_named_as_such(client):
    errors = client.post("/complaints", raw="{not json").json()["errors"]
    assert errors == [
        {
            "field": None,
            "loc": ["body"],
            "message": "De body is geen geldige JSON.",
            "type": "json_invalid",
        }
    ]


def test_an_idempotency_key_that_is_not_a_uuid_gets_422(client):
    response = client.post("/complaints", complaint_body(), HTTP_IDEMPOTENCY_KEY="twice")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def test_without_an_active_procedure_the_service_error_is_a_422(client):
    Organisation.objects.update(active_procedure=None)
    response = client.post("/complaints", complaint_body())
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] is None
    assert "procedure" in errors[0]["message"]
