"""The LSR regulation's rules that are not a step of their own in the stories."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from klachtroute.cases.services import (
    admissible_declare,
    complaint_register,
    director_decide,
    director_escalate,
    findings_respond,
    findings_share,
    inadmissible_declare,
    procedure_send,
)
from klachtroute.cases.workflow import State, TransitionError
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "staff": UserFactory(username="mw", is_staff_member=True),
        "trainer": UserFactory(username="docent", is_trainer=True),
    }


@pytest.mark.parametrize(
    "category, respondent_type, respondent, state, handler",
    [
        ("procedure", "organisation", None, State.IN_PROGRESS, "director"),
        ("staff", "person", "staff", State.IN_PROGRESS, "staff"),
        ("trainer", "person", "trainer", State.IN_PROGRESS, "trainer"),
        ("exam", "organisation", None, State.WITH_EXAM_COMMITTEE, None),
    ],
)
def test_lsr_6a_lsr_1_lsr_5c_routing_by_category_to_the_person_first_responsible(
    lsr_organisation,
    secretariat,
    director,
    people,
    category,
    respondent_type,
    respondent,
    state,
    handler,
):
    """The respondent can be the organisation, a staff member or a trainer (LSR-1); category 1
    goes to the director, 2 and 3 to the person concerned, who is first responsible (LSR-6a);
    exam complaints fall outside and go to the exam committee (LSR-9)."""
    complaint = complaint_register(**complaint_data())
    complaint = admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category=category,
        respondent_type=respondent_type,
        respondent=people.get(respondent),
    )
    assert complaint.state == state
    expected = director if handler == "director" else people.get(handler)
    assert complaint.handler == expected


def test_lsr_5b_staff_category_needs_a_staff_member(lsr_organisation, secretariat, people):
    complaint = complaint_register(**complaint_data())
    with pytest.raises(ValidationError) as excinfo:
        admissible_declare(
            complaint=complaint,
            actor=secretariat,
            category="staff",
            respondent_type="person",
            respondent=people["trainer"],
        )
    assert "medewerker" in str(excinfo.value)


def test_lsr_2_complainant_outside_the_scope_is_not_admissible(
    lsr_organisation, secretariat, director
):
    complaint = complaint_register(**complaint_data(complainant_name="Buurman zonder inschrijving"))
    complaint = inadmissible_declare(
        complaint=complaint,
        actor=secretariat,
        ground="outside_scope",
        reason="Geen cursist of klant van de organisatie.",
    )
    assert complaint.state == State.INADMISSIBLE
    assert complaint.admissible is False
    assert "geen klant of student" in complaint.admissibility_reason
    assert complaint.handler == director  # the organisation answers when no person is concerned


def test_lsr_4b_acknowledgement_with_procedure_and_handling_period_at_registration(
    lsr_organisation,
):
    complaint = complaint_register(**complaint_data())
    message = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
    version = complaint.procedure_version
    assert version.spec.text("procedure_summary", "nl")[:60] in message.body
    assert f"{complaint.settle_due:%Y}" in message.body
    assert complaint.acknowledged_at is not None


def test_lsr_6b_every_criterion_is_judged_and_trainers_get_the_educational_ones(
    lsr_organisation, secretariat, people
):
    complaint = complaint_register(**complaint_data())
    complaint = admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="trainer",
        respondent_type="person",
        respondent=people["trainer"],
    )
    criteria = [c.code for c in complaint.procedure_version.spec.criteria_for("trainer")]
    assert {"programme_objectives", "working_methods"} <= set(criteria)
    assert "programme_objectives" not in [
        c.code for c in complaint.procedure_version.spec.criteria_for("staff")
    ]
    partial = {code: ("in_order", "") for code in criteria[:-1]}
    with pytest.raises(ValidationError) as excinfo:
        findings_share(
            complaint=complaint,
            actor=people["trainer"],
            summary="Onderzocht.",
            proposed_solution="Een gesprek.",
            judgements=partial,
            **letter_parts("findings"),
        )
    assert f"criterion_{criteria[-1]}" in excinfo.value.message_dict
    complaint.refresh_from_db()
    assert complaint.state == State.IN_PROGRESS
    judgements = {
        code: ("not_in_order" if code == "treatment" else "in_order", "Toelichting")
        for code in criteria
    }
    findings = findings_share(
        complaint=complaint,
        actor=people["trainer"],
        summary="Onderzocht.",
        proposed_solution="Excuses.",
        judgements=judgements,
        **letter_parts("findings"),
    )
    assert findings.judgements.get(criterion="treatment").judgement == "not_in_order"
    assert findings.judgements.count() == len(criteria)


def test_lsr_6g_the_dossier_with_its_documents_reaches_the_director(
    client, lsr_organisation, secretariat, director, people
):
    scan = SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    complaint = complaint_register(
        **complaint_data(channel="post", actor=secretariat, document=scan)
    )
    admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="trainer",
        respondent_type="person",
        respondent=people["trainer"],
    )
    criteria = complaint.procedure_version.spec.criteria_for("trainer")
    findings_share(
        complaint=complaint,
        actor=people["trainer"],
        summary="Onderzocht.",
        proposed_solution="Een gesprek.",
        judgements={c.code: ("in_order", "") for c in criteria},
        **letter_parts("findings"),
    )
    findings_respond(complaint=complaint, party="complainant", agree=False, reason="Niet eens.")
    procedure_send(complaint=complaint, actor=secretariat)
    director_escalate(complaint=complaint, party="complainant")
    client.force_login(director)
    record = client.get(f"/zaken/{complaint.number}/").content.decode()
    assert "brief.pdf" in record and "Onderzocht." in record
    document = complaint.documents.get()
    download = client.get(f"/zaken/{complaint.number}/documenten/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_lsr_11_where_the_regulation_is_silent_the_director_decides(
    lsr_organisation, secretariat, director
):
    complaint = complaint_register(**complaint_data())
    with pytest.raises(TransitionError):
        director_decide(complaint=complaint, actor=secretariat, motivation="Niet aan mij.")
    complaint = director_decide(
        complaint=complaint,
        actor=director,
        motivation="De klacht gaat over een situatie die de regeling niet kent.",
    )
    assert (complaint.state, complaint.outcome) == (State.SETTLED, "director_decision")
    message = OutboxMessage.objects.get(complaint=complaint, kind="director_decision")
    assert "situatie die de regeling niet kent" in message.body
