"""The JSON API, version 1: register complaints, read them back and take workflow actions.

Thin views: the services register, `complaint_get_visible` / `complaints_visible_to`
decide what a caller may see, the workflow table says which actions are open, and
`klachtroute.cases.actions` carries an action out with the same form as the staff pages.
"""

import json
import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Header, NinjaAPI, P, Path, Query, Status

from klachtroute.cases.actions import ACTIONS, action_form, action_perform
from klachtroute.cases.deadlines import deadline_state, deadline_states, deadlines_by_key
from klachtroute.cases.models import Complaint, RespondentType
from klachtroute.cases.selectors import (
    WorklistKey,
    complaint_get_visible,
    complaints_after,
    complaints_worklist,
)
from klachtroute.cases.services import complaint_register
from klachtroute.cases.workflow import TRANSITIONS_BY_ACTION, State, actions_for, transition_check
from klachtroute.organisation.models import Course

from .auth import ApiTokenAuth
from .errors import (
    ApiFieldError,
    ApiValidationError,
    JsonParser,
    field_error,
    form_errors,
    install_exception_handlers,
)
from .schemas import (
    ComplaintIn,
    ComplaintListOut,
    ComplaintListQuery,
    ComplaintOut,
    ErrorOut,
    ValidationErrorOut,
    cursor_decode,
    cursor_encode,
)

User = get_user_model()

api = NinjaAPI(
    title="Klachtroute API",
    version="1",
    description=(
        "Register complaints and read them back. Authenticate with a personal token: "
        "`Authorization: Bearer TOKEN` (created in the admin or with "
        "`python manage.py api_token USERNAME`). Invalid input is answered with 422 "
        "and a list of field errors."
    ),
    urls_namespace="api-v1",
    auth=ApiTokenAuth(),
    parser=JsonParser(),
)
install_exception_handlers(api)

secretariat_only = ApiTokenAuth(
    role="secretariat",
    refusal=gettext_lazy("Alleen het secretariaat mag klachten registreren."),
)

COMMON_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
ACTION_ERRORS = {**COMMON_ERRORS, 409: ErrorOut}


def _person(user) -> dict | None:
    return {"id": user.pk, "name": user.display_name} if user is not None else None


def _local(value):
    return timezone.localtime(value) if value is not None else None


def _deadlines(complaint: Complaint) -> dict:
    return deadlines_by_key(complaint)


def complaint_representation(complaint: Complaint, user) -> dict:
    version = complaint.procedure_version
    return {
        "number": complaint.number,
        "state": complaint.state,
        "state_label": str(State(complaint.state).label),
        "channel": complaint.channel,
        "received_at": _local(complaint.received_at),
        "procedure": {
            "code": version.procedure.code,
            "name": version.procedure.name,
            "version": version.label,
            "effective_from": version.effective_from,
        },
        "complainant": {
            "name": complaint.complainant_name,
            "email": complaint.complainant_email,
            "phone": complaint.complainant_phone,
            "address": complaint.complainant_address,
            "language": complaint.complainant_language,
            "representative": complaint.representative_name,
        },
        "course": {"id": complaint.course.pk, "name": complaint.course.name}
        if complaint.course_id
        else None,
        "course_other": complaint.course_other,
        "complaint_date": complaint.complaint_date,
        "description": complaint.description,
        "remedy_sought": complaint.remedy_sought,
        "respondent": {
            "type": complaint.respondent_type,
            "person": _person(complaint.respondent) if complaint.respondent_id else None,
            "description": complaint.respondent_description,
        },
        "category": complaint.category or None,
        "handler": _person(complaint.handler) if complaint.handler_id else None,
        "deadlines": _deadlines(complaint),
        "deadline_status": [
            {"key": s.key, "label": s.label, "due": s.due, "status": str(s.status)}
            for s in deadline_states(complaint, timezone.localdate())
        ],
        "acknowledged_at": _local(complaint.acknowledged_at),
        "settled_at": _local(complaint.settled_at),
        "outcome": complaint.outcome or None,
        "actions": [t.action for t in actions_for(user, complaint) if t.action in ACTIONS],
        **_dossier(complaint),
        "events": [
            {
                "at": _local(event.at),
                "actor": event.actor_label,
                "kind": event.kind,
                "summary": event.summary,
                "before": event.before,
                "after": event.after,
            }
            for event in complaint.events.order_by("at", "id")
        ],
    }


