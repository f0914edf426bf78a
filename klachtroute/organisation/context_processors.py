"""Makes the organisation available to every template."""

from django.utils.functional import SimpleLazyObject

from .models import Organisation


def _organisation() -> Organisation | None:
    # The pages show its name and contact details, never its procedure: no join.
    return Organisation.objects.order_by("pk").first()


def organisation(request):
    # Read when a template first uses it: a page that is given its own organisation (the
    # reports) or shows none (a fragment, a redirect) does not read it.
    return {"organisation": SimpleLazyObject(_organisation)}
