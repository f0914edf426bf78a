"""Staff pages for complaints: the worklist, the registration record and its actions.

Every page starts from `complaints_visible_to` (through the selectors): a complaint
a person may not see answers 404, as if it did not exist.
"""

from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from klachtroute.organisation.selectors import work_calendar_get

from .action_forms import ActionForm, form_with_errors
from .actions import ACTIONS, CONFIRM_FIELD, CONFIRM_MESSAGE, action_form, action_perform
from .deadlines import deadline_states
from .forms import DATETIME_LOCAL, WorklistFilterForm
from .models import Complaint, Outcome
from .selectors import (
    WORKLIST_ROW_FIELDS,
    WorklistKey,
    complaint_get_visible,
    complaint_get_visible_or_404,
    complaints_earlier_of_complainant,
    complaints_visible_to,
    complaints_worklist,
    events_page,
    first_contact_summary,
    record_part_flag,
    worklist_page,
)
from .uploads import document_response
from .workflow import TRANSITIONS_BY_ACTION, TransitionError, actions_blocked, actions_for

PAGE_SIZE = 25
# The worklist counts up to this many complaints exactly; beyond it it says "more than".
COUNT_CAP = 1000


def _complaint_or_404(request: HttpRequest, number: str) -> Complaint:
    return complaint_get_visible_or_404(user=request.user, number=number)


def _worklist_key(value: str | None) -> WorklistKey | None:
    # A cursor the worklist did not give (edited, truncated) shows the first page.
    try:
        return WorklistKey.from_token(value) if value else None
    except ValueError:
        return None


# The worklist's paging parameters: after a key, before a key, the last page (`pagina`, the
# page number of old links, is dropped: the list pages by key).
PAGING_PARAMETERS = ("na", "voor", "laatste", "pagina")


@login_required
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    sees_all = request.user.sees_all_complaints
    form = WorklistFilterForm(request.GET or None, show_handler=sees_all)
    complaints = complaints_worklist(user=request.user, **form.filters()).only(*WORKLIST_ROW_FIELDS)
    page = worklist_page(
        complaints,
        per_page=PAGE_SIZE,
        cap=COUNT_CAP,
        after=_worklist_key(request.GET.get("na")),
        before=_worklist_key(request.GET.get("voor")),
        last=request.GET.get("laatste") == "1",
    )
    query = request.GET.copy()
    for name in PAGING_PARAMETERS:
        query.pop(name, None)
    return render(
        request,
        "cases/worklist.html",
        {
            "form": form,
            "page": page,
            "calendar": work_calendar_get(),
            "today": timezone.localdate(),
            "querystring": query.urlencode(),
            "filtered": any(form.filters().values()),
        },
    )


# Actions on the record ------------------------------------------------------------------


@dataclass
class ActionPanel:
    action: str
    label: str
    form: ActionForm
    hint: str = ""
    group: str = "next"
    open: bool = False
    needs_confirmation: bool = False
    confirmed: bool = False  # posted with the confirmation, shown again ticked
    expected: bool = False  # the procedure's next step, shown under "Afsluiten"

    @property
    def confirm_only(self) -> bool:
        return not self.form.fields

    @property
    def criteria(self) -> list[tuple]:
        """Judgement and note per investigation criterion (LSR-6b), shown as one row each."""
        names = [
            n for n in self.form.fields if n.startswith("criterion_") and not n.endswith("_note")
        ]
        return [
            (self.form[n], self.form[f"{n}_note"]) for n in names if f"{n}_note" in self.form.fields
        ]

    @property
    def plain_fields(self) -> list:
        return [f for f in self.form.visible_fields() if not f.name.startswith("criterion_")]


def _input_attrs(form: ActionForm, action: str, complaint: Complaint) -> None:
    """Browser date pickers and sensible bounds; the services still check every value."""
    now = timezone.localtime()
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.DateTimeInput):
            widget.input_type = "datetime-local"
            widget.format = DATETIME_LOCAL
            widget.attrs.setdefault("max", now.strftime(DATETIME_LOCAL))
        elif isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
    if action == "correct_received_at" and not form.is_bound:
        form.initial["received_at"] = timezone.localtime(complaint.received_at)
    if action == "assign_handler":
        field = form.fields["handler"]
        field.help_text = (
            _(
                "Alleen trainers die geen les geven in de opleiding van de klager en geen beklaagde zijn."
            )
            if complaint.procedure_version.spec.handler_policy == "trainer_not_teaching_course"
            else _("Alleen wie niet bij de klacht betrokken is.")
        )
        if not form.is_bound and complaint.handler_id:
            form.initial["handler"] = complaint.handler_id
    if action == "extend" and complaint.settle_due:
        form.fields["new_due"].widget.attrs["min"] = (
            complaint.settle_due + timedelta(days=1)
        ).isoformat()
    for name, field in form.fields.items():
        if name.startswith("criterion_") and name.endswith("_note"):
            field.widget.attrs.update({"rows": 1, "placeholder": _("Toelichting")})
    if action in ("propose_measure", "request_defence"):
        name = "due_date" if action == "propose_measure" else "due"
        form.fields[name].widget.attrs["min"] = timezone.localdate().isoformat()


