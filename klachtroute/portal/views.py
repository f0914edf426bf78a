"""Pages for the complainant, the respondent and the third party, reached through private links."""

from django.http import Http404


def link(request, token):
    raise Http404
