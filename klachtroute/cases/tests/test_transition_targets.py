"""Every transition, from every state it lists, ends the complaint in a state it lists.

The entry point (`action_perform`) carries the action out with valid input; the write itself
refuses a state the transition does not list, so a service that tried would fail here.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from klachtroute.cases.actions import action_perform
from klachtroute.cases.models import Complaint
from klachtroute.cases.services.common import state_move
from klachtroute.cases.workflow import TRANSITIONS, State, TransitionError

from .test_state_machine import payload
from .test_workflow import AWB_FEATURES, GUARD_SATISFIED, LSR_FEATURES, MAY_ACT, _complaint

pytestmark = pytest.mark.django_db

CASES = [(t, source) for t in TRANSITIONS for source in t.sources]


@pytest.mark.parametrize(
    "transition, source", CASES, ids=[f"{t.action}-{source}" for t, source in CASES]
)
def test_transition_from_each_source_ends_in_a_listed_state(
    organisation, people, transition, source
):
    preset = "lsr" if transition.feature in LSR_FEATURES else "livp"
    preset = "awb9" if transition.feature in AWB_FEATURES else preset
    fields = {"category": "", **GUARD_SATISFIED.get(transition.action, {})}
    complaint = _complaint(preset, source, people, **fields)
    actor = people[sorted(MAY_ACT[transition.action])[0]]
    data = payload(transition.action, complaint, people, timezone.localdate())
    try:
        action_perform(complaint=complaint, action=transition.action, actor=actor, data=data)
    except (TransitionError, ValidationError):
        # Refused for want of what the step needs (a pending solution, a follow-up item):
        # then nothing changed.
        assert Complaint.objects.get(pk=complaint.pk).state == source
        return
    after = Complaint.objects.get(pk=complaint.pk).state
    assert after in (*transition.targets, source)
    if not transition.targets:
        assert after == source


def test_a_write_outside_a_step_or_to_an_unlisted_state_is_refused(organisation, people):
    complaint = _complaint("livp", State.IN_PROGRESS, people)
    with pytest.raises(TransitionError):
        state_move(complaint, State.SETTLED, actor=None, kind="x", summary="x")
    assert Complaint.objects.get(pk=complaint.pk).state == State.IN_PROGRESS
