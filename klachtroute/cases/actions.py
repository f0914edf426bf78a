"""Carrying out a workflow action by name, for the staff pages and the API alike.

`action_perform` checks that the person may take the action now (TransitionError with
403/404/409), validates the input with the action's form (ValidationError with the
form's field errors), and calls the service. Nothing changes when any of it fails.

Two people acting on the same page state (issue 5.8): the record page's forms carry the
complaint's `updated_at` as `version`; when it is given and the complaint has changed since,
the action is refused with 409 instead of silently overwriting the other person's work.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import action_forms as f
from . import services as s
from .models import Complaint
from .workflow import TransitionError, transition_check

VERSION_FIELD = "version"


@dataclass(frozen=True)
class Action:
    form: type[f.ActionForm]
    run: Callable  # (complaint, actor, form) -> result


def _d(form: f.ActionForm) -> dict:
    return form.cleaned_data


ACTIONS: dict[str, Action] = {
    "assign_handler": Action(
        f.AssignHandlerForm,
        lambda c, a, fm: s.complaint_assign_handler(
            complaint=c, handler=_d(fm)["handler"], actor=a
        ),
    ),
    "correct_received_at": Action(
        f.CorrectReceivedAtForm,
        lambda c, a, fm: s.complaint_correct_received_at(
            complaint=c, received_at=_d(fm)["received_at"], actor=a
        ),
    ),
    "set_respondent": Action(
        f.RespondentForm,
        lambda c, a, fm: s.respondent_set(
            complaint=c,
            actor=a,
            respondent_type=_d(fm)["respondent_type"],
            respondent=_d(fm)["respondent"],
            description=_d(fm)["description"],
        ),
    ),
    "extend": Action(
        f.ExtendForm,
        lambda c, a, fm: s.settlement_extend(
            complaint=c, actor=a, reason=_d(fm)["reason"], new_due=_d(fm)["new_due"]
        ),
    ),
    "propose_measure": Action(
        f.MeasureForm,
        lambda c, a, fm: s.measure_propose(
            complaint=c,
            actor=a,
            description=_d(fm)["description"],
            owner=_d(fm)["owner"],
            due_date=_d(fm)["due_date"],
        ),
    ),
    "withdraw": Action(
        f.ReasonForm,
        lambda c, a, fm: s.complaint_withdraw(complaint=c, actor=a, reason=_d(fm)["reason"]),
    ),
    "reopen": Action(
        f.ReopenForm,
        lambda c, a, fm: s.complaint_reopen(complaint=c, actor=a, new_facts=_d(fm)["new_facts"]),
    ),
    "record_first_contact": Action(
        f.FirstContactForm,
        lambda c, a, fm: s.first_contact_record(
            complaint=c,
            actor=a,
            method=_d(fm)["method"],
            contacted_at=_d(fm)["contacted_at"],
            note=_d(fm)["note"],
        ),
    ),
    "propose_solution": Action(
        f.SolutionForm,
        lambda c, a, fm: s.solution_propose(complaint=c, actor=a, text=_d(fm)["text"]),
    ),
    "approve_solution": Action(
        f.PartyDecisionForm,
        lambda c, a, fm: s.solution_decide(
            complaint=c, actor=a, party=_d(fm)["party"], approve=True, reason=_d(fm)["reason"]
        ),
    ),
    "reject_solution": Action(
        f.PartyDecisionForm,
        lambda c, a, fm: s.solution_decide(
            complaint=c, actor=a, party=_d(fm)["party"], approve=False, reason=_d(fm)["reason"]
        ),
    ),
    "declare_no_agreement": Action(
        f.ReasonForm,
        lambda c, a, fm: s.no_agreement_declare(complaint=c, actor=a, reason=_d(fm)["reason"]),
    ),
    "appeal_to_third_party": Action(
        f.NoteForm, lambda c, a, fm: s.third_party_appeal(complaint=c, actor=a, note=_d(fm)["note"])
    ),
    "close_without_appeal": Action(
        f.NoteForm, lambda c, a, fm: s.no_appeal_close(complaint=c, actor=a, note=_d(fm)["note"])
    ),
    "record_binding_advice": Action(
        f.BindingAdviceForm,
        lambda c, a, fm: s.binding_advice_record(
            complaint=c, actor=a, advice=_d(fm)["advice"], follow_ups=_d(fm)["follow_ups"]
        ),
    ),
    "complete_follow_up": Action(
        f.FollowUpForm,
        lambda c, a, fm: s.follow_up_complete(
            complaint=c, actor=a, follow_up_id=_d(fm)["follow_up"].pk, note=_d(fm)["note"]
        ),
    ),
    "judge_admissible": Action(
        f.AdmissibleForm,
        lambda c, a, fm: s.admissible_declare(
            complaint=c,
            actor=a,
            category=_d(fm)["category"],
            respondent_type=_d(fm)["respondent_type"],
            respondent=_d(fm)["respondent"],
            reason=_d(fm)["reason"],
        ),
    ),
    "judge_inadmissible": Action(
        f.InadmissibleForm,
        lambda c, a, fm: s.inadmissible_declare(
            complaint=c,
            actor=a,
            ground=_d(fm)["ground"],
            reason=_d(fm)["reason"],
            respondent_type=_d(fm)["respondent_type"],
            respondent=_d(fm)["respondent"],
        ),
    ),
    "answer_inadmissible": Action(
        f.AnswerForm,
        lambda c, a, fm: s.inadmissible_answer(complaint=c, actor=a, answer=_d(fm)["answer"]),
    ),
    "close_inadmissible": Action(
        f.EmptyForm, lambda c, a, fm: s.inadmissible_close(complaint=c, actor=a)
    ),
    "share_findings": Action(
        f.FindingsForm,
        lambda c, a, fm: s.findings_share(
            complaint=c,
            actor=a,
            summary=_d(fm)["summary"],
            proposed_solution=_d(fm)["proposed_solution"],
            judgements=fm.judgements(),
        ),
    ),
    "accept_findings": Action(
        f.EmptyForm, lambda c, a, fm: s.findings_respond(complaint=c, actor=a, agree=True)
    ),
    "reject_findings": Action(
        f.ReasonForm,
        lambda c, a, fm: s.findings_respond(
            complaint=c, actor=a, agree=False, reason=_d(fm)["reason"]
        ),
    ),
    "send_procedure": Action(
        f.NoteForm, lambda c, a, fm: s.procedure_send(complaint=c, actor=a, note=_d(fm)["note"])
    ),
    "escalate_to_director": Action(
        f.NoteForm, lambda c, a, fm: s.director_escalate(complaint=c, actor=a, note=_d(fm)["note"])
    ),
    "request_defence": Action(
        f.DefenceRequestForm,
        lambda c, a, fm: s.defence_request(
            complaint=c, actor=a, question=_d(fm)["question"], due=_d(fm)["due"]
        ),
    ),
    "submit_defence": Action(
        f.DefenceForm,
        lambda c, a, fm: s.defence_submit(complaint=c, actor=a, defence=_d(fm)["defence"]),
    ),
    "rule": Action(
        f.RulingForm,
        lambda c, a, fm: s.director_rule(
            complaint=c, actor=a, decision=_d(fm)["decision"], motivation=_d(fm)["motivation"]
        ),
    ),
    "director_decides": Action(
        f.MotivationForm,
        lambda c, a, fm: s.director_decide(complaint=c, actor=a, motivation=_d(fm)["motivation"]),
    ),
    "record_exam_ruling": Action(
        f.RulingForm,
        lambda c, a, fm: s.exam_ruling_record(
            complaint=c, actor=a, decision=_d(fm)["decision"], motivation=_d(fm)["motivation"]
        ),
    ),
}


def action_form(action: str, complaint: Complaint, user, data=None) -> f.ActionForm:
    return ACTIONS[action].form(data, complaint=complaint, user=user)


def _same_version(given: str, complaint: Complaint) -> bool:
    """Whether `given` (the form's `updated_at.isoformat()`) is the complaint's last save."""
    try:
        return dt.datetime.fromisoformat(given.strip()) == complaint.updated_at
    except (TypeError, ValueError):
        return False


def action_perform(*, complaint: Complaint, action: str, actor, data: dict):
    """Check, validate and carry out one action. Returns what the service returned."""
    transition_check(actor, complaint, action)
    form = action_form(action, complaint, actor, data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    given = data.get(VERSION_FIELD) if hasattr(data, "get") else None
    if not given:
        return ACTIONS[action].run(complaint, actor, form)
    with transaction.atomic():
        # The service locks the row again in this same transaction; comparing under the
        # lock means that of two saves built from the same page, the second always sees
        # the first one's change.
        locked = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
        if not _same_version(str(given), locked):
            raise TransitionError(
                _(
                    "Iemand anders heeft deze klacht intussen gewijzigd; bekijk de nieuwe "
                    "stand en probeer het opnieuw."
                ),
                status=409,
            )
        return ACTIONS[action].run(complaint, actor, form)
