"""The transition table: every action, allowed and refused, in every state, for every person."""

import datetime as dt

import pytest
from django.utils import timezone

from klachtroute.cases.models import Complaint
from klachtroute.cases.services import complaint_register
from klachtroute.cases.workflow import (
    TRANSITIONS,
    State,
    TransitionError,
    actions_for,
    transition_check,
)
from klachtroute.organisation.models import Organisation
from klachtroute.procedures.services import procedure_install_preset
from klachtroute.testing.factories import complaint_data

pytestmark = pytest.mark.django_db

LSR_FEATURES = {
    "admissibility",
    "complainant_agrees",
    "director",
    "exam_committee_route",
    "delay_notice",
}
AWB_FEATURES = {"set_aside", "respondent_copy", "hearing", "reasoned_outcome"}
# Fields that make a transition's extra condition (its guard) hold, so that the table
# itself is what is tested here; the guards have tests of their own below.
GUARD_SATISFIED = {
    "answer_inadmissible": {"inadmissible_answer": ""},
    "record_hearing": {"hearing_offered_at": timezone.now()},
    "decide_outcome": {
        "respondent_copy_sent_at": timezone.now(),
        "hearing_skip_reason": "complainant_waived",
    },
    "resume": {"suspended_since": dt.date(2026, 3, 2)},
    "inform_delay": {"settle_due": dt.date(2000, 1, 3)},  # passed, not extended
}
PARTIES = ("complainant", "respondent", "third_party")
# Steps a version of either procedure may switch on (a progress-update period): switched on
# here so that the table is walked; test_progress_update proves a version without it has none.
OPTIONAL_FEATURES = {"progress_update"}


def _complaint(preset: str, state: str, people, **fields) -> Complaint:
    organisation = Organisation.objects.get()
    organisation.active_procedure = procedure_install_preset(code=preset)
    organisation.auto_assign = False
    organisation.save()
    for version in organisation.active_procedure.versions.all():
        version.definition["periods"]["progress_update"] = "10 working_days"
        version.save()
    complaint = complaint_register(**complaint_data(complainant_address="Dorpsstraat 1"))
    values = {
        "state": state,
        "handler": people["handler"],
        "respondent": people["respondent"],
        "respondent_type": "person",
        "settle_due": timezone.localdate() + dt.timedelta(days=20),
        "inadmissible_answer": "Antwoord",
        "procedure_sent_at": timezone.now(),
        "category": "trainer",
    }
    values.update(fields)
    Complaint.objects.filter(pk=complaint.pk).update(**values)
    return Complaint.objects.get(pk=complaint.pk)


# Who may take each action, written from the procedures (PROCEDURES.md and the seeds), not
# from the table: the secretariat registers, routes and records what parties say by phone or
# post; the handler handles; the director rules; the exam committee rules on exam complaints.
MAY_ACT = {
    "assign_handler": {"secretariat"},
    "correct_received_at": {"secretariat"},
    "set_respondent": {"secretariat", "handler"},
    "extend": {"secretariat", "handler"},
    "send_progress_update": {"secretariat", "handler"},
    "suspend": {"secretariat", "handler"},
    "resume": {"secretariat", "handler"},
    "propose_measure": {"secretariat", "handler", "director"},
    "withdraw": {"secretariat"},
    "reopen": {"secretariat"},
    "add_document": {"secretariat", "handler", "director"},
    "inform_delay": {"secretariat", "handler"},
    "record_first_contact": {"handler"},
    "propose_solution": {"handler"},
    "approve_solution": {"secretariat"},
    "reject_solution": {"secretariat"},
    "declare_no_agreement": {"secretariat", "handler"},
    "appeal_to_third_party": {"secretariat"},
    "close_without_appeal": {"secretariat"},
    "record_binding_advice": {"secretariat"},
    "plan_follow_up": {"secretariat", "director"},
    "complete_follow_up": {"secretariat", "director"},
    "judge_admissible": {"secretariat"},
    "judge_inadmissible": {"secretariat"},
    "answer_inadmissible": {"handler"},
    "close_inadmissible": {"secretariat"},
    "share_findings": {"handler"},
    "accept_findings": {"secretariat"},
    "reject_findings": {"secretariat"},
    "send_procedure": {"secretariat"},
    "escalate_to_director": {"secretariat"},
    "request_defence": {"director"},
    "submit_defence": {"secretariat", "respondent"},
    "rule": {"director"},
    "director_decides": {"director"},
    "record_exam_ruling": {"exam_committee"},
    # Awb chapter 9: the secretariat records who was involved and may set a complaint aside
    # or send the copy; the handler hears the parties and decides.
    "record_involved": {"secretariat"},
    "set_aside": {"secretariat", "handler"},
    "send_respondent_copy": {"secretariat", "handler"},
    "offer_hearing": {"secretariat", "handler"},
    "record_hearing": {"handler"},
    "skip_hearing": {"handler"},
    "decide_outcome": {"handler"},
}
# And which parties act through their private link.
PARTY_MAY_ACT = {
    "withdraw": {"complainant"},
    "approve_solution": {"complainant", "respondent"},
    "reject_solution": {"complainant", "respondent"},
    "appeal_to_third_party": {"complainant"},
    "record_binding_advice": {"third_party"},
    "accept_findings": {"complainant"},
    "reject_findings": {"complainant"},
    "escalate_to_director": {"complainant"},
    "submit_defence": {"respondent"},
}