def _form_for(action: str, complaint: Complaint, user, data=None) -> ActionForm:
    # Each action's fields get their own ids: several forms share field names on one page.
    form = action_form(action, complaint, user, data, auto_id=f"id_{action}-%s")
    _input_attrs(form, action, complaint)
    return form


def _form_with_errors(
    action: str, complaint: Complaint, user, data, error: ValidationError
) -> ActionForm:
    """The posted form again, with the form's own errors or the service's, next to the fields."""
    return form_with_errors(_form_for(action, complaint, user, data), error)


def _earlier_complaints(complaint: Complaint, user) -> list[dict]:
    """Earlier complaints of the same complainant (LSR-5a), linked where the reader may see them."""
    rows = complaints_earlier_of_complainant(complaint=complaint)
    visible = set(
        complaints_visible_to(user)
        .filter(pk__in=[row["complaint"].pk for row in rows])
        .values_list("pk", flat=True)
    )
    return [{**row, "visible": row["complaint"].pk in visible} for row in rows]


def _event_id(value: str | None) -> int | None:
    # A value the page did not give shows the newest events.
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 1 <= number < 2**63 else None


def _detail_context(
    request: HttpRequest,
    complaint: Complaint,
    *,
    failed: tuple[str, ActionForm] | None = None,
    refusal: str = "",
) -> dict:
    user = request.user
    transitions = actions_for(user, complaint)
    today = timezone.localdate()
    panels = []
    for transition in transitions:
        if failed and failed[0] == transition.action:
            form, is_open = failed[1], True
        else:
            form, is_open = _form_for(transition.action, complaint, user), False
        panels.append(
            ActionPanel(
                action=transition.action,
                label=str(transition.label),
                form=form,
                hint=complaint.procedure_version.spec.hint(
                    transition.action, translation.get_language() or "nl"
                )
                or str(transition.hint),
                group=transition.group_for(complaint),
                open=is_open,
                needs_confirmation=transition.needs_confirmation,
                confirmed=is_open and failed is not None and failed[1].data.get("confirm") == "1",
                expected=transition.expected_closing,
            )
        )
    deadlines = deadline_states(complaint, today)
    judging = {p.action for p in panels} & {"judge_admissible", "judge_inadmissible"}
    spec = complaint.procedure_version.spec
    language = translation.get_language() or "nl"

    def part(name: str, rows):
        """The rows of a part of the record (`RECORD_PARTS`), read only when the complaint
        may have some: one read with the record says which it has none of."""
        return rows() if getattr(complaint, record_part_flag(name), True) else []

    set_aside_ground = spec.set_aside_ground(complaint.set_aside_ground)
    skip_reason = spec.hearing_skip_reason(complaint.hearing_skip_reason)
    return {
        "set_aside_ground_label": set_aside_ground.label.get(language) if set_aside_ground else "",
        "hearing_skip_label": skip_reason.label.get(language) if skip_reason else "",
        "complaint": complaint,
        "actions": {t.action: t for t in transitions},
        "step_panels": [p for p in panels if p.group == "next"],
        "general_panels": [p for p in panels if p.group == "general"],
        "closing_panels": [p for p in panels if p.group == "closing"],
        # The next step box points to these in the "Afsluiten" section.
        "expected_closing_panels": [p for p in panels if p.expected],
        "blocked": [
            {"label": str(t.label), "reason": reason}
            for t, reason in actions_blocked(user, complaint)
        ],
        "refusal": refusal,
        "earlier_complaints": _earlier_complaints(complaint, user) if judging else None,
        "deadlines": deadlines,
        "overdue": [d for d in deadlines if d.overdue] if complaint.is_open else [],
        "calendar": work_calendar_get(),
        "today": today,
        "first_contact": first_contact_summary(complaint, today),
        "solutions": part(
            "solutions",
            lambda: list(
                complaint.solutions.select_related("proposed_by").prefetch_related(
                    "approvals__recorded_by"
                )
            ),
        ),
        "findings": part(
            "findings",
            lambda: list(
                complaint.findings.select_related("shared_by").prefetch_related("judgements")
            ),
        ),
        "defence_requests": part(
            "defence_requests",
            lambda: list(complaint.defence_requests.select_related("requested_by")),
        ),
        "rulings": part(
            "rulings",
            lambda: list(complaint.rulings.prefetch_related("follow_ups__done_by", "judgements")),
        ),
        "measures": part("measures", lambda: list(complaint.measures.select_related("owner"))),
        "extensions": part("extensions", lambda: list(complaint.extensions.select_related("by"))),
        "documents": part("documents", lambda: complaint.documents.select_related("uploaded_by")),
        # What the complainant added, in full.
        "information": part(
            "information_added",
            lambda: list(
                complaint.information_added.order_by("added_at", "id").prefetch_related("documents")
            ),
        ),
        "outbox": part("messages", lambda: complaint.messages.order_by("created_at", "id")),
        # Shown by name and by number alone: not every column of a person or a complaint.
        "involved_people": part(
            "involved_people",
            lambda: complaint.involved_people.only(
                "id", *complaint.involved_people.model.NAME_FIELDS
            ),
        ),
        "reopened_as": part("reopened_by", lambda: complaint.reopened_by.only("number")),
        "history": events_page(complaint=complaint, older_than=_event_id(request.GET.get("ouder"))),
        "settled_on_the_spot": complaint.outcome == Outcome.SETTLED_ON_THE_SPOT,
        "private_links": (
            part(
                "links",
                lambda: complaint.links.filter(
                    revoked_at__isnull=True, expires_at__gt=timezone.now()
                ).order_by("created_at"),
            )
            if user.is_secretariat
            else None
        ),
    }


