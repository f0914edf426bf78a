"""Error pages that Django shows instead of its bare defaults."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.views.defaults import bad_request as django_bad_request


def bad_request(request, exception):
    """handler400: a request body over DATA_UPLOAD_MAX_MEMORY_SIZE gets a friendly 413 page.

    Django raises RequestDataTooBig when the form data is first read (in the CSRF
    middleware or in the view) and turns it into a 400 through this handler; nothing of
    such a request reaches a service.
    """
    if isinstance(exception, RequestDataTooBig):
        return render(
            request,
            "errors/request_too_big.html",
            {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
            status=413,
        )
    return django_bad_request(request, exception)
