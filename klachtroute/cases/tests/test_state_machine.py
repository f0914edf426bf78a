"""Random sequences of actions by random people never break the complaint's invariants:
a closed complaint has an outcome; every state change has an event; only the right party
can approve; deadlines are set wherever the procedure has them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import event as hypothesis_event
from hypothesis import strategies as st

from klachtroute.cases import services
from klachtroute.cases.actions import ACTIONS, action_perform
from klachtroute.cases.models import Approval, Complaint, Party
from klachtroute.cases.workflow import CLOSED, TransitionError, actions_for
from klachtroute.organisation.models import Organisation
from klachtroute.procedures.services import procedure_install_preset
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
START = dt.datetime(2026, 3, 2, 9, tzinfo=AMS)

PEOPLE = ("secretariat", "director", "exam_committee", "handler", "respondent", "other")
PARTY_STEPS = (
    "approve_solution",
    "reject_solution",
    "accept_findings",
    "reject_findings",
    "escalate_to_director",
    "appeal_to_third_party",
    "withdraw",
    "submit_defence",
    "record_binding_advice",
)


def payload(action: str, complaint: Complaint, people: dict, today: dt.date) -> dict:
    """Input that is valid for the action's form, so that refusals come from the workflow."""
    text = "Een toelichting van voldoende lengte."
    criteria = complaint.procedure_version.spec.criteria_for(complaint.category or "trainer")
    data = {
        "assign_handler": {"handler": people["handler"].pk},
        "correct_received_at": {
            "received_at": (START - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "reason": text,
        },
        "set_respondent": {"respondent_type": "person", "respondent": people["respondent"].pk},
        "send_progress_update": {"text": text},
        "suspend": {"reason": text},
        "resume": {},
        "extend": {
            "reason": text,
            "new_due": ((complaint.settle_due or today) + dt.timedelta(days=7)).isoformat(),
        },
        "propose_measure": {
            "description": text,
            "owner": people["director"].pk,
            "due_date": (today + dt.timedelta(days=30)).isoformat(),
        },
        "withdraw": {"reason": text},
        "reopen": {"new_facts": text},
        "add_document": {"description": text, "channel": "post", "received_on": today.isoformat()},
        "inform_delay": {
            "reason": text,
            "expected": (today + dt.timedelta(days=14)).isoformat(),
        },
        "record_first_contact": {
            "method": "phone",
            "contacted_at": today.strftime("%Y-%m-%dT08:00"),
        },
        "propose_solution": {"text": text, "reasons": text, "remedy_due": "2030-01-31"},
        "approve_solution": {"party": "complainant"},
        "reject_solution": {"party": "respondent", "reason": text},
        "declare_no_agreement": {"reason": text},
        "appeal_to_third_party": {"note": text},
        "close_without_appeal": {"note": ""},
        "record_binding_advice": {
            "advice": text,
            "follow_ups": "Excuses aanbieden",
            "remedy_due": "2030-01-31",
        },
        "plan_follow_up": {
            "follow_up": getattr(complaint.rulings.last(), "follow_ups", None)
            and (
                complaint.rulings.last()
                .follow_ups.filter(done_at__isnull=True, measure__isnull=True)
                .values_list("pk", flat=True)
                .first()
                or 0
            ),
            "owner": people["director"].pk,
            "due_date": (today + dt.timedelta(days=30)).isoformat(),
        },
        "complete_follow_up": {
            "follow_up": getattr(complaint.rulings.last(), "follow_ups", None)
            and (
                complaint.rulings.last()
                .follow_ups.filter(done_at__isnull=True)
                .values_list("pk", flat=True)
                .first()
                or 0
            )
        },
        "judge_admissible": {
            "category": "trainer",
            "respondent_type": "person",
            "respondent": people["respondent"].pk,
        },
        "judge_inadmissible": {"ground": "handled_before", "reason": text},
        "answer_inadmissible": {"answer": text},
        "close_inadmissible": {},
        "share_findings": {
            "summary": text,
            "proposed_solution": text,
            "remedy_due": "2030-01-31",
            **{f"criterion_{c.code}": "in_order" for c in criteria},
        },
        "accept_findings": {},
        "reject_findings": {"reason": text},
        "send_procedure": {"note": ""},
        "escalate_to_director": {"note": ""},
        "request_defence": {
            "question": text,
            "due": (today + dt.timedelta(days=14)).isoformat(),
            "due_reason": text,
        },
        "submit_defence": {"defence": text},
        "rule": {
            "decision": "partly_founded",
            "motivation": text,
            "remedy": text,
            "remedy_due": "2030-01-31",
        },
        "record_exam_ruling": {"decision": "unfounded", "motivation": text},
        "director_decides": {"motivation": text},
        "record_involved": {"person": people["respondent"].pk, "note": text},
        "set_aside": {"ground": "insufficient_weight", "reason": text},
        "send_respondent_copy": {"by_post": ""},
        "offer_hearing": {"proposal": text},
        "record_hearing": {"held_on": today.isoformat(), "report": text},
        "skip_hearing": {"reason": "complainant_waived", "note": text},
        "decide_outcome": {
            "findings": text,
            "decision": "founded",
            "motivation": text,
            "conclusions": "",
        },
        "send_back_for_investigation": {"motivation": text},
    }
    return data[action]


def act_as_party(action: str, complaint: Complaint, party: str):
    text = "Een toelichting van voldoende lengte."
    calls = {
        "approve_solution": lambda: services.solution_decide(
            complaint=complaint, actor=None, party=party, approve=True, via_link=True
        ),
        "reject_solution": lambda: services.solution_decide(
            complaint=complaint, actor=None, party=party, approve=False, reason=text, via_link=True
        ),
        "accept_findings": lambda: services.findings_respond(
            complaint=complaint, party=party, agree=True
        ),
        "reject_findings": lambda: services.findings_respond(
            complaint=complaint, party=party, agree=False, reason=text
        ),
        "escalate_to_director": lambda: services.director_escalate(
            complaint=complaint, party=party
        ),
        "appeal_to_third_party": lambda: services.third_party_appeal(
            complaint=complaint, party=party
        ),
        "withdraw": lambda: services.complaint_withdraw(complaint=complaint, party=party),
        "submit_defence": lambda: services.defence_submit(
            complaint=complaint, party=party, defence=text
        ),
        "record_binding_advice": lambda: services.binding_advice_record(
            complaint=complaint,
            party=party,
            advice=text,
            follow_ups=["Excuses"],
            **letter_parts("binding_advice"),
        ),
    }
    return calls[action]()


def check_invariants(complaint: Complaint, before_state: str, before_events: int):
    complaint.refresh_from_db()
    if complaint.state in CLOSED:
        assert complaint.outcome, "a closed complaint has an outcome"
        assert complaint.settled_at is not None
    if complaint.state != before_state:
        last = complaint.events.order_by("-id").first()
        assert complaint.events.count() > before_events, "a state change has an event"
        assert any(
            e.after.get("state") == complaint.state for e in complaint.events.order_by("-id")[:5]
        ), f"no event records the change to {complaint.state}; last: {last.kind}"
    version = complaint.procedure_version
    for key, field in (
        ("acknowledge", "acknowledge_due"),
        ("first_contact", "first_contact_due"),
        ("settle", "settle_due"),
    ):
        if version.spec.period(key) is not None:
            assert getattr(complaint, field) is not None, (
                f"{field} is set where the procedure has it"
            )
    for approval in Approval.objects.filter(solution__complaint=complaint):
        assert approval.party in (Party.COMPLAINANT, Party.RESPONDENT), (
            "only complainant or respondent approve"
        )
        if approval.recorded_by is not None:
            assert approval.recorded_by.is_secretariat, (
                "only the secretariat records a party's answer"
            )


def _allowed_pairs(complaint: Complaint, people: dict) -> list[tuple[str, str]]:
    return sorted(
        (name, t.action) for name, person in people.items() for t in actions_for(person, complaint)
    )


def _allowed_party_steps(complaint: Complaint) -> list[tuple[str, str]]:
    return sorted(
        (party.value, t.action)
        for party in Party
        for t in actions_for(None, complaint, party=party.value)
        if t.action in PARTY_STEPS
    )


@pytest.mark.parametrize("preset", ["livp", "lsr", "awb9"])
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_action_sequences_keep_the_invariants(preset, data, organisation):
    """Mostly steps someone may take now (to reach deep states), mixed with random steps by
    random people (which must be refused without a trace) and waits across deadlines."""
    with transaction.atomic():
        people = {
            "secretariat": UserFactory(username="sm-sec", is_secretariat=True),
            "director": UserFactory(username="sm-dir", is_director=True),
            "exam_committee": UserFactory(username="sm-exam", is_exam_committee=True),
            "handler": UserFactory(username="sm-handler", is_trainer=True),
            "respondent": UserFactory(username="sm-resp", is_trainer=True, is_staff_member=True),
            "other": UserFactory(username="sm-other", is_trainer=True),
        }
        Organisation.objects.update(
            active_procedure=procedure_install_preset(code=preset), auto_assign=False
        )
        with time_machine.travel(START, tick=False) as traveller:
            complaint = services.complaint_register(
                **complaint_data(
                    received_at=START - dt.timedelta(hours=1), complainant_address="Dorpsstraat 1"
                )
            )
            for _i in range(data.draw(st.integers(min_value=1, max_value=20), label="steps")):
                complaint.refresh_from_db()
                before_state, before_events = complaint.state, complaint.events.count()
                kind = data.draw(
                    st.sampled_from(["allowed", "allowed", "allowed", "any", "party", "wait"])
                )
                if kind == "wait":
                    traveller.shift(dt.timedelta(days=data.draw(st.integers(1, 20), label="days")))
                    continue
                if kind == "allowed":
                    pairs = _allowed_pairs(complaint, people)
                    if not pairs:
                        continue
                    who, name = data.draw(st.sampled_from(pairs), label="allowed step")
                elif kind == "any":
                    who = data.draw(st.sampled_from(PEOPLE), label="person")
                    name = data.draw(st.sampled_from(sorted(ACTIONS)), label="action")
                else:
                    pairs = _allowed_party_steps(complaint) or [("complainant", "approve_solution")]
                    who, name = data.draw(
                        st.sampled_from(pairs + [("third_party", "withdraw")]), label="party step"
                    )
                try:
                    with transaction.atomic():
                        if kind == "party":
                            act_as_party(name, complaint, who)
                        else:
                            today = dt.datetime.now(tz=AMS).date()
                            action_perform(
                                complaint=complaint,
                                action=name,
                                actor=people[who],
                                data=payload(name, complaint, people, today),
                            )
                except (TransitionError, ValidationError):
                    complaint.refresh_from_db()
                    assert complaint.state == before_state, "a refused action changes nothing"
                    assert complaint.events.count() == before_events, (
                        "a refused action records nothing"
                    )
                    continue
                check_invariants(complaint, before_state, before_events)
                hypothesis_event(f"{preset}: {name} -> {complaint.state}")
        transaction.set_rollback(True)
