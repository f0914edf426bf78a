"""Steps that close a complaint or end a right of the complainant sit apart from the next
step and are taken on the staff page only when confirmed with a plain checkbox (no
JavaScript needed); a reason is asked where the regulation asks for one (LSR-11)."""

import re

import pytest

from klachtroute.cases.services import complaint_register
from klachtroute.testing.factories import complaint_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def lsr_new(lsr_organisation, secretariat, director):
    return complaint_register(**complaint_data(actor=secretariat, channel="post"))


def _panel(html: str, action: str) -> str:
    return html.split(f'id="actie-{action}"')[1].split("</details>")[0]


def _post(client, complaint, action, data):
    return client.post(f"/zaken/{complaint.number}/acties/{action}/", data)


def test_lsr_11_the_directors_own_decision_sits_apart_with_a_plain_confirmation_checkbox(
    lsr_new, director, client
):
    client.force_login(director)
    page = client.get(f"/zaken/{lsr_new.number}/").content.decode()
    before, closing = page.split('class="action-group action-group-closing"')
    assert 'id="actie-director_decides"' in closing
    assert 'id="actie-director_decides"' not in before  # not among the next steps
    panel = _panel(page, "director_decides")
    # An ordinary form post with a checkbox: it works without JavaScript.
    assert re.search(r'<form method="post" action="/zaken/[^"]+/acties/director_decides/"', panel)
    assert re.search(r'<input type="checkbox" name="confirm" value="1"', panel)
    assert "Ik bevestig deze stap." in panel


def test_lsr_11_without_confirmation_nothing_happens_and_what_was_typed_stays(
    lsr_new, director, client
):
    client.force_login(director)
    motivation = "De regeling voorziet niet in een klacht over de kantine."
    response = _post(client, lsr_new, "director_decides", {"motivation": motivation})
    assert response.status_code == 400
    panel = _panel(response.content.decode(), "director_decides")
    assert "Bevestig deze stap: die sluit de klacht af of beëindigt een recht van de klager." in (
        panel
    )
    assert motivation in panel
    lsr_new.refresh_from_db()
    assert lsr_new.state == "new"
    assert not lsr_new.events.filter(kind="director_decision").exists()


def test_lsr_11_a_missing_reason_and_a_missing_confirmation_are_told_at_once(
    lsr_new, director, client
):
    client.force_login(director)
    response = _post(client, lsr_new, "director_decides", {"motivation": ""})
    assert response.status_code == 400
    panel = _panel(response.content.decode(), "director_decides")
    assert "Bevestig deze stap" in panel
    assert re.search(r'<textarea name="motivation"[^>]*aria-invalid="true"', panel)


def test_a_ticked_confirmation_stays_ticked_when_the_reason_is_missing(lsr_new, director, client):
    client.force_login(director)
    response = _post(client, lsr_new, "director_decides", {"motivation": "", "confirm": "1"})
    assert response.status_code == 400
    panel = _panel(response.content.decode(), "director_decides")
    assert re.search(r'<input type="checkbox" name="confirm" value="1"[^>]*checked', panel)
    assert "Bevestig deze stap" not in panel


def test_lsr_11_confirmed_with_a_reason_the_directors_decision_closes_the_complaint(
    lsr_new, director, client
):
    client.force_login(director)
    response = _post(
        client,
        lsr_new,
        "director_decides",
        {"motivation": "De regeling voorziet hier niet in.", "confirm": "1"},
    )
    assert response.status_code == 302
    lsr_new.refresh_from_db()
    assert (lsr_new.state, lsr_new.outcome) == ("settled", "director_decision")
