"""The JSON API, version 1: register complaints, read them back and take workflow actions.

Thin views: the services register, `complaint_get_visible` / `complaints_visible_to`
decide what a caller may see, the workflow table says which actions are open, and
`klachtroute.cases.actions` carries an action out with the same form as the staff pages.
"""

import json
import uuid
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Header, NinjaAPI, P, Path, Query, Status

from klachtroute.cases.actions import ACTIONS, action_form, action_perform
from klachtroute.cases.models import Complaint, RespondentType
from klachtroute.cases.selectors import (
    WorklistKey,
    complaint_get_visible,
    complaint_get_visible_or_404,
    complaints_after,
    complaints_worklist,
)
from klachtroute.cases.services import complaint_register
from klachtroute.cases.workflow import TRANSITIONS_BY_ACTION, transition_check
from klachtroute.organisation.models import Course

from .auth import ApiTokenAuth
from .errors import (
    REGISTRATION_FIELDS,
    ApiValidationError,
    JsonParser,
    field_error,
    install_exception_handlers,
    validation_errors,
)
from .schemas import (
    SUMMARY_FIELDS,
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


def complaint_representation(complaint: Complaint, user) -> ComplaintOut:
    """The complaint as its schema describes it, with the actions `user` may take."""
    return ComplaintOut.of(complaint, user)


def _visible_or_404(user, number: str) -> Complaint:
    return complaint_get_visible_or_404(user=user, number=number)


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
        raise ValidationError(errors)

    try:
        complaint = _register(user, payload, course, respondent, idempotency_key)
    except ValidationError as error:
        raise ApiValidationError(validation_errors(error, fields=REGISTRATION_FIELDS)) from None
    complaint = _visible_or_404(user, complaint.number)
    response["Location"] = f"{request.path.rstrip('/')}/{complaint.number}"
    return Status(201, complaint_representation(complaint, user))


def _register(user, payload: ComplaintIn, course, respondent, idempotency_key) -> Complaint:
    complainant = payload.complainant
    return complaint_register(
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
    qs = complaints_worklist(user=user, state=filters.state or "").only(*SUMMARY_FIELDS)
    if filters.cursor:
        qs = complaints_after(qs, cursor_decode(filters.cursor))
    start = filters.offset or 0  # the deprecated way of older clients
    # One row more than asked tells whether there is a next page, without counting.
    rows = list(qs[start : start + filters.limit + 1])
    page = rows[: filters.limit]
    cursor = cursor_encode(WorklistKey.of(page[-1])) if len(rows) > filters.limit else None
    following = {"state": filters.state, "limit": filters.limit, "cursor": cursor}
    query = urlencode({key: value for key, value in following.items() if value})
    return {
        "limit": filters.limit,
        "next_cursor": cursor,
        "next": request.build_absolute_uri(f"{request.path}?{query}") if cursor else None,
        "offset": filters.offset,
        "items": page,
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
        if name == "rule":
            described.append(
                "`criterion_<code>` (in_order | not_in_order | not_applicable, required) and "
                "`criterion_<code>_note` (string) for every criterion of the complaint's "
                "category; for a complaint declared inadmissible instead `inadmissibility` "
                "(justified | unjustified, required) and `motivation`"
            )
        transition = TRANSITIONS_BY_ACTION[name]
        if transition.needs_confirmation:
            described.append("`confirm` (true, required: this step closes or ends a right)")
        label = transition.label
        lines.append(f"- `{name}` ({label}): " + (", ".join(described) or "no fields"))
    return "\n".join(lines)


ACTION_DESCRIPTION = (
    "Takes one step of the complaint's procedure, with the same checks as the staff pages: "
    "the state, the caller's right to take it, and the fields.\n\n"
    "The body is a JSON object with the action's fields (an empty body or `{}` for an action "
    "without fields). Dates as `YYYY-MM-DD`, date-times in ISO 8601 with an offset, people "
    "and follow-up items by id. Unknown keys are refused. `GET /complaints/{number}` lists "
    "in `actions` exactly the actions the caller may take now.\n\n"
    "A step that may close the complaint or ends a right of the complainant (settling, a "
    "ruling or outcome, a binding advice and ticking off its points, closing without appeal, "
    "withdrawal, the director's own decision; marked below) is taken only "
    'with `"confirm": true` in the body; without it the answer is 422 on `confirm`.\n\n'
    "Answers: 200 with the complaint (as `GET`); for `reopen` 201 with the new complaint. "
    "403: not this caller's step; 404: no such complaint for this caller, or an action "
    "that does not exist in its procedure; 409: not possible in the current state; 422: "
    "invalid fields or a body that is not a JSON object.\n\n"
    "Actions and their fields:\n\n"
)


def _action_body(request) -> tuple[dict, bool]:
    """The JSON object of the request, as data for the action's form, and whether it
    confirms the step (`"confirm": true`)."""
    raw = request.body
    if not raw.strip():
        return {}, False
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise ApiValidationError(
            [field_error(None, _("De body is geen geldige JSON."), "json_invalid")]
        ) from None
    if not isinstance(body, dict):
        raise ApiValidationError([field_error(None, _("Verwacht een JSON-object."), "model_type")])
    data, errors = {}, []
    confirm = body.pop("confirm", False)
    if not isinstance(confirm, bool):
        errors.append(field_error("confirm", _("Geef true of false."), "bool_type"))
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
    return data, confirm is True


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
    data, confirmed = _action_body(request)
    # `version` (optional): the complaint's updated_at as read; refused with 409 when stale.
    known = {*action_form(action, complaint, user).fields, "version"}
    unknown = [key for key in data if key not in known]
    if unknown:
        raise ApiValidationError(
            [field_error(key, _("Onbekend veld."), "extra_forbidden") for key in unknown]
        )
    result = action_perform(
        complaint=complaint, action=action, actor=user, data=data, confirmed=confirmed
    )
    if action == "reopen":
        new = _visible_or_404(user, result.number)
        response["Location"] = f"{request.path.split('/complaints/')[0]}/complaints/{new.number}"
        return Status(201, complaint_representation(new, user))
    return complaint_representation(_visible_or_404(user, number), user)
