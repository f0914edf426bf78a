"""The secretariat's post: letters to print and send, and any message as a PDF letter."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from klachtroute.notifications.models import OutboxMessage

from .render import letter_filename, letter_pdf
from .selectors import (
    letters_posted_recently,
    letters_to_post,
    message_get_for_letter,
    user_may_handle_post,
)
from .services import letter_mark_posted


@login_required
@require_GET
def to_post(request):
    if not user_may_handle_post(request.user):
        raise PermissionDenied
    return render(
        request,
        "letters/to_post.html",
        {"to_post": letters_to_post(), "posted": letters_posted_recently()},
    )


@login_required
@require_GET
def letter_pdf_view(request, pk: int):
    message = message_get_for_letter(user=request.user, pk=pk)
    if message is None:
        raise Http404
    # Only the secretariat, which posts it, gets the letter with the recipient's link.
    pdf = letter_pdf(message, for_post=user_may_handle_post(request.user))
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{letter_filename(message)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def mark_posted(request, pk: int):
    if not user_may_handle_post(request.user):
        raise PermissionDenied
    message = get_object_or_404(OutboxMessage.objects.select_related("complaint"), pk=pk)
    if letter_mark_posted(message=message, actor=request.user):
        messages.success(
            request,
            _("Gemarkeerd als verstuurd: %(subject)s") % {"subject": message.subject},
        )
    else:
        messages.info(request, _("Deze brief stond niet (meer) klaar om te versturen."))
    return redirect("letters:to_post")
