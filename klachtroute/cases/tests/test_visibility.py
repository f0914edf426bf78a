"""Who sees a complaint: only those it involves (confidential by default)."""

import pytest

from klachtroute.cases.selectors import complaints_visible_to
from klachtroute.cases.services import (
    admissible_declare,
    complaint_register,
    defence_request,
    director_escalate,
    findings_respond,
    findings_share,
    procedure_send,
)
from klachtroute.cases.workflow import State
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam_member(db):
    return UserFactory(username="examen", is_exam_committee=True)


def test_lsr_9_exam_committee_sees_exam_complaints_only_and_rules(
    client, lsr_organisation, secretariat, exam_member
):
    exam = complaint_register(**complaint_data())
    other = complaint_register(**complaint_data())
    admissible_declare(
        complaint=exam, actor=secretariat, category="exam", respondent_type="organisation"
    )
    assert list(complaints_visible_to(exam_member)) == [exam]
    client.force_login(exam_member)
    assert client.get(f"/zaken/{other.number}/").status_code == 404
    response = client.post(
        f"/zaken/{exam.number}/acties/record_exam_ruling/",
        {
            "decision": "unfounded",
            "motivation": "De toets is correct beoordeeld.",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    exam.refresh_from_db()
    assert (exam.state, exam.outcome) == (State.SETTLED, "exam_ruling")


def test_lsr_6e_respondent_sees_the_complaint_only_once_asked_for_a_defence(
    lsr_organisation, secretariat, director
):
    trainer = UserFactory(username="docent", is_trainer=True)
    complaint = complaint_register(**complaint_data())
    admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="procedure",
        respondent_type="person",
        respondent=trainer,
    )
    complaint.refresh_from_db()
    assert complaint.handler == director
    assert list(complaints_visible_to(trainer)) == []
    criteria = complaint.procedure_version.spec.criteria_for("procedure")
    findings_share(
        complaint=complaint,
        actor=director,
        summary="Onderzocht.",
        proposed_solution="Een gesprek.",
        judgements={c.code: ("in_order", "") for c in criteria},
        **letter_parts("findings"),
    )
    findings_respond(complaint=complaint, party="complainant", agree=False, reason="Niet eens.")
    procedure_send(complaint=complaint, actor=secretariat)
    director_escalate(complaint=complaint, party="complainant")
    assert list(complaints_visible_to(trainer)) == []
    complaint.refresh_from_db()
    defence_request(complaint=complaint, actor=director, question="Uw reactie?")
    assert list(complaints_visible_to(trainer)) == [complaint]
    stranger = UserFactory(username="vreemde", is_trainer=True)
    assert list(complaints_visible_to(stranger)) == []
