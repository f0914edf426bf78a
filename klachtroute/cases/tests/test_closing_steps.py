"""Steps that close a complaint or end a right of the complainant sit apart from the next
step and are taken on the staff page only when confirmed with a plain checkbox (no
JavaScript needed); a reason is asked where the regulation asks for one (LSR-11). When the
step the procedure expects now is such a step, the next step box points to it."""

import re

import pytest

from klachtroute.cases.services import admissible_declare, complaint_register
from klachtroute.cases.workflow import CLOSED, TRANSITIONS
from klachtroute.testing.factories import UserFactory, complaint_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def lsr_new(lsr_organisation, secretariat, director):
    return complaint_register(**complaint_data(actor=secretariat, channel="post"))


@pytest.fixture
def with_exam_committee(lsr_organisation, secretariat):
    complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    return admissible_declare(
        complaint=complaint, actor=secretariat, category="exam", respondent_type="organisation"
    )


@pytest.fixture
def exam_committee(db):
    return UserFactory(username="examencommissie", is_exam_committee=True)


def _sections(html: str) -> tuple[str, str, str]:
    """The next step box, the rest before "Afsluiten", and the "Afsluiten" section."""
    before, closing = html.split('class="action-group action-group-closing"')
    rest, _sep, next_box = before.partition('class="action-group action-group-next"')
    next_box, _sep, other = next_box.partition('class="action-group"')
    return next_box, rest + other, closing.split("</section>")[0]


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


def test_steps_that_close_need_confirmation_and_sit_under_afsluiten():
    """Walk the whole table: every step that may lead to a closed state, whatever its group,
    is confirmed and shown under "Afsluiten"; no other step asks a confirmation."""
    closing = {t.action for t in TRANSITIONS if set(t.targets) & set(CLOSED)}
    # The procedure's own closing steps are among them, not only the ones grouped apart.
    assert {
        "rule",
        "decide_outcome",
        "record_exam_ruling",
        "complete_follow_up",
        "record_binding_advice",
    } <= closing
    for transition in TRANSITIONS:
        if transition.action in closing or transition.group == "closing":
            assert transition.needs_confirmation, transition.action
            assert transition.section == "closing", transition.action
        else:
            assert not transition.needs_confirmation, transition.action
            assert transition.section == transition.group, transition.action


def test_next_step_box_points_to_expected_closing_step(with_exam_committee, exam_committee, client):
    """The exam committee's ruling is the one step the procedure expects now; it closes the
    complaint, so it is under "Afsluiten" with its confirmation, and the next step box says
    where it is instead of staying empty or offering it as the primary button."""
    client.force_login(exam_committee)
    page = client.get(f"/zaken/{with_exam_committee.number}/").content.decode()
    next_box, rest, closing = _sections(page)
    assert 'id="actie-record_exam_ruling"' in closing
    assert 'name="confirm"' in _panel(closing, "record_exam_ruling")
    assert 'id="actie-record_exam_ruling"' not in next_box + rest
    assert "Volgende stap" in next_box
    assert "Deze stap kan de klacht afsluiten en staat daarom onder ‘Afsluiten’:" in next_box
    assert re.search(
        r'<a href="#actie-record_exam_ruling"[^>]*>Uitspraak examencommissie vastleggen</a>',
        next_box,
    )
    assert "<button" not in next_box


def test_the_next_step_box_offers_the_steps_that_do_not_close_and_points_to_the_one_that_does(
    lsr_organisation, secretariat, director, client
):
    """A step of the procedure that does not close stays the next step's own form; one that
    closes only for some answers (the director's ruling may send a complaint back) still sits
    under "Afsluiten"."""
    from klachtroute.cases.services import (
        director_escalate,
        inadmissible_answer,
        inadmissible_declare,
    )

    complaint = complaint_register(**complaint_data(channel="post"))
    inadmissible_declare(
        complaint=complaint,
        actor=secretariat,
        ground="handled_before",
        reason="Al eerder behandeld.",
        respondent_type="organisation",
    )
    inadmissible_answer(complaint=complaint, actor=director, answer="Dit is eerder behandeld.")
    director_escalate(complaint=complaint, party="complainant", note="Er zijn nieuwe feiten.")
    client.force_login(director)
    next_box, _rest, closing = _sections(client.get(f"/zaken/{complaint.number}/").content.decode())
    assert 'id="actie-request_defence"' in next_box
    assert 'id="actie-rule"' in closing and 'id="actie-rule"' not in next_box
    assert re.search(r'<a href="#actie-rule"[^>]*>Uitspraak doen</a>', next_box)


def test_a_step_of_the_procedure_that_closes_is_not_taken_without_its_confirmation(
    with_exam_committee, exam_committee, client
):
    client.force_login(exam_committee)
    data = {"decision": "unfounded", "motivation": "Het examen is correct afgenomen."}
    response = _post(client, with_exam_committee, "record_exam_ruling", data)
    assert response.status_code == 400
    assert "Bevestig deze stap" in _panel(response.content.decode(), "record_exam_ruling")
    with_exam_committee.refresh_from_db()
    assert with_exam_committee.state == "with_exam_committee"
    response = _post(client, with_exam_committee, "record_exam_ruling", {**data, "confirm": "1"})
    assert response.status_code == 302
    with_exam_committee.refresh_from_db()
    assert with_exam_committee.state == "settled"
