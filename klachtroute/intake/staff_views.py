"""Registration of complaints by the secretariat (LIVP-2, LSR-4a)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from klachtroute.cases.action_forms import errors_onto_form
from klachtroute.cases.services import complaint_register
from klachtroute.cases.workflow import EventKind

from .staff_forms import StaffRegistrationForm


@login_required
def register(request: HttpRequest) -> HttpResponse:
    if not request.user.is_secretariat:
        raise PermissionDenied(_("Alleen het secretariaat registreert klachten."))
    if request.method == "POST":
        form = StaffRegistrationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                complaint = complaint_register(actor=request.user, **form.service_kwargs())
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                if complaint.state == "settled":
                    text = _(
                        "Klacht %(number)s is geregistreerd en direct afgehandeld. "
                        "Er gaat geen ontvangstbevestiging uit."
                    )
                elif complaint.acknowledged_at:
                    text = _(
                        "Klacht %(number)s is geregistreerd; de ontvangstbevestiging is klaargezet."
                    )
                else:
                    text = _(
                        "Klacht %(number)s is geregistreerd. Wijs een behandelaar aan; "
                        "daarmee gaat de ontvangstbevestiging uit."
                    )
                messages.success(request, text % {"number": complaint.number})
                late = complaint.events.filter(kind=EventKind.REGISTERED_LATE).first()
                if late is not None:
                    messages.warning(
                        request,
                        _(
                            "Let op, deze klacht is laat geregistreerd. %(passed)s De "
                            "ontvangstbevestiging zegt de klager wat er nu gebeurt."
                        )
                        % {"passed": late.text},
                    )
                return redirect("cases:detail", number=complaint.number)
        status = 400
    else:
        form = StaffRegistrationForm()
        status = 200
    file_lost = bool(form.is_bound and form.errors and request.FILES.get("document"))
    return render(
        request,
        "intake/register.html",
        {"form": form, "file_lost": file_lost},
        status=status,
    )


def _errors_to_form(form: StaffRegistrationForm, error: ValidationError) -> None:
    upload = getattr(error, "code", None) in {"empty", "too_large", "type"}  # the upload check
    errors_onto_form(form, error, default_field="document" if upload else None)