def _first_contact(complaint: Complaint) -> dict | None:
    if not (complaint.first_contact_due or complaint.first_contact_at):
        return None
    state = deadline_state(complaint, "first_contact", timezone.localdate())
    on_time = state.met if state else None
    return {
        "due": complaint.first_contact_due,
        "at": _local(complaint.first_contact_at),
        "method": complaint.first_contact_method,
        "note": complaint.first_contact_note,
        "on_time": on_time,
    }


def _dossier(complaint: Complaint) -> dict:
    """What the steps recorded: solutions and approvals, findings, defence, rulings, measures."""
    return {
        "defence_due": complaint.defence_due,
        "first_contact": _first_contact(complaint),
        "admissibility": None
        if complaint.admissible is None
        else {
            "admissible": complaint.admissible,
            "reason": complaint.admissibility_reason,
            "answer": complaint.inadmissible_answer,
        },
        "solutions": [
            {
                "id": s.pk,
                "text": s.text,
                "status": s.status,
                "proposed_at": _local(s.proposed_at),
                "approvals": [
                    {
                        "party": a.party,
                        "decision": a.decision,
                        "reason": a.reason,
                        "decided_at": _local(a.decided_at),
                        "recorded_by": a.recorded_by.display_name if a.recorded_by_id else None,
                    }
                    for a in s.approvals.all()
                ],
            }
            for s in complaint.solutions.prefetch_related("approvals__recorded_by")
        ],
        "findings": [
            {
                "summary": f.summary,
                "proposed_solution": f.proposed_solution,
                "shared_at": _local(f.shared_at),
                "response": f.response,
                "response_reason": f.response_reason,
                "responded_at": _local(f.responded_at),
                "judgements": [
                    {
                        "criterion": j.criterion,
                        "label": j.label,
                        "judgement": j.judgement,
                        "note": j.note,
                    }
                    for j in f.judgements.all()
                ],
            }
            for f in complaint.findings.prefetch_related("judgements")
        ],
        "defence_requests": [
            {
                "question": d.question,
                "due": d.due,
                "requested_at": _local(d.requested_at),
                "submitted_at": _local(d.submitted_at),
                "defence": d.defence,
            }
            for d in complaint.defence_requests.all()
        ],
        "rulings": [
            {
                "body": r.body,
                "decision": r.decision,
                "motivation": r.motivation,
                "decided_at": _local(r.decided_at),
                "decided_by": r.decided_by_label,
                "follow_ups": [
                    {
                        "id": item.pk,
                        "description": item.description,
                        "done_at": _local(item.done_at),
                        "note": item.note,
                    }
                    for item in r.follow_ups.all()
                ],
            }
            for r in complaint.rulings.prefetch_related("follow_ups")
        ],
        "measures": [
            {
                "id": m.pk,
                "description": m.description,
                "owner": _person(m.owner),
                "due_date": m.due_date,
                "status": m.status,
            }
            for m in complaint.measures.select_related("owner")
        ],
        "extensions": [
            {
                "reason": e.reason,
                "previous_due": e.previous_due,
                "new_due": e.new_due,
                "at": _local(e.at),
            }
            for e in complaint.extensions.all()
        ],
        "reopens": complaint.reopens.number if complaint.reopens_id else None,
    }


def _visible_or_404(user, number: str) -> Complaint:
    complaint = complaint_get_visible(user=user, number=number)
    if complaint is None:
        # The same answer whether the complaint does not exist or is not for this caller.
        raise Http404
    return complaint


