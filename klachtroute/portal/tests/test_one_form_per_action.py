"""One form per action: the same bad input is refused with the same message on the staff's
record page, on the page behind the party's private link and in the API."""

import pytest
from django.urls import reverse

from klachtroute.accounts.models import ApiToken
from klachtroute.api.tests.conftest import ApiClient
from klachtroute.cases.actions import ACTIONS
from klachtroute.cases.models import Complaint, DefenceRequest, Findings
from klachtroute.cases.workflow import State


def _staff_page(client, user, complaint, action, data) -> str:
    client.force_login(user)
    response = client.post(
        reverse("cases:action", kwargs={"number": complaint.number, "action": action}), data
    )
    client.logout()
    assert response.status_code == 400
    return response.content.decode()


def _api_errors(user, complaint, action, data) -> list[tuple[str, str]]:
    _token, raw = ApiToken.objects.create_token(user=user, name="edges")
    response = ApiClient(raw).post(f"/complaints/{complaint.number}/actions/{action}", data)
    assert response.status_code == 422
    return [(e["field"], e["message"]) for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("defence", "message"),
    [
        ("   ", "Schrijf het verweer."),
        ("x" * 20_001, "Gebruik ten hoogste 20000 tekens (nu 20001)."),
    ],
)
def test_lsr_6e_a_bad_defence_gets_the_same_message_on_the_staff_page_the_link_and_the_api(
    client, awaiting_defence, defence, message
):
    lsr = awaiting_defence
    link_page = client.post(lsr.defence_url, {"defence": defence}).content.decode()
    staff_page = _staff_page(
        client, lsr.secretariat, lsr.complaint, "submit_defence", {"defence": defence}
    )
    api = _api_errors(lsr.secretariat, lsr.complaint, "submit_defence", {"defence": defence})

    assert message in link_page
    assert message in staff_page
    assert api == [("defence", message)]
    assert DefenceRequest.objects.get().submitted_at is None
    assert Complaint.objects.get(pk=lsr.complaint.pk).state == State.AWAITING_DEFENCE


def test_lsr_6e_the_longest_defence_is_accepted_on_the_link_as_on_the_staff_page(
    client, awaiting_defence
):
    done = client.post(awaiting_defence.defence_url, {"defence": "x" * 20_000})

    assert "Uw verweer is ontvangen" in done.content.decode()
    assert len(DefenceRequest.objects.get().defence) == 20_000


def test_lsr_6d_disagreeing_without_reason_gets_the_same_message_everywhere(
    client, findings_shared
):
    lsr = findings_shared
    message = "Geef aan waarom u niet akkoord gaat."
    link_page = client.post(lsr.url, {"decision": "no", "reason": " "}).content.decode()
    staff_page = _staff_page(client, lsr.secretariat, lsr.complaint, "reject_findings", {})
    api = _api_errors(lsr.secretariat, lsr.complaint, "reject_findings", {"reason": " "})

    assert message in link_page
    assert message in staff_page
    assert api == [("reason", message)]
    assert Findings.objects.get().response == ""
    assert Complaint.objects.get(pk=lsr.complaint.pk).state == State.FINDINGS_SHARED


@pytest.mark.parametrize(
    ("fixture", "url", "action"),
    [
        ("proposed", "complainant_url", "reject_solution"),
        ("proposed", "respondent_url", "reject_solution"),
        ("findings_shared", "url", "reject_findings"),
        ("awaiting_defence", "defence_url", "submit_defence"),
    ],
)
def test_a_link_page_shows_the_actions_own_form_with_the_same_fields(
    client, request, fixture, url, action
):
    given = request.getfixturevalue(fixture)
    form = client.get(getattr(given, url)).context["form"]
    staff_form = ACTIONS[action].form(complaint=given.complaint)

    assert type(form) is ACTIONS[action].form
    assert {name: type(field) for name, field in form.fields.items()} == {
        name: type(field) for name, field in staff_form.fields.items()
    }
    assert [f.max_length for f in form.fields.values() if hasattr(f, "max_length")] == [
        f.max_length for f in staff_form.fields.values() if hasattr(f, "max_length")
    ]
