"""The transition table: every action, allowed and refused, by state and by person."""

import pytest

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
from klachtroute.testing.factories import UserFactory, complaint_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(secretariat, director, trainers):
    return {
        "secretariat": secretariat,
        "director": director,
        "handler": trainers[2],
        "other_trainer": trainers[0],
        "staff_member": UserFactory(username="mw", is_staff_member=True),
    }


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
@pytest.mark.parametrize("state", State.values)
def test_every_transition_in_every_state_for_every_person(organisation, people, transition, state):
    Organisation.objects.update(auto_assign=False)
    complaint = complaint_register(**complaint_data())
    Complaint.objects.filter(pk=complaint.pk).update(state=state, handler=people["handler"])
    complaint.refresh_from_db()
    for name, person in people.items():
        allowed_role = any(
            (role == "handler" and person == people["handler"]) or person.has_role(role)
            for role in transition.roles
        )
        if allowed_role and state in transition.sources:
            assert transition_check(person, complaint, transition.action) == transition
            assert transition in actions_for(person, complaint)
        else:
            with pytest.raises(TransitionError) as excinfo:
                transition_check(person, complaint, transition.action)
            assert excinfo.value.status == (403 if not allowed_role else 409)
            assert transition not in actions_for(person, complaint)


def test_unknown_action_is_refused(organisation, secretariat):
    complaint = complaint_register(**complaint_data())
    with pytest.raises(TransitionError) as excinfo:
        transition_check(secretariat, complaint, "launch_rocket")
    assert excinfo.value.status == 404


def test_settled_complaint_offers_no_actions(organisation, secretariat):
    complaint = complaint_register(
        **complaint_data(channel="phone", actor=secretariat, settled_on_the_spot=True)
    )
    assert actions_for(secretariat, complaint) == []
