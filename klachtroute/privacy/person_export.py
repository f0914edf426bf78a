"""Everything the system holds about one person (AVG art. 15), without other people's
personal data.

A complainant is found by e-mail address or by name (exact, case-insensitive). Their
export holds the facts of their complaints that concern them, the messages sent to them,
their decisions on solutions and their responses to findings, the documents they sent
(name, date, size) and the events of their complaints. Staff names appear where staff
acted in their role; the respondent's name is left out, and so is every other complainant.

A respondent is a user account. Their export holds the account, the complaints about them
without the complainant's name, contact details or free text, their defences, the
measures they own, the events they performed and the messages sent to them, with the
names and addresses of complainants blanked out.
"""

import json
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from klachtroute.cases.models import Approval, Complaint, DefenceRequest, Event, Findings, Party
from klachtroute.letters.pdf import html_to_pdf
from klachtroute.measures.models import Measure
from klachtroute.notifications.models import OutboxMessage
from klachtroute.notifications.redact import link_tokens_redacted

User = get_user_model()

COMPLAINANT_MARK = "[klager]"
RESPONDENT_MARK = "[beklaagde]"


@dataclass(frozen=True)
class PersonQuery:
    email: str = ""
    name: str = ""
    user_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.email or self.name or self.user_id)


def _iso(value):
    return value.isoformat() if value else None


def _blank(text: str, replacements: dict[str, str]) -> str:
    """Replace other people's names and addresses in a free text by a neutral mark."""
    text = text or ""
    for needle, mark in sorted(replacements.items(), key=lambda kv: -len(kv[0])):
        if needle and len(needle) >= 3:
            lowered, needle_l = text.lower(), needle.lower()
            start = lowered.find(needle_l)
            while start != -1:
                text = text[:start] + mark + text[start + len(needle) :]
                lowered = text.lower()
                start = lowered.find(needle_l, start + len(mark))
    return text


def _respondent_marks(complaint: Complaint) -> dict[str, str]:
    marks = {complaint.respondent_description: RESPONDENT_MARK}
    if complaint.respondent_id:
        marks[complaint.respondent.display_name] = RESPONDENT_MARK
        marks[complaint.respondent.email] = RESPONDENT_MARK
    return marks


def _complainant_marks(complaint: Complaint) -> dict[str, str]:
    return {
        complaint.complainant_name: COMPLAINANT_MARK,
        complaint.complainant_email: COMPLAINANT_MARK,
        complaint.complainant_phone: COMPLAINANT_MARK,
        complaint.representative_name: COMPLAINANT_MARK,
        **{line.strip(): COMPLAINANT_MARK for line in complaint.complainant_address.splitlines()},
    }


# Complainant -----------------------------------------------------------------------------


def complaints_of_complainant(query: PersonQuery):
    match = Q()
    if query.email:
        match |= Q(complainant_email__iexact=query.email.strip())
    if query.name:
        match |= Q(complainant_name__iexact=query.name.strip())
    if not match:
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(match)
        .select_related("course", "handler", "respondent")
        .order_by("received_at", "id")
    )


def _messages_to_complainant(complaint: Complaint):
    to_them = Q(recipient_name__iexact=complaint.complainant_name) & Q(to="")
    if complaint.complainant_email:
        to_them |= Q(to__iexact=complaint.complainant_email)
    return complaint.messages.filter(to_them).order_by("created_at", "id")


def _documents_of_complainant(complaint: Complaint):
    """Documents the complainant sent: uploaded without a staff account (the web form, the
    status link), or the scan registered together with their complaint."""
    for document in complaint.documents.order_by("uploaded_at", "id"):
        at_registration = (
            document.uploaded_by_id == complaint.registered_by_id
            and complaint.created_at
            and abs((document.uploaded_at - complaint.created_at).total_seconds()) < 60
        )
        if document.uploaded_by_id is None or at_registration:
            yield document


def complainant_export(query: PersonQuery) -> dict:
    complaints = list(complaints_of_complainant(query))
    result = []
    for complaint in complaints:
        marks = _respondent_marks(complaint)
        approvals = Approval.objects.filter(
            solution__complaint=complaint, party=Party.COMPLAINANT
        ).select_related("solution")
        findings = Findings.objects.filter(complaint=complaint).exclude(response="")
        result.append(
            {
                "number": complaint.number,
                "received_at": _iso(complaint.received_at),
                "channel": complaint.get_channel_display(),
                "name": complaint.complainant_name,
                "email": complaint.complainant_email,
                "phone": complaint.complainant_phone,
                "address": complaint.complainant_address,
                "language": complaint.complainant_language,
                "representative": complaint.representative_name,
                "course": complaint.course_label,
                "complaint_date": _iso(complaint.complaint_date),
                "description": complaint.description,
                "remedy_sought": complaint.remedy_sought,
                "state": complaint.get_state_display(),
                "acknowledged_at": _iso(complaint.acknowledged_at),
                "settle_due": _iso(complaint.settle_due),
                "settled_at": _iso(complaint.settled_at),
                "outcome": complaint.get_outcome_display() if complaint.outcome else "",
                "handler": complaint.handler.display_name if complaint.handler_id else "",
                "messages": [
                    {
                        "date": _iso(m.created_at),
                        "to": m.to or m.recipient_name,
                        "subject": m.subject,
                        "body": link_tokens_redacted(_blank(m.body, marks)),
                        "status": m.get_status_display(),
                    }
                    for m in _messages_to_complainant(complaint)
                ],
                "approvals": [
                    {
                        "solution": _blank(a.solution.text, marks),
                        "decision": a.get_decision_display(),
                        "reason": a.reason,
                        "decided_at": _iso(a.decided_at),
                    }
                    for a in approvals
                ],
                "findings_responses": [
                    {
                        "findings": _blank(f.summary, marks),
                        "response": f.get_response_display(),
                        "reason": f.response_reason,
                        "responded_at": _iso(f.responded_at),
                    }
                    for f in findings
                ],
                "documents": [
                    {
                        "name": d.original_name,
                        "uploaded_at": _iso(d.uploaded_at),
                        "size": d.size,
                        "type": d.content_type,
                    }
                    for d in _documents_of_complainant(complaint)
                ],
                "events": [
                    {
                        "at": _iso(e.at),
                        "by": _blank(e.actor_text, marks),
                        "what": _blank(e.text, marks),
                    }
                    for e in complaint.events.order_by("at", "id")
                ],
            }
        )
    return {
        "kind": "complainant",
        "query": {"email": query.email, "name": query.name},
        "generated_at": _iso(timezone.now()),
        "complaints": result,
    }


