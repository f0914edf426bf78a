"""The secretariat's view of a complaint's private links: which are live, and revoking one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klachtroute.cases.selectors import complaint_get_visible_or_404
from klachtroute.links.models import PrivateLink

from .services import link_revoke


@login_required
@require_POST
def link_revoke_view(request, number: str, link_id: int):
    complaint = complaint_get_visible_or_404(user=request.user, number=number)
    if not request.user.is_secretariat:
        raise Http404(_("Deze klacht bestaat niet of u heeft er geen toegang toe."))
    link = PrivateLink.objects.filter(pk=link_id, complaint=complaint).first()
    if link is None:
        raise Http404(_("Deze link bestaat niet."))
    if link_revoke(link=link, actor=request.user):
        messages.success(request, _("De link is ingetrokken; hij werkt niet meer."))
    else:
        messages.info(request, _("Deze link was al ingetrokken."))
    return redirect("cases:detail", number=complaint.number)
