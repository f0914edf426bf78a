"""The public complaint form (LIVP-1) and its confirmation page.

The form posts to itself and redirects to a confirmation page (POST/redirect/GET).
A hidden submission token makes a repeated post register one complaint. The
confirmation page is reached through a signed, short-lived token so that nobody can
look at another person's complaint by changing a number in the address.

Abuse, without any outside service: every accepted complaint counts against a limit per
client address (PUBLIC_FORM_RATE_LIMIT per PUBLIC_FORM_RATE_WINDOW seconds; over it: 429,
with the typed text kept in the form);
a filled-in honeypot field refuses the post (400); a body larger than
DATA_UPLOAD_MAX_MEMORY_SIZE gets a friendly 413 page (config.errors.bad_request). None of
these calls the service, so a refused post leaves no complaint, event or message.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from klachtroute.cases.models import Channel, Complaint
from klachtroute.cases.services import complaint_register
from klachtroute.organisation.selectors import ActiveProcedure

from .forms import HONEYPOT_CODE, ComplaintForm
from .ratelimit import public_form_accepted, public_form_allowed

CONFIRMATION_SALT = "klachtroute.intake.complaint_received"
CONFIRMATION_MAX_AGE = 24 * 3600


def confirmation_token_make(complaint: Complaint) -> str:
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign(str(complaint.pk))


def confirmation_token_read(token: str) -> int:
    """The complaint's primary key, or Http404 for a forged, altered or expired token."""
    try:
        value = signing.TimestampSigner(salt=CONFIRMATION_SALT).unsign(
            token, max_age=CONFIRMATION_MAX_AGE
        )
        return int(value)
    except (signing.BadSignature, ValueError) as error:
        raise Http404 from error


def _page_language(request) -> str:
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _confidentiality_text(language: str, active: ActiveProcedure) -> str:
    """The procedure's promise of confidentiality, from the version the form was built with."""
    version = active.version
    text = version.spec.text("confidentiality", language) if version else ""
    return text or gettext("Uw klacht wordt altijd vertrouwelijk behandeld.")


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_form(request):
    language = _page_language(request)
    status = 200
    if request.method == "POST":
        attempt = public_form_allowed(request)
        if not attempt.allowed:
            # Refused, but the typed text stays in the form, to be sent again later.
            form = ComplaintForm(request.POST)
            response = render(
                request,
                "intake/complaint_form.html",
                {
                    "form": form,
                    "confidentiality": _confidentiality_text(language, form.active),
                    "retry_minutes": max(1, -(-attempt.retry_after // 60)),
                },
                status=429,
            )
            response["Retry-After"] = str(attempt.retry_after)
            return response
        form = ComplaintForm(request.POST)
        if form.has_error(NON_FIELD_ERRORS, code=HONEYPOT_CODE):
            status = 400
        elif form.is_valid():
            try:
                complaint = complaint_register(
                    actor=None,
                    channel=Channel.WEB,
                    received_at=timezone.now(),
                    complainant_language=language,
                    active=form.active,
                    **form.complaint_fields(),
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                public_form_accepted(request)
                return redirect(
                    "intake:complaint_received", token=confirmation_token_make(complaint)
                )
    else:
        form = ComplaintForm()
    return render(
        request,
        "intake/complaint_form.html",
        {"form": form, "confidentiality": _confidentiality_text(language, form.active)},
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
def complaint_received(request, token):
    pk = confirmation_token_read(token)
    complaint = Complaint.objects.select_related("procedure_version").filter(pk=pk).first()
    if complaint is None:
        raise Http404
    language = _page_language(request)
    return render(
        request,
        "intake/complaint_received.html",
        {
            "complaint": complaint,
            "procedure_summary": complaint.procedure_version.spec.text(
                "procedure_summary", language
            ),
            "confidentiality": complaint.procedure_version.spec.text("confidentiality", language),
        },
    )
