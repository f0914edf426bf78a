"""The secretariat's screen for mail from the complaint mailbox: complete and register
it as a complaint, or reject it as not a complaint."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .mail_services import received_mail_register, received_mail_reject
from .models import MailStatus, ReceivedMail
from .selectors import received_mail_counts, received_mails
from .staff_forms import MailRegistrationForm, MailRejectForm
from .staff_views import _errors_to_form


def _secretariat(request: HttpRequest) -> None:
    if not request.user.is_secretariat:
        raise PermissionDenied(_("Alleen het secretariaat behandelt binnengekomen e-mail."))


@login_required
def mail_list(request: HttpRequest) -> HttpResponse:
    _secretariat(request)
    status = request.GET.get("status") or MailStatus.WAITING
    if status not in MailStatus.values:
        status = MailStatus.WAITING
    return render(
        request,
        "intake/mail_list.html",
        {
            "mails": received_mails(status=status)[:200],
            "status": status,
            "statuses": MailStatus.choices,
            "counts": received_mail_counts(),
        },
    )


def _initial(mail: ReceivedMail) -> dict:
    description = mail.body or mail.subject
    if mail.subject and mail.body:
        description = f"{mail.subject}\n\n{mail.body}"
    return {
        "complainant_name": mail.sender_name or mail.sender_email,
        "complainant_email": mail.sender_email,
        "complaint_date": timezone.localdate(mail.received_at),
        "description": description[:10000],
    }


@login_required
def mail_detail(request: HttpRequest, mail_id: int) -> HttpResponse:
    _secretariat(request)
    mail = get_object_or_404(ReceivedMail, pk=mail_id)
    register_form = MailRegistrationForm(initial=_initial(mail))
    reject_form = MailRejectForm()
    status = 200
    if request.method == "POST":
        status = 400
        if request.POST.get("action") == "reject":
            reject_form = MailRejectForm(request.POST)
            if reject_form.is_valid():
                try:
                    received_mail_reject(
                        mail=mail, actor=request.user, reason=reject_form.cleaned_data["reason"]
                    )
                except ValidationError as error:
                    _errors_to_form(reject_form, error)
                else:
                    messages.success(request, _("De e-mail is bewaard als geen klacht."))
                    return redirect("intake:mail_list")
        else:
            register_form = MailRegistrationForm(request.POST)
            if register_form.is_valid():
                try:
                    complaint = received_mail_register(
                        mail=mail, actor=request.user, **register_form.service_kwargs()
                    )
                except ValidationError as error:
                    _errors_to_form(register_form, error)
                else:
                    messages.success(
                        request,
                        _("Klacht %(number)s is geregistreerd uit de e-mail.")
                        % {"number": complaint.number},
                    )
                    return redirect("cases:detail", number=complaint.number)
    return render(
        request,
        "intake/mail_detail.html",
        {
            "mail": mail,
            "form": register_form,
            "reject_form": reject_form,
            "open": mail.status in (MailStatus.WAITING, MailStatus.AUTOMATIC),
            "registrable": mail.status == MailStatus.WAITING,
        },
        status=status,
    )


@login_required
def mail_original(request: HttpRequest, mail_id: int) -> FileResponse:
    _secretariat(request)
    mail = get_object_or_404(ReceivedMail, pk=mail_id)
    return FileResponse(
        mail.raw.open("rb"),
        as_attachment=True,
        filename=f"e-mail-{mail.pk}.eml",
        content_type="message/rfc822",
    )
