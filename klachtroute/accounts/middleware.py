"""The two-factor gate: a logged-in person who still owes a code (or an authenticator app)
reaches only the login, logout and two-factor pages until they have given it."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .selectors import two_factor_step

# Pages reachable without a second factor: logging in and out, the two-factor pages
# themselves, and everything that is not a staff page (public form, private links).
EXEMPT_URL_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "accounts:two_factor_qr",
    "intake:complaint_form",
    "intake:complaint_received",
    "set_language",
}
EXEMPT_NAMESPACES = {"portal"}
EXEMPT_PATH_PREFIXES = ("/api/", "/i18n/")


class TwoFactorGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _is_exempt(request):
            return None
        step = two_factor_step(user=user)
        if step is None:
            return None
        target = reverse(f"accounts:two_factor_{step}")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


def _is_exempt(request) -> bool:
    path = request.path_info
    if path.startswith(EXEMPT_PATH_PREFIXES) or path.startswith(settings.STATIC_URL):
        return True
    match = request.resolver_match
    if match is None:
        return False
    return match.view_name in EXEMPT_URL_NAMES or bool(
        EXEMPT_NAMESPACES.intersection(match.namespaces)
    )
