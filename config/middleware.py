"""Response headers that Django's SecurityMiddleware does not set itself."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """settings.CONTENT_SECURITY_POLICY (no 'unsafe-inline', no 'unsafe-eval') on every response.

    A view that sets its own policy (the private-link portal does) keeps it. Django's admin
    needs no exception: its templates carry no inline scripts or styles.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response