@login_required
@require_GET
def complaint_detail(request: HttpRequest, number: str) -> HttpResponse:
    complaint = complaint_get_visible_or_404(user=request.user, number=number, record_parts=True)
    return render(request, "cases/detail.html", _detail_context(request, complaint))


def _success_message(action: str, label: str, result) -> str:
    if action == "assign_handler" and isinstance(result, Complaint) and result.handler_id:
        return _("%(name)s behandelt klacht %(number)s.") % {
            "name": result.handler.display_name,
            "number": result.number,
        }
    if action == "correct_received_at":
        return _("De ontvangstdatum is gecorrigeerd en de termijnen zijn opnieuw berekend.")
    if action == "reopen":
        return _("Heropend: de nieuwe feiten zijn geregistreerd als klacht %(number)s.") % {
            "number": result.number
        }
    return _("Gedaan: %(label)s.") % {"label": label}


def _perform(request: HttpRequest, number: str, action: str, *, hide_unavailable: bool = False):
    """Carry out one action from the record's forms; on refusal show the record again."""
    complaint = _complaint_or_404(request, number)
    if action not in ACTIONS:
        raise Http404(_("Deze actie bestaat niet."))
    offered = {t.action for t in actions_for(request.user, complaint)}
    if hide_unavailable and action not in offered:
        # The older addresses of these two forms answer as before: as if there were no form.
        raise Http404(_("Deze actie is hier niet beschikbaar."))
    try:
        result = action_perform(
            complaint=complaint,
            action=action,
            actor=request.user,
            data=request.POST,
            files=request.FILES,
            # The checkbox "Ik bevestig deze stap." of a closing step (action_panel.html).
            confirmed=request.POST.get(CONFIRM_FIELD) == "1",
        )
    except TransitionError as error:
        complaint = _complaint_or_404(request, number)
        context = _detail_context(request, complaint, refusal=error.message)
        return render(request, "cases/detail.html", context, status=error.status)
    except ValidationError as error:
        complaint = _complaint_or_404(request, number)
        form = _form_with_errors(action, complaint, request.user, request.POST, error)
        unconfirmed = getattr(error, "error_dict", {}).get(CONFIRM_FIELD)
        if unconfirmed and str(CONFIRM_MESSAGE) not in form.non_field_errors():
            # The form's own errors and the missing confirmation, all at once.
            form.add_error(None, str(CONFIRM_MESSAGE))
        context = _detail_context(request, complaint, failed=(action, form))
        return render(request, "cases/detail.html", context, status=400)
    label = str(TRANSITIONS_BY_ACTION[action].label)
    if action == "reopen":
        messages.success(request, _success_message(action, label, result))
        return redirect("cases:detail", number=result.number)
    if action == "assign_handler":
        result = _complaint_or_404(request, number)
    messages.success(request, _success_message(action, label, result))
    if complaint_get_visible(user=request.user, number=number) is None:
        return redirect("cases:worklist")
    return redirect("cases:detail", number=number)


@login_required
@require_POST
def complaint_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    return _perform(request, number, action)


@login_required
@require_POST
def assign_handler(request: HttpRequest, number: str) -> HttpResponse:
    return _perform(request, number, "assign_handler", hide_unavailable=True)


@login_required
@require_POST
def correct_received_at(request: HttpRequest, number: str) -> HttpResponse:
    return _perform(request, number, "correct_received_at", hide_unavailable=True)


@login_required
@require_GET
def document_download(request: HttpRequest, number: str, document_id: int) -> FileResponse:
    complaint = _complaint_or_404(request, number)
    document = complaint.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404(_("Dit document bestaat niet."))
    response = document_response(document)
    if response is None:
        raise Http404(_("Het bestand van dit document ontbreekt."))
    return response


@login_required
@require_GET
def acknowledgement_letter(request: HttpRequest, number: str) -> HttpResponse:
    """The acknowledgement letter for a complainant without e-mail address: the very letter
    that waits in the secretariat's list of post, with the organisation's own text."""
    complaint = _complaint_or_404(request, number)
    letter = None
    if complaint.acknowledgement_by_letter:
        letter = (
            complaint.messages.filter(kind="acknowledgement", to="")
            .order_by("-created_at", "-id")
            .first()
        )
    if letter is None:
        raise Http404(_("Voor deze klacht is geen ontvangstbevestiging per brief nodig."))
    return redirect("letters:pdf", pk=letter.pk)
