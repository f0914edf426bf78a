"""Free text that reaches the complainant says so on the form.

Every action form names the fields whose text the complainant receives
(`ActionForm.to_complainant`); each of those shows the notice next to the field. Each step
is then taken through its service with every free-text field filled with its own marker:
the markers that reach the complainant, in a letter or a message, are exactly the fields the
form names."""

import datetime as dt
import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from klachtroute.cases.action_forms import TO_COMPLAINANT
from klachtroute.cases.actions import action_form, action_perform
from klachtroute.cases.models import Complaint
from klachtroute.cases.views import ActionPanel, _form_for
from klachtroute.cases.workflow import TRANSITIONS, State
from klachtroute.notifications.models import OutboxMessage

from .test_state_machine import payload
from .test_workflow import AWB_FEATURES, GUARD_SATISFIED, LSR_FEATURES, MAY_ACT, _complaint

pytestmark = pytest.mark.django_db

NOTICE = "De klager ontvangt deze tekst."

# A step that needs an earlier step of the procedure first: that step, from this state.
EARLIER = {
    "approve_solution": ("propose_solution", State.IN_PROGRESS),
    "reject_solution": ("propose_solution", State.IN_PROGRESS),
    "accept_findings": ("share_findings", State.IN_PROGRESS),
    "reject_findings": ("share_findings", State.IN_PROGRESS),
    "submit_defence": ("request_defence", State.WITH_DIRECTOR),
    "plan_follow_up": ("record_binding_advice", State.WITH_THIRD_PARTY),
    "complete_follow_up": ("record_binding_advice", State.WITH_THIRD_PARTY),
}
# A step whose text the complainant receives with the step that follows: the inadmissibility
# is explained in the answer the handler gives the complainant.
LATER = {"judge_inadmissible": "answer_inadmissible"}
# The director rules on a complaint that was declared inadmissible: the motivation alone.
VARIANTS = {"rule": ({}, {"admissible": False})}

CASES = [(t, fields) for t in TRANSITIONS for fields in VARIANTS.get(t.action, ({},))]
IDS = [t.action + ("-inadmissible" if fields else "") for t, fields in CASES]


def _preset(transition) -> str:
    if transition.feature in AWB_FEATURES:
        return "awb9"
    return "lsr" if transition.feature in LSR_FEATURES else "livp"


def _actor(action, people):
    return people[sorted(MAY_ACT[action])[0]]


def _take(complaint, action, people, data=None, files=None, actor=None):
    data = data or payload(action, complaint, people, timezone.localdate())
    return action_perform(
        complaint=complaint,
        action=action,
        actor=actor or _actor(action, people),
        data=data,
        files=files,
        confirmed=True,
    )


def _ready(transition, people, **extra) -> Complaint:
    """A complaint in which the step can be taken now."""
    fields = {
        "category": "trainer",
        **GUARD_SATISFIED.get(transition.action, {}),
        **GUARD_SATISFIED.get(LATER.get(transition.action, ""), {}),
        **extra,
    }
    if transition.action == "record_first_contact":
        fields["received_at"] = timezone.now() - dt.timedelta(days=1)
    earlier, state = EARLIER.get(transition.action, (None, transition.sources[0]))
    complaint = _complaint(_preset(transition), state, people, **fields)
    if earlier:
        _take(complaint, earlier, people)
    if transition.action == "complete_follow_up":
        _follow_ups_plan(complaint, people)
    return Complaint.objects.get(pk=complaint.pk)


def _follow_ups_plan(complaint, people) -> None:
    """A point of a binding advice is ticked off only once it has an owner and a date."""
    from klachtroute.measures.services import follow_up_plan

    for ruling in complaint.rulings.all():
        for point in ruling.follow_ups.all():
            follow_up_plan(
                complaint=complaint,
                actor=people["director"],
                follow_up_id=point.pk,
                owner=people["director"],
                due_date=timezone.localdate() + dt.timedelta(days=30),
            )


def _free_text(form) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and not isinstance(field, forms.ChoiceField)
    ]


def _marker(name: str) -> str:
    return f"Tekst-van-{name}-hier"


def _to_complainant(complaint) -> str:
    messages = OutboxMessage.objects.filter(complaint=complaint).filter(
        Q(to=complaint.complainant_email) | Q(to="", recipient_name=complaint.complainant_name)
    )
    return "\n".join(f"{m.subject}\n{m.body}" for m in messages)


@pytest.mark.parametrize("transition, fields", CASES, ids=IDS)
def test_each_field_whose_text_reaches_the_complainant_shows_the_notice_beside_it(
    organisation, people, transition, fields
):
    complaint = _ready(transition, people, **fields)
    form = _form_for(transition.action, complaint, _actor(transition.action, people))
    named = form.complainant_fields()
    for pattern in form.to_complainant:
        if transition.action == "rule" and fields and pattern != "motivation":
            continue  # no verdict, no remedy and no criteria for an inadmissibility
        assert any(re.fullmatch(pattern.replace("*", ".+"), n) for n in named), pattern
    html = render_to_string(
        "cases/partials/action_panel.html",
        {
            "panel": ActionPanel(transition.action, str(transition.label), form),
            "complaint": complaint,
        },
    )
    for name in named:
        bound = form[name]
        assert str(TO_COMPLAINANT) in str(bound.help_text)
        hint = re.search(rf'<p class="hint" id="{bound.auto_id}_helptext">([^<]*)</p>', html)
        assert hint and escape(NOTICE) in hint.group(1), name
        assert f'aria-describedby="{bound.auto_id}_helptext"' in html, name
    for name in set(form.fields) - set(named):
        assert NOTICE not in str(form.fields[name].help_text), name


@pytest.mark.parametrize("transition, fields", CASES, ids=IDS)
def test_the_complainant_receives_the_text_of_exactly_the_fields_the_form_names(
    organisation, people, transition, fields
):
    complaint = _ready(transition, people, **fields)
    actor = _actor(transition.action, people)
    data = payload(transition.action, complaint, people, timezone.localdate())
    if transition.action == "decide_outcome":
        data["remedy_due"] = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    if transition.action == "record_first_contact":
        data["contacted_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    form = action_form(transition.action, complaint, actor, data)
    texts = _free_text(form)
    data.update({name: _marker(name) for name in texts})
    files = {"document": SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n", "application/pdf")}
    OutboxMessage.objects.all().delete()
    _take(complaint, transition.action, people, data, files)
    if transition.action in LATER:
        later = Complaint.objects.get(pk=complaint.pk)
        _take(later, LATER[transition.action], people, actor=later.handler)
    received = _to_complainant(complaint)
    assert {n for n in texts if _marker(n) in received} == set(form.complainant_fields())
