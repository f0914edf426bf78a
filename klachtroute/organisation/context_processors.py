"""Makes the organisation available to every template."""

from .selectors import organisation_get


def organisation(request):
    return {"organisation": organisation_get()}
