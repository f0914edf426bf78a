"""Makes the organisation available to every template."""

from django.utils.functional import SimpleLazyObject

from .selectors import organisation_contact_get


def organisation(request):
    # Read when a template first uses it: a page that is given its own organisation (the
    # reports) or shows none (a fragment, a redirect) does not read it.
    return {"organisation": SimpleLazyObject(organisation_contact_get)}
