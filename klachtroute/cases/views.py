"""Staff pages for complaints: the worklist, the registration record and its actions.

Every page starts from `complaints_visible_to` (through the selectors): a complaint
a person may not see answers 404, as if it did not exist.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from klachtroute.deadlines import local_date
from klachtroute.organisation.selectors import work_calendar_get

from . import services
from .deadlines import DEADLINE_FIELDS
from .forms import DATETIME_LOCAL, AssignHandlerForm, CorrectReceivedAtForm, WorklistFilterForm
from .models import Complaint, Outcome
from .selectors import complaint_get_visible, complaints_worklist, handlers_eligible
from .workflow import TransitionError, actions_for

PAGE_SIZE = 25

DEADLINE_LABELS = {
    "acknowledge": gettext_lazy("Ontvangstbevestiging"),
    "first_contact": gettext_lazy("Eerste persoonlijk contact"),
    "settle": gettext_lazy("Afhandeling"),
}


def _complaint_or_404(request: HttpRequest, number: str) -> Complaint:
    complaint = complaint_get_visible(user=request.user, number=number)
    if complaint is None:
        raise Http404(_("Deze klacht bestaat niet of u heeft er geen toegang toe."))
    return complaint


@login_required
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    sees_all = request.user.sees_all_complaints
    form = WorklistFilterForm(request.GET or None, show_handler=sees_all)
    complaints = complaints_worklist(user=request.user, **form.filters())
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
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


@dataclass(frozen=True)
class DeadlineRow:
    key: str
    label: str
    due: date | None
    done_at: datetime | None
    status: str  # met, missed, open, lapsed

    @property
    def status_label(self) -> str:
        return {
            "met": _("gehaald"),
            "missed": _("niet gehaald"),
            "open": _("open"),
            "lapsed": _("vervallen"),
        }[self.status]


def _deadline_rows(complaint: Complaint, today: date) -> list[DeadlineRow]:
    rows = []
    for key, (due_field, done_field) in DEADLINE_FIELDS.items():
        due = getattr(complaint, due_field)
        if due is None:
            continue
        done_at = getattr(complaint, done_field)
        if done_at is not None:
            status = "met" if local_date(done_at, settings.TIME_ZONE) <= due else "missed"
        elif not complaint.is_open:
            # Closed before this step happened, e.g. an oral complaint settled on the spot.
            status = "lapsed"
        else:
            status = "missed" if due < today else "open"
        rows.append(DeadlineRow(key, str(DEADLINE_LABELS[key]), due, done_at, status))
    return rows


def _detail_context(request: HttpRequest, complaint: Complaint, **forms) -> dict:
    actions = {t.action: t for t in actions_for(request.user, complaint)}
    today = timezone.localdate()
    context = {
        "complaint": complaint,
        "actions": actions,
        "deadlines": _deadline_rows(complaint, today),
        "calendar": work_calendar_get(),
        "today": today,
        "documents": complaint.documents.select_related("uploaded_by"),
        "outbox": complaint.messages.order_by("created_at", "id"),
        "events": complaint.events.select_related("actor"),
        "settled_on_the_spot": complaint.outcome == Outcome.SETTLED_ON_THE_SPOT,
        "now_local": timezone.localtime().strftime(DATETIME_LOCAL),
    }
    if "assign_handler" in actions:
        eligible = list(handlers_eligible(complaint=complaint))
        context["assign_form"] = forms.get("assign_form") or AssignHandlerForm(
            eligible=eligible, initial={"handler": complaint.handler_id}
        )
        context["eligible_count"] = len(eligible)
    if "correct_received_at" in actions:
        context["received_form"] = forms.get("received_form") or CorrectReceivedAtForm(
            initial={"received_at": timezone.localtime(complaint.received_at)}
        )
    return context


@login_required
@require_GET
def complaint_detail(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _complaint_or_404(request, number)
    return render(request, "cases/detail.html", _detail_context(request, complaint))


def _action_refused(request, complaint, form, field: str, error, form_name: str) -> HttpResponse:
    if isinstance(error, TransitionError):
        form.add_error(None, error.message)
        status = error.status
    else:
        messages_by_field = getattr(error, "message_dict", None)
        if messages_by_field is None:
            form.add_error(None, error)
        else:
            for key, texts in messages_by_field.items():
                for text in texts:
                    form.add_error(field if key in (field, "__all__") else None, text)
        status = 400
    context = _detail_context(request, complaint, **{form_name: form})
    return render(request, "cases/detail.html", context, status=status)


@login_required
@require_POST
def assign_handler(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _complaint_or_404(request, number)
    if "assign_handler" not in {t.action for t in actions_for(request.user, complaint)}:
        raise Http404(_("Deze actie is hier niet beschikbaar."))
    form = AssignHandlerForm(request.POST, eligible=handlers_eligible(complaint=complaint))
    if not form.is_valid():
        return render(
            request,
            "cases/detail.html",
            _detail_context(request, complaint, assign_form=form),
            status=400,
        )
    try:
        complaint = services.complaint_assign_handler(
            complaint=complaint, handler=form.cleaned_data["handler"], actor=request.user
        )
    except (ValidationError, TransitionError) as error:
        return _action_refused(request, complaint, form, "handler", error, "assign_form")
    messages.success(
        request,
        _("%(name)s behandelt klacht %(number)s.")
        % {"name": complaint.handler.display_name, "number": complaint.number},
    )
    return redirect("cases:detail", number=complaint.number)


@login_required
@require_POST
def correct_received_at(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _complaint_or_404(request, number)
    if "correct_received_at" not in {t.action for t in actions_for(request.user, complaint)}:
        raise Http404(_("Deze actie is hier niet beschikbaar."))
    form = CorrectReceivedAtForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "cases/detail.html",
            _detail_context(request, complaint, received_form=form),
            status=400,
        )
    try:
        complaint = services.complaint_correct_received_at(
            complaint=complaint, received_at=form.cleaned_data["received_at"], actor=request.user
        )
    except (ValidationError, TransitionError) as error:
        return _action_refused(request, complaint, form, "received_at", error, "received_form")
    messages.success(
        request, _("De ontvangstdatum is gecorrigeerd en de termijnen zijn opnieuw berekend.")
    )
    return redirect("cases:detail", number=complaint.number)


@login_required
@require_GET
def document_download(request: HttpRequest, number: str, document_id: int) -> FileResponse:
    complaint = _complaint_or_404(request, number)
    document = complaint.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404(_("Dit document bestaat niet."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Het bestand van dit document ontbreekt.")) from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def acknowledgement_letter(request: HttpRequest, number: str) -> HttpResponse:
    """The acknowledgement as a letter to print, for a complainant without e-mail address."""
    complaint = _complaint_or_404(request, number)
    if not complaint.acknowledgement_by_letter:
        raise Http404(_("Voor deze klacht is geen ontvangstbevestiging per brief nodig."))
    language = complaint.complainant_language
    context = services.acknowledgement_context(complaint)
    # The letter is in the complainant's language; the page around it in the reader's.
    with translation.override(language):
        text = render_to_string("notifications/email/acknowledgement.txt", context)
        subject, _sep, body = text.strip().partition("\n")
        letter = render_to_string(
            "cases/partials/acknowledgement_letter_body.html",
            {
                "complaint": complaint,
                "organisation": context["organisation"],
                "subject": subject.strip(),
                "paragraphs": [p.strip() for p in body.strip().split("\n\n") if p.strip()],
                "letter_date": timezone.localdate(complaint.acknowledged_at or timezone.now()),
            },
        )
    return render(
        request,
        "cases/acknowledgement_letter.html",
        {"complaint": complaint, "letter": letter, "letter_language": language},
    )
