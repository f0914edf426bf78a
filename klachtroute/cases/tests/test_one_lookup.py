"""One helper finds a visible complaint or answers 404 (`complaint_get_visible_or_404`):
a person who may not see a complaint gets the same 404 on every staff page, the dossier,
the retention pages, the link revocation and the API, as for a number that does not exist."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from klachtroute.accounts.models import ApiToken
from klachtroute.api.tests.conftest import ApiClient
from klachtroute.cases.services import complaint_assign_handler, complaint_register
from klachtroute.testing.factories import UserFactory, complaint_data

APP = Path(__file__).resolve().parents[2]

PAGES = [
    ("get", "cases:detail", {}),
    ("get", "letters:dossier_pdf", {}),
    ("get", "letters:dossier_zip", {}),
    ("get", "cases:acknowledgement_letter", {}),
    ("get", "cases:document_download", {"document_id": 1}),
    ("get", "privacy:anonymised_summary", {}),
    ("post", "privacy:legal_hold", {}),
    ("post", "cases:action", {"action": "extend"}),
    ("post", "cases:assign_handler", {}),
    ("post", "cases:correct_received_at", {}),
    ("post", "portal:link_revoke", {"link_id": 1}),
]


@pytest.fixture
def hidden(organisation, course, secretariat, trainers):
    """A complaint handled by a trainer, and a staff member who is not involved."""
    complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)
    return complaint, UserFactory(username="buiten", is_staff_member=True, is_secretariat=False)


@pytest.mark.parametrize(("method", "name", "kwargs"), PAGES, ids=[p[1] for p in PAGES])
def test_a_complaint_one_may_not_see_answers_404_like_one_that_does_not_exist(
    client, hidden, method, name, kwargs
):
    complaint, outsider = hidden
    client.force_login(outsider)
    for number in (complaint.number, "K-1999-9999"):
        url = reverse(name, kwargs={"number": number, **kwargs})
        assert getattr(client, method)(url).status_code == 404, (name, number)


def test_the_api_answers_404_for_a_complaint_one_may_not_see(hidden):
    complaint, outsider = hidden
    _token, raw = ApiToken.objects.create_token(user=outsider, name="buiten")
    api = ApiClient(raw)
    for number in (complaint.number, "K-1999-9999"):
        assert api.get(f"/complaints/{number}").json() == {"detail": "Niet gevonden."}
        refused = api.post(f"/complaints/{number}/actions/extend", {})
        assert (refused.status_code, refused.json()) == (404, {"detail": "Niet gevonden."})


RESTATEMENTS = [
    re.compile(r"get_object_or_404\(\s*Complaint\b"),
    re.compile(r"complaints_visible_to\([^)]*\)\s*\.filter\(\s*number="),
    re.compile(r"complaint_get_visible\([^)]*\)\s*\n\s*if \w+ is None[^\n]*:\s*\n\s*raise Http404"),
]


def test_no_view_restates_how_a_visible_complaint_is_found():
    found = [
        f"{path.relative_to(APP)}: {pattern.pattern}"
        for path in APP.rglob("*.py")
        if "tests" not in path.parts and path.name != "selectors.py"
        for pattern in RESTATEMENTS
        if pattern.search(path.read_text())
    ]
    assert found == []
