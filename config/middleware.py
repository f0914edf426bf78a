"""Response headers that Django's SecurityMiddleware does not set itself: the Content
Security Policy (a sandbox for downloads) and no-store for pages with personal data."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers

# Pages without login that still show personal data: private links and the page a
# complainant sees right after submitting the form (with or without a language prefix),
# and the API (its bearer tokens do not log a person in).
_PERSONAL_PUBLIC_PATHS = ("/p/", "/klacht/ontvangen/", "/api/")


class ContentSecurityPolicyMiddleware:
    """settings.CONTENT_SECURITY_POLICY (no 'unsafe-inline', no 'unsafe-eval') on every response.

    A view that sets its own policy (the private-link portal does) keeps it. Django's admin
    needs no exception: its templates carry no inline scripts or styles.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Disposition", "").startswith("attachment"):
            # A download (a document someone uploaded, an export) never runs as a page of
            # this site, even when a browser is tricked into rendering it.
            response["Content-Security-Policy"] = "sandbox"
            response["X-Content-Type-Options"] = "nosniff"
        elif "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response


def _language_free(path: str) -> str:
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


class PersonalDataNoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a logged-in person and on the pages
    behind private links: no browser cache, shared computer or proxy keeps personal data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = bool(user is not None and user.is_authenticated) or _language_free(
            request.path
        ).startswith(_PERSONAL_PUBLIC_PATHS)
        if personal and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