def test_every_action_has_its_people_written_down():
    assert set(MAY_ACT) == {t.action for t in TRANSITIONS}


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
@pytest.mark.parametrize("state", State.values)
def test_every_transition_in_every_state_for_every_person(organisation, people, transition, state):
    preset = "lsr" if transition.feature in LSR_FEATURES else "livp"
    preset = "awb9" if transition.feature in AWB_FEATURES else preset
    complaint = _complaint(preset, state, people, **GUARD_SATISFIED.get(transition.action, {}))
    for name, person in people.items():
        allowed = name in MAY_ACT[transition.action]
        if allowed and state in transition.sources:
            assert transition_check(person, complaint, transition.action) == transition, name
            assert transition in actions_for(person, complaint), name
        else:
            with pytest.raises(TransitionError) as excinfo:
                transition_check(person, complaint, transition.action)
            assert excinfo.value.status == (409 if allowed else 403), name
            assert transition not in actions_for(person, complaint), name
    for party in PARTIES:
        if party in PARTY_MAY_ACT.get(transition.action, ()) and state in transition.sources:
            assert transition_check(None, complaint, transition.action, party) == transition
        else:
            with pytest.raises(TransitionError):
                transition_check(None, complaint, transition.action, party)


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
def test_a_procedure_offers_only_its_own_steps(organisation, people, transition):
    """LIVP has no admissibility or director; LSR has no two-party approval or third party."""
    other = "livp" if transition.feature in LSR_FEATURES else "lsr"
    if transition.feature == "always" or transition.feature in OPTIONAL_FEATURES:
        pytest.skip("this step belongs to both procedures")
    complaint = _complaint(other, transition.sources[0], people)
    for person in people.values():
        assert transition not in actions_for(person, complaint)
    with pytest.raises(TransitionError) as excinfo:
        transition_check(people["secretariat"], complaint, transition.action)
    assert excinfo.value.status == 404


def test_unknown_action_is_refused(organisation, secretariat):
    complaint = complaint_register(**complaint_data())
    with pytest.raises(TransitionError) as excinfo:
        transition_check(secretariat, complaint, "launch_rocket")
    assert excinfo.value.status == 404


def test_lsr_5a_handler_cannot_be_appointed_before_admissibility(organisation, people):
    complaint = _complaint("lsr", State.NEW, people, handler=None)
    with pytest.raises(TransitionError) as excinfo:
        transition_check(people["secretariat"], complaint, "assign_handler")
    assert "ontvankelijkheid" in excinfo.value.message


def test_livp_5_first_contact_is_recorded_once(organisation, people):
    complaint = _complaint("livp", State.IN_PROGRESS, people, first_contact_at=timezone.now())
    with pytest.raises(TransitionError):
        transition_check(people["handler"], complaint, "record_first_contact")


def test_livp_6_solution_needs_a_known_respondent(organisation, people):
    complaint = _complaint(
        "livp", State.IN_PROGRESS, people, respondent_type="unknown", respondent=None
    )
    with pytest.raises(TransitionError) as excinfo:
        transition_check(people["handler"], complaint, "propose_solution")
    assert "beklaagde" in excinfo.value.message


def test_lsr_5d_extension_only_before_the_deadline_passes(organisation, people):
    complaint = _complaint(
        "livp", State.IN_PROGRESS, people, settle_due=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(TransitionError) as excinfo:
        transition_check(people["handler"], complaint, "extend")
    assert "verstreken" in excinfo.value.message


def test_lsr_6d_complainant_turns_to_director_only_after_receiving_the_procedure(
    organisation, people
):
    complaint = _complaint("lsr", State.NOT_SOLVED, people, procedure_sent_at=None)
    with pytest.raises(TransitionError):
        transition_check(None, complaint, "escalate_to_director", "complainant")


def test_lsr_5d_inadmissible_complaint_goes_to_director_only_after_the_answer(organisation, people):
    complaint = _complaint("lsr", State.INADMISSIBLE, people, inadmissible_answer="")
    with pytest.raises(TransitionError):
        transition_check(None, complaint, "escalate_to_director", "complainant")
    assert [t.action for t in actions_for(people["handler"], complaint)] == [
        "set_respondent",
        "extend",
        "suspend",
        "send_progress_update",
        "propose_measure",
        "add_document",
        "answer_inadmissible",
    ]


def test_what_waits_for_a_role_is_read_from_the_transition_table():
    """A state waits for a role when a step of the procedure's course that this role takes
    starts there; steps open at any time (adding a document, a measure, the director's
    decision where the rules do not provide) make nothing wait."""
    from klachtroute.cases.workflow import states_waiting_for

    assert states_waiting_for("director") == (State.ADVICE_FOLLOW_UP, State.WITH_DIRECTOR)
    assert states_waiting_for("respondent") == (State.AWAITING_DEFENCE,)
    assert states_waiting_for("exam_committee") == (State.WITH_EXAM_COMMITTEE,)
    assert states_waiting_for("administrator") == ()
    for role in ("secretariat", "director", "handler", "respondent", "exam_committee"):
        for state in states_waiting_for(role):
            assert any(
                role in t.roles and state in t.sources and t.group != "general" for t in TRANSITIONS
            ), (role, state)
