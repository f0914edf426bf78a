"""Pages about sent mail: the outbox for the secretariat and administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import OutboxMessage, OutboxStatus
from .redact import link_tokens_redacted
from .selectors import (
    messages_count_by_status,
    messages_list,
    messages_readable_ids,
    messages_recipient_roles,
    user_may_read_message,
    user_may_retry_messages,
    user_may_see_messages,
)
from .services import message_retry

PAGE_SIZE = 25


def _check_may_see(user) -> None:
    if not user_may_see_messages(user):
        raise PermissionDenied


@login_required
def sent_messages(request):
    _check_may_see(request.user)
    status = request.GET.get("status", "")
    if status not in OutboxStatus.values:
        status = ""
    page = Paginator(messages_list(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    readable = messages_readable_ids(request.user, page.object_list)
    roles = messages_recipient_roles(page.object_list)
    for message in page.object_list:
        message.readable = message.pk in readable
        message.recipient_role = roles[message.pk]
    return render(
        request,
        "notifications/message_list.html",
        {
            "page": page,
            "status": status,
            "statuses": OutboxStatus.choices,
            "counts": messages_count_by_status(),
        },
    )


@login_required
def message_detail(request, pk: int):
    _check_may_see(request.user)
    message = get_object_or_404(OutboxMessage.objects.select_related("complaint"), pk=pk)
    message.readable = user_may_read_message(request.user, message)
    message.recipient_role = messages_recipient_roles([message])[message.pk]
    # Even who may read the text gets no working private link from this page.
    message.body = link_tokens_redacted(message.body) if message.readable else ""
    return render(
        request,
        "notifications/message_detail.html",
        {
            "message": message,
            "may_retry": user_may_retry_messages(request.user)
            and message.status == OutboxStatus.FAILED,
        },
    )


@login_required
@require_POST
def message_retry_view(request, pk: int):
    if not user_may_retry_messages(request.user):
        raise PermissionDenied
    message = get_object_or_404(OutboxMessage.objects.select_related("complaint"), pk=pk)
    if message_retry(message=message, actor=request.user):
        messages.success(request, _("Het bericht wordt opnieuw verstuurd."))
    else:
        messages.error(
            request, _("Dit bericht is niet mislukt en kan niet opnieuw worden verstuurd.")
        )
    return redirect("notifications:detail", pk=message.pk)
