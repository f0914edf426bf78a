"""A step that closes a complaint or ends a right of the complainant is taken through the API
only with `"confirm": true`, as on the staff page only with its checkbox ticked."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from klachtroute.cases.actions import action_perform
from klachtroute.cases.models import Complaint
from klachtroute.cases.services import (
    admissible_declare,
    complaint_assign_handler,
    complaint_register,
)
from klachtroute.cases.workflow import TRANSITIONS_BY_ACTION
from klachtroute.testing.factories import UserFactory, complaint_data

AMS = ZoneInfo("Europe/Amsterdam")
RECEIVED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMS)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(RECEIVED + dt.timedelta(hours=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def livp_complaint(organisation, course, secretariat, trainers):
    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="post", received_at=RECEIVED, course=course)
    )
    return complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)


def _path(complaint: Complaint, action: str) -> str:
    return f"/complaints/{complaint.number}/actions/{action}"


def _errors(response) -> list[dict]:
    assert response.status_code == 422, response.content
    return response.json()["errors"]


def _snapshot(complaint: Complaint):
    complaint.refresh_from_db()
    return (complaint.state, complaint.outcome, complaint.events.count())


def test_a_withdrawal_through_the_api_without_confirm_is_422_and_changes_nothing(
    livp_complaint, secretariat, api_as
):
    before = _snapshot(livp_complaint)
    response = api_as(secretariat).post(
        _path(livp_complaint, "withdraw"), {"reason": "Klager belde."}
    )
    assert response.status_code == 422
    [error] = _errors(response)
    assert error["field"] == "confirm"
    assert "Bevestig deze stap" in error["message"]
    assert "sluit de klacht af of beëindigt een recht van de klager" in error["message"]
    assert _snapshot(livp_complaint) == before


def test_a_withdrawal_through_the_api_with_confirm_true_is_taken(
    livp_complaint, secretariat, api_as
):
    response = api_as(secretariat).post(
        _path(livp_complaint, "withdraw"), {"reason": "Klager belde.", "confirm": True}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "withdrawn"


def test_confirm_must_be_true_not_a_word(livp_complaint, secretariat, api_as):
    before = _snapshot(livp_complaint)
    response = api_as(secretariat).post(
        _path(livp_complaint, "withdraw"), {"reason": "Klager belde.", "confirm": "ja"}
    )
    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] == ["confirm"]
    response = api_as(secretariat).post(
        _path(livp_complaint, "withdraw"), {"reason": "Klager belde.", "confirm": False}
    )
    assert response.status_code == 422
    assert _snapshot(livp_complaint) == before


def test_a_missing_confirmation_and_a_missing_field_are_told_at_once(
    lsr_organisation, secretariat, director, api_as
):
    """The director's decision where the regulation is silent (LSR-11) needs a motivation
    and a confirmation; both are reported in one answer."""
    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="email", received_at=RECEIVED)
    )
    before = _snapshot(complaint)
    response = api_as(director).post(_path(complaint, "director_decides"), {})
    assert response.status_code == 422
    assert {e["field"] for e in _errors(response)} == {"motivation", "confirm"}
    assert _snapshot(complaint) == before
    response = api_as(director).post(
        _path(complaint, "director_decides"),
        {"motivation": "De regeling voorziet hier niet in.", "confirm": True},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "settled"


def test_a_ruling_that_closes_the_complaint_through_the_api_without_confirm_is_422(
    lsr_organisation, secretariat, api_as
):
    """The exam committee's ruling is a step of the procedure, not one grouped apart; it
    closes the complaint, so it needs `"confirm": true` too."""
    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="post", received_at=RECEIVED)
    )
    complaint = admissible_declare(
        complaint=complaint, actor=secretariat, category="exam", respondent_type="organisation"
    )
    committee = api_as(UserFactory(username="examencommissie", is_exam_committee=True))
    ruling = {"decision": "unfounded", "motivation": "Het examen is correct afgenomen."}
    before = _snapshot(complaint)
    response = committee.post(_path(complaint, "record_exam_ruling"), ruling)
    assert [e["field"] for e in _errors(response)] == ["confirm"]
    assert _snapshot(complaint) == before
    response = committee.post(_path(complaint, "record_exam_ruling"), {**ruling, "confirm": True})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "settled"


def test_a_step_that_closes_nothing_needs_no_confirmation(livp_complaint, secretariat, api_as):
    response = api_as(secretariat).post(
        _path(livp_complaint, "extend"),
        {"new_due": "2026-04-14", "reason": "Wacht op een getuige."},
    )
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize(
    "action",
    [
        "withdraw",  # ends the complainant's complaint
        "approve_solution",  # settles it
        "accept_findings",  # settles it; the complainant no longer goes to the director
        "close_without_appeal",  # ends the right to the independent third party
        "close_inadmissible",  # ends the way to the director
        "director_decides",  # LSR-11: the director's decision where the regulation is silent
        "set_aside",  # AWB-9:8: the complaint is not handled at all
    ],
)
def test_steps_that_close_or_end_a_right_sit_apart_and_need_a_confirmation(action):
    transition = TRANSITIONS_BY_ACTION[action]
    assert transition.group == "closing"
    assert transition.needs_confirmation


def test_every_caller_of_the_one_entry_point_needs_the_confirmation(livp_complaint, secretariat):
    """Not only the pages and the API: a caller of `action_perform` itself is refused too."""
    before = _snapshot(livp_complaint)
    with pytest.raises(ValidationError) as refused:
        action_perform(
            complaint=livp_complaint,
            action="withdraw",
            actor=secretariat,
            data={"reason": "Klager belde."},
        )
    assert "confirm" in refused.value.message_dict
    assert _snapshot(livp_complaint) == before


def test_the_api_documentation_says_which_steps_need_confirm(db):
    document = Client().get("/api/v1/openapi.json").json()
    description = document["paths"]["/api/v1/complaints/{number}/actions/{action}"]["post"][
        "description"
    ]
    assert '"confirm": true' in description
    withdraw = next(line for line in description.splitlines() if line.startswith("- `withdraw`"))
    assert "`confirm` (true, required" in withdraw
    ruling = next(line for line in description.splitlines() if line.startswith("- `rule`"))
    assert "`confirm` (true, required" in ruling
    extend = next(line for line in description.splitlines() if line.startswith("- `extend`"))
    assert "confirm" not in extend
