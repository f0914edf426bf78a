"""Account pages: two-factor login and set-up, the account page, logging out everywhere,
and the page a locked-out login attempt sees."""

import io
from base64 import b32encode

import django_otp
import segno
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .forms import TokenForm
from .models import ApiToken, RoleChange
from .selectors import lockout_ends_at, totp_device_get
from .services import (
    api_token_create,
    api_token_revoke,
    totp_device_confirm,
    totp_device_start,
    user_sessions_end_all,
)


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@never_cache
@login_required
def two_factor_verify(request):
    """The second login step: a code from the authenticator app."""
    next_url = _next_url(request, settings.LOGIN_REDIRECT_URL)
    if request.user.is_verified():
        return redirect(next_url)
    device = totp_device_get(user=request.user)
    if device is None:
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            django_otp.login(request, device)
            return redirect(next_url)
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwe code."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
def two_factor_setup(request):
    """Add an authenticator app: scan the QR code or type the secret, then confirm a code."""
    user = request.user
    confirmed = totp_device_get(user=user)
    if confirmed is not None and not user.is_verified():
        return redirect("accounts:two_factor_verify")
    if confirmed is not None:
        return render(request, "accounts/two_factor_setup.html", {"device": confirmed})
    device = totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_device_confirm(user=user, device=device, token=form.cleaned_data["token"]):
            django_otp.login(request, device)
            messages.success(request, _("Tweestapsverificatie staat aan."))
            return redirect(_next_url(request, "accounts:account"))
        form.add_error("token", _("Deze code klopt niet. Controleer de tijd op uw telefoon."))
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "config_url": device.config_url,
        "next": _next_url(request, ""),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@login_required
def two_factor_qr(request):
    """The QR code of the app being set up, as SVG from our own address (no data: URI,
    so a strict Content Security Policy is enough)."""
    if totp_device_get(user=request.user) is not None:
        return HttpResponse(status=404)
    device = totp_device_get(user=request.user, confirmed=False)
    if device is None:
        return HttpResponse(status=404)
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = "inline"
    return response


def _account_page(request, *, new_token: str = "", token_error: str = "", status: int = 200):
    return render(
        request,
        "accounts/account.html",
        {
            "device": totp_device_get(user=request.user),
            "session_ends_at": request.session.get_expiry_date(),
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
            "new_token": new_token,
            "token_error": token_error,
        },
        status=status,
    )


@never_cache
@login_required
def account(request):
    return _account_page(request)


@never_cache
@require_POST
@login_required
def api_tokens(request):
    """Make a personal API token (shown once, on this answer only) or revoke one's own."""
    if "revoke" in request.POST:
        raw_id = request.POST.get("revoke", "").strip()
        token = (
            ApiToken.objects.filter(user=request.user, pk=int(raw_id)).first()
            if raw_id.isdigit()
            else None
        )
        if token is None:
            return _account_page(request, token_error=_("Dit token bestaat niet."), status=400)
        api_token_revoke(token=token, actor=request.user)
        messages.success(request, _("Het token is ingetrokken; het werkt niet meer."))
        return redirect("accounts:account")
    name = request.POST.get("name", "").strip()
    if not name:
        return _account_page(
            request,
            token_error=_("Geef het token een naam, bijvoorbeeld waarvoor u het gebruikt."),
            status=400,
        )
    if len(name) > 100:
        return _account_page(
            request, token_error=_("De naam is te lang (hoogstens 100 tekens)."), status=400
        )
    _token, raw = api_token_create(user=request.user, name=name)
    return _account_page(request, new_token=raw)


@never_cache
@login_required
def role_changes(request):
    """Every change of roles, for the director: who changed whose roles, when, from what."""
    if not request.user.is_director:
        raise PermissionDenied
    changes = RoleChange.objects.select_related("person", "changed_by")[:500]
    return render(request, "accounts/role_changes.html", {"changes": changes})


@require_POST
@login_required
def logout_everywhere(request):
    user_sessions_end_all(user=request.user)
    logout(request)
    messages.success(request, _("U bent op alle apparaten uitgelogd."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def lockout(request, original_response=None, credentials=None):
    """django-axes calls this when a username is locked out from an address."""
    username = get_client_username(request, credentials) or ""
    context = {
        "retry_at": lockout_ends_at(
            username=username, ip_address=getattr(request, "axes_ip_address", None)
        ),
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/locked_out.html", context, status=429)