# Respondent ------------------------------------------------------------------------------


def respondent_export(user) -> dict:
    about = Complaint.objects.filter(respondent=user).order_by("received_at", "id")
    cache: dict[int, dict[str, str]] = {}

    def marks(complaint_id) -> dict[str, str]:
        """The complainant's name and contact details in this complaint, to blank out."""
        if complaint_id is None:
            return {}
        if complaint_id not in cache:
            cache[complaint_id] = _complainant_marks(Complaint.objects.get(pk=complaint_id))
        return cache[complaint_id]

    roles = [
        label
        for flag, label in (
            ("is_secretariat", "secretariaat"),
            ("is_director", "directeur"),
            ("is_trainer", "trainer"),
            ("is_staff_member", "medewerker"),
            ("is_exam_committee", "examencommissie"),
            ("is_administrator", "beheerder"),
        )
        if getattr(user, flag, False)
    ]
    defences = DefenceRequest.objects.filter(complaint__respondent=user).select_related("complaint")
    measures = Measure.objects.filter(owner=user).prefetch_related("complaints")
    events = (
        Event.objects.filter(actor=user)
        .select_related("complaint__procedure_version")
        .order_by("at", "id")
    )
    messages = (
        OutboxMessage.objects.filter(to__iexact=user.email)
        .select_related("complaint")
        .order_by("created_at", "id")
        if user.email
        else []
    )
    return {
        "kind": "respondent",
        "generated_at": _iso(timezone.now()),
        "account": {
            "username": user.username,
            "name": user.display_name,
            "email": user.email,
            "roles": roles,
            "language": getattr(user, "preferred_language", ""),
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "active": user.is_active,
        },
        "complaints_as_respondent": [
            {
                "number": c.number,
                "received_at": _iso(c.received_at),
                "category": c.category_label if c.category else "",
                "course": c.course_label,
                "named_as": _blank(c.respondent_description, marks(c.pk)),
                "state": c.get_state_display(),
                "outcome": c.get_outcome_display() if c.outcome else "",
                "settled_at": _iso(c.settled_at),
            }
            for c in about.select_related("course")
        ],
        "defences": [
            {
                "complaint": d.complaint.number,
                "requested_at": _iso(d.requested_at),
                "question": _blank(d.question, marks(d.complaint_id)),
                "due": _iso(d.due),
                "defence": _blank(d.defence, marks(d.complaint_id)),
                "submitted_at": _iso(d.submitted_at),
            }
            for d in defences
        ],
        "measures": [
            {
                "description": m.description,
                "complaints": sorted(c.number for c in m.complaints.all()),
                "due_date": _iso(m.due_date),
                "status": m.get_status_display(),
                "evaluation": m.evaluation,
            }
            for m in measures
        ],
        "events": [
            {
                "complaint": e.complaint.number,
                "at": _iso(e.at),
                "what": _blank(e.text, marks(e.complaint_id)),
            }
            for e in events
        ],
        "messages": [
            {
                "date": _iso(m.created_at),
                "complaint": m.complaint.number if m.complaint_id else "",
                "subject": _blank(m.subject, marks(m.complaint_id)),
                # A message about no single complaint (a digest) may list many complainants;
                # only its subject is given.
                "body": link_tokens_redacted(_blank(m.body, marks(m.complaint_id)))
                if m.complaint_id
                else "",
            }
            for m in messages
        ],
    }


# Both ------------------------------------------------------------------------------------


def person_export(query: PersonQuery) -> dict | None:
    """The export for a query: a respondent when a user is given, else a complainant.
    None when the user does not exist."""
    if query.user_id:
        user = User.objects.filter(pk=query.user_id).first()
        return respondent_export(user) if user else None
    return complainant_export(query)


def person_export_json(data: dict) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def person_export_pdf(data: dict) -> bytes:
    return html_to_pdf(render_to_string("cases/person_export/export_pdf.html", {"data": data}))