@api.post(
    "/complaints",
    auth=secretariat_only,
    response={200: ComplaintOut, 201: ComplaintOut, **COMMON_ERRORS},
    url_name="complaint_create",
    summary="Register a complaint (LIVP-1, LIVP-2, LSR-4a)",
)
def complaint_create(
    request,
    response: HttpResponse,
    payload: ComplaintIn,
    idempotency_key: Header[uuid.UUID | None, P(alias="Idempotency-Key")] = None,
):
    """Registers a complaint received by any channel and starts its procedure.

    Send an `Idempotency-Key` header (a UUID) to make retries safe: a repeat with the
    same key returns the complaint registered the first time, with status 200.
    """
    user = request.auth_user
    if idempotency_key is not None:
        existing = complaint_get_visible_by_token(user, idempotency_key)
        if existing is not None:
            return Status(200, complaint_representation(existing, user))

    errors: dict[str, str] = {}
    if payload.course is not None and payload.course_other:
        errors["course_other"] = _(
            "Kies een opleiding uit de lijst of typ een andere, niet allebei."
        )
    if payload.respondent_id is not None and payload.respondent_type != RespondentType.PERSON:
        errors["respondent_id"] = _("Een beklaagde persoon hoort bij respondent_type ‘person’.")
    course = None
    if payload.course is not None:
        course = Course.objects.filter(pk=payload.course).first()
        if course is None:
            errors["course"] = _("Deze opleiding bestaat niet.")
    respondent = None
    if payload.respondent_id is not None:
        respondent = User.objects.filter(pk=payload.respondent_id, is_active=True).first()
        if respondent is None:
            errors["respondent_id"] = _("Deze persoon bestaat niet.")
    if errors:
        raise ApiFieldError(errors)

    complainant = payload.complainant
    complaint = complaint_register(
        actor=user,
        channel=payload.channel,
        received_at=payload.received_at or timezone.now(),
        complainant_name=complainant.name,
        complainant_email=complainant.email,
        complainant_phone=complainant.phone,
        complainant_address=complainant.address,
        complainant_language=complainant.language,
        representative_name=complainant.representative,
        course=course,
        course_other=payload.course_other,
        complaint_date=payload.complaint_date,
        description=payload.description,
        remedy_sought=payload.remedy_sought,
        respondent_type=payload.respondent_type,
        respondent=respondent,
        respondent_description=payload.respondent_description,
        category=payload.category,
        settled_on_the_spot=payload.settled_on_the_spot,
        submission_token=idempotency_key,
    )
    complaint = _visible_or_404(user, complaint.number)
    response["Location"] = f"{request.path.rstrip('/')}/{complaint.number}"
    return Status(201, complaint_representation(complaint, user))


def complaint_get_visible_by_token(user, token: uuid.UUID) -> Complaint | None:
    number = (
        Complaint.objects.filter(submission_token=token).values_list("number", flat=True).first()
    )
    return complaint_get_visible(user=user, number=number) if number else None


@api.get(
    "/complaints",
    response={200: ComplaintListOut, **COMMON_ERRORS},
    url_name="complaint_list",
    summary="The complaints the caller may see, nearest deadline first, paged by cursor",
)
def complaint_list(request, filters: Query[ComplaintListQuery]):
    user = request.auth_user
    qs = complaints_worklist(user=user, state=filters.state or "")
    if filters.cursor:
        qs = complaints_after(qs, cursor_decode(filters.cursor))
    # One row more than asked tells whether there is a next page, without counting.
    rows = list(qs[: filters.limit + 1])
    page = rows[: filters.limit]
    more = len(rows) > filters.limit
    return {
        "limit": filters.limit,
        "next_cursor": cursor_encode(WorklistKey.of(page[-1])) if more else None,
        "items": [
            {
                "number": c.number,
                "state": c.state,
                "state_label": str(State(c.state).label),
                "channel": c.channel,
                "received_at": _local(c.received_at),
                "complainant_name": c.complainant_name,
                "course": {"id": c.course.pk, "name": c.course.name} if c.course_id else None,
                "course_other": c.course_other,
                "handler": _person(c.handler) if c.handler_id else None,
                "deadlines": _deadlines(c),
                "next_due": c.next_due,
            }
            for c in page
        ],
    }


@api.get(
    "/complaints/{number}",
    response={200: ComplaintOut, **COMMON_ERRORS},
    url_name="complaint_detail",
    summary="One complaint with its deadlines, open actions and history",
)
def complaint_detail(request, number: str):
    user = request.auth_user
    return complaint_representation(_visible_or_404(user, number), user)


# Workflow actions ------------------------------------------------------------------------


def _json_type(field: forms.Field) -> dict:
    """A form field as a JSON schema fragment, for the documentation."""
    if isinstance(field, forms.ModelChoiceField):
        return {"type": "integer", "description": "id"}
    if isinstance(field, forms.DateTimeField):
        return {"type": "string", "format": "date-time"}
    if isinstance(field, forms.DateField):
        return {"type": "string", "format": "date"}
    if isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _label in field.choices if value != ""]
        return {"type": "string", "enum": values} if values else {"type": "string"}
    return {"type": "string"}


def _action_fields_doc() -> str:
    lines = []
    for name, action in ACTIONS.items():
        fields = action.form.base_fields
        described = []
        for key, field in fields.items():
            kind = _json_type(field)
            text = kind.get("format") or kind.get("description") or kind["type"]
            if "enum" in kind:
                text = " | ".join(kind["enum"])
            if key == "follow_ups":
                text = "list of strings"
            described.append(f"`{key}` ({text}{', required' if field.required else ''})")
        if name == "share_findings":
            described.append(
                "`criterion_<code>` (in_order | not_in_order | not_applicable, required) and "
                "`criterion_<code>_note` (string) for every criterion of the complaint's category"
            )
        if name == "judge_admissible":
            described[0] = "`category` (a category code of the procedure, required)"
        label = TRANSITIONS_BY_ACTION[name].label
        lines.append(f"- `{name}` ({label}): " + (", ".join(described) or "no fields"))
    return "\n".join(lines)


