"""The measures overview (LSR-8c) and the form to record a measure's status and evaluation."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from klachtroute.cases.action_forms import errors_onto_form
from klachtroute.cases.selectors import complaints_visible_to

from . import services
from .models import Measure
from .selectors import measure_get_visible, measure_is_overdue, measures_overview


class MeasureFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("", gettext_lazy("Alle")),
            ("overdue", gettext_lazy("Over de datum")),
            *Measure.Status.choices,
        ],
    )


class MeasureUpdateForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Measure.Status.choices)
    evaluation = forms.CharField(
        label=gettext_lazy("Evaluatie"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Wat is er gedaan en heeft het gewerkt?"),
    )


@login_required
@require_GET
def measures_overview_view(request: HttpRequest) -> HttpResponse:
    form = MeasureFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    today = timezone.localdate()
    rows = measures_overview(user=request.user, today=today, status=status)
    return render(
        request,
        "cases/measures/overview.html",
        {
            "form": form,
            "rows": rows,
            "today": today,
            "sees_all": request.user.is_director or request.user.is_secretariat,
            "overdue_count": sum(1 for row in rows if row.overdue),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_update_view(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = measure_get_visible(user=request.user, measure_id=measure_id)
    if measure is None or not services.measure_may_update(measure=measure, user=request.user):
        raise Http404(_("Deze maatregel bestaat niet of u heeft er geen toegang toe."))
    status = 200
    if request.method == "POST":
        form = MeasureUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.measure_update(
                    measure=measure,
                    actor=request.user,
                    status=form.cleaned_data["status"],
                    evaluation=form.cleaned_data["evaluation"],
                )
            except ValidationError as error:
                errors_onto_form(form, error)
            else:
                messages.success(request, _("De maatregel is bijgewerkt."))
                return redirect("measures:overview")
        status = 400
    else:
        form = MeasureUpdateForm(
            initial={"status": measure.status, "evaluation": measure.evaluation}
        )
    visible = set(
        complaints_visible_to(request.user)
        .filter(measures=measure)
        .values_list("number", flat=True)
    )
    return render(
        request,
        "cases/measures/update.html",
        {
            "measure": measure,
            "form": form,
            "complaint_numbers": sorted(visible),
            "overdue": measure_is_overdue(measure, timezone.localdate()),
        },
        status=status,
    )
