"""The JSON API, version 1: register complaints and read them back.

Thin views: the services register, `complaint_get_visible` / `complaints_visible_to`
decide what a caller may see, and the workflow table says which actions are open.
"""

import uuid

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Header, NinjaAPI, P, Query, Status

from klachtroute.cases.deadlines import DEADLINE_FIELDS
from klachtroute.cases.models import Complaint, RespondentType
from klachtroute.cases.selectors import complaint_get_visible, complaints_worklist
from klachtroute.cases.services import complaint_register
from klachtroute.cases.workflow import State, actions_for
from klachtroute.organisation.models import Course

from .auth import ApiTokenAuth
from .errors import ApiFieldError, JsonParser, install_exception_handlers
from .schemas import (
    ComplaintIn,
    ComplaintListOut,
    ComplaintListQuery,
    ComplaintOut,
    ErrorOut,
    ValidationErrorOut,
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


def _person(user) -> dict | None:
    return {"id": user.pk, "name": user.display_name} if user is not None else None


def _local(value):
    return timezone.localtime(value) if value is not None else None


def _deadlines(complaint: Complaint) -> dict:
    return {key: getattr(complaint, due) for key, (due, _done) in DEADLINE_FIELDS.items()}


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
        "acknowledged_at": _local(complaint.acknowledged_at),
        "settled_at": _local(complaint.settled_at),
        "outcome": complaint.outcome or None,
        "actions": [t.action for t in actions_for(user, complaint)],
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
    summary="The complaints the caller may see, nearest deadline first",
)
def complaint_list(request, filters: Query[ComplaintListQuery]):
    user = request.auth_user
    qs = complaints_worklist(user=user, state=filters.state or "")
    page = list(qs[filters.offset : filters.offset + filters.limit])
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
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