ACTION_DESCRIPTION = (
    "Takes one step of the complaint's procedure, with the same checks as the staff pages: "
    "the state, the caller's right to take it, and the fields.\n\n"
    "The body is a JSON object with the action's fields (an empty body or `{}` for an action "
    "without fields). Dates as `YYYY-MM-DD`, date-times in ISO 8601 with an offset, people "
    "and follow-up items by id. Unknown keys are refused. `GET /complaints/{number}` lists "
    "in `actions` exactly the actions the caller may take now.\n\n"
    "Answers: 200 with the complaint (as `GET`); for `reopen` 201 with the new complaint. "
    "403: not this caller's step; 404: no such complaint for this caller, or an action "
    "that does not exist in its procedure; 409: not possible in the current state; 422: "
    "invalid fields or a body that is not a JSON object.\n\n"
    "Actions and their fields:\n\n"
)


def _action_body(request) -> dict:
    """The JSON object of the request, as data for the action's form."""
    raw = request.body
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise ApiValidationError(
            [field_error(None, _("De body is geen geldige JSON."), "json_invalid")]
        ) from None
    if not isinstance(body, dict):
        raise ApiValidationError([field_error(None, _("Verwacht een JSON-object."), "model_type")])
    data, errors = {}, []
    for key, value in body.items():
        if value is None:
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "\n".join(value)  # e.g. follow_ups: one item per line, as in the page
        elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
            errors.append(field_error(key, _("Ongeldige waarde."), "type_error"))
            continue
        if isinstance(value, str) and "\x00" in value:
            errors.append(field_error(key, _("Tekst mag geen NUL-tekens bevatten."), "value_error"))
            continue
        data[key] = value
    if errors:
        raise ApiValidationError(errors)
    return data


@api.post(
    "/complaints/{number}/actions/{action}",
    response={200: ComplaintOut, 201: ComplaintOut, **ACTION_ERRORS},
    url_name="complaint_action",
    summary="Take a workflow action on a complaint",
    description=ACTION_DESCRIPTION + _action_fields_doc(),
    openapi_extra={
        "parameters": [
            {
                "in": "path",
                "name": "action",
                "required": True,
                "description": "One of the actions; `actions` in GET lists those open now.",
                "schema": {"type": "string", "enum": list(ACTIONS)},
            }
        ],
        "requestBody": {
            "required": False,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "additionalProperties": True,
                        "description": "The action's fields; see the list above.",
                    },
                    "examples": {
                        "record_first_contact": {
                            "value": {
                                "method": "phone",
                                "contacted_at": "2026-03-03T10:30:00+01:00",
                                "note": "Gebeld.",
                            }
                        },
                        "approve_solution": {"value": {"party": "complainant"}},
                        "judge_admissible": {
                            "value": {
                                "category": "trainer",
                                "respondent_type": "person",
                                "respondent": 12,
                            }
                        },
                        "record_binding_advice": {
                            "value": {"advice": "…", "follow_ups": ["Extra les", "Excuses"]}
                        },
                    },
                }
            },
        },
    },
)
def complaint_action(
    request,
    response: HttpResponse,
    number: str,
    # Documented below with its enum; a name not in it is answered with 404, not 422.
    action: Path[str, P(include_in_schema=False)],
):
    user = request.auth_user
    complaint = _visible_or_404(user, number)
    if action not in ACTIONS:
        raise Http404
    transition_check(user, complaint, action)  # 403, 404 or 409 before the body is judged
    data = _action_body(request)
    # `version` (optional): the complaint's updated_at as read; refused with 409 when stale.
    known = {*action_form(action, complaint, user).fields, "version"}
    unknown = [key for key in data if key not in known]
    if unknown:
        raise ApiValidationError(
            [field_error(key, _("Onbekend veld."), "extra_forbidden") for key in unknown]
        )
    try:
        result = action_perform(complaint=complaint, action=action, actor=user, data=data)
    except ValidationError as error:
        raise ApiValidationError(form_errors(error)) from None
    if action == "reopen":
        new = _visible_or_404(user, result.number)
        response["Location"] = f"{request.path.split('/complaints/')[0]}/complaints/{new.number}"
        return Status(201, complaint_representation(new, user))
    return complaint_representation(_visible_or_404(user, number), user)
