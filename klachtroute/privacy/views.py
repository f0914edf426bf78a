"""Staff pages for retention (LIVP-10): legal hold, the anonymised summary, the purge preview.

The complaint pages start from `complaint_get_visible`: a complaint a person may not see,
or a step this person may not take, answers 404.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from klachtroute.cases.action_forms import errors_onto_form
from klachtroute.cases.models import Complaint
from klachtroute.cases.selectors import complaint_get_visible_or_404

from .selectors import complaints_purge_preview, purge_date
from .services import anonymised_summary_set, complaint_legal_hold_set

PREVIEW_DAYS = 30


class LegalHoldForm(forms.Form):
    hold = forms.TypedChoiceField(
        choices=[("1", gettext_lazy("Instellen")), ("0", gettext_lazy("Opheffen"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(
        label=gettext_lazy("Reden van de bewaarplicht"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnonymisedSummaryForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Geanonimiseerde samenvatting"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Zonder namen, contactgegevens, geboortedata of andere details waaraan de klager "
            "te herkennen is. Deze tekst verschijnt in de evaluatie met de trainers en blijft "
            "bewaard als de persoonsgegevens na de bewaartermijn worden verwijderd."
        ),
    )


def can_set_legal_hold(user) -> bool:
    return bool(user.is_authenticated and (user.is_secretariat or user.is_director))


def _complaint_or_404(request: HttpRequest, number: str) -> Complaint:
    return complaint_get_visible_or_404(user=request.user, number=number)


@login_required
@require_POST
def legal_hold(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _complaint_or_404(request, number)
    if not can_set_legal_hold(request.user):
        raise Http404(_("Deze actie is hier niet beschikbaar."))
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("De bewaarplicht is niet gewijzigd."))
        return redirect("cases:detail", number=number)
    try:
        complaint_legal_hold_set(
            complaint=complaint,
            actor=request.user,
            hold=form.cleaned_data["hold"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Bewaarplicht ingesteld.")
            if form.cleaned_data["hold"]
            else _("Bewaarplicht opgeheven."),
        )
    return redirect("cases:detail", number=number)


@login_required
@require_http_methods(["GET", "POST"])
def anonymised_summary(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _complaint_or_404(request, number)
    if not request.user.is_secretariat:
        raise Http404(_("Deze pagina is hier niet beschikbaar."))
    if request.method == "POST":
        form = AnonymisedSummaryForm(request.POST)
        if form.is_valid():
            try:
                anonymised_summary_set(
                    complaint=complaint, actor=request.user, summary=form.cleaned_data["summary"]
                )
            except ValidationError as exc:
                # Not anonymous: the text stays in the form, with what to leave out.
                errors_onto_form(form, exc, default_field="summary")
            else:
                messages.success(request, _("De geanonimiseerde samenvatting is opgeslagen."))
                return redirect("cases:detail", number=number)
        status = 400
    else:
        form = AnonymisedSummaryForm(initial={"summary": complaint.anonymised_summary})
        status = 200
    return render(
        request,
        "cases/anonymised_summary.html",
        {"complaint": complaint, "form": form},
        status=status,
    )


@login_required
def retention_preview(request: HttpRequest) -> HttpResponse:
    """What the purge reaches in the next 30 days: numbers and dates only, no personal data."""
    user = request.user
    if not (user.is_administrator or user.is_secretariat or user.is_director):
        raise Http404(_("Deze pagina is hier niet beschikbaar."))
    today = timezone.localdate()
    rows = []
    for c in complaints_purge_preview(today=today, days=PREVIEW_DAYS):
        # Kept through its purge date; the first run of the watcher after it purges it.
        purge_on = purge_date(c) + timedelta(days=1)
        rows.append(
            {
                "number": c.number,
                "state": c.get_state_display(),
                "settled_on": timezone.localdate(c.settled_at),
                "purge_on": purge_on,
                "legal_hold": c.legal_hold,
            }
        )
    from klachtroute.intake.selectors import received_mails_purge_preview

    mails = [
        {
            "pk": m.pk,
            "kind": m.get_status_display(),
            "kept_from": timezone.localdate(m.handled_at or m.received_at),
            "purge_on": m.purge_date + timedelta(days=1),
        }
        for m in received_mails_purge_preview(today=today, days=PREVIEW_DAYS)
    ]
    return render(
        request,
        "cases/retention_preview.html",
        {
            "rows": rows,
            "mails": mails,
            "mail_links": user.is_secretariat,
            "days": PREVIEW_DAYS,
            "today": today,
            "links": user.sees_all_complaints,
        },
    )
