"""The public complaint regulation (`/klachtenregeling/`), as a page and as a PDF.

Public: anyone may read how to complain. The text is the version of the organisation's
active procedure in force today (`regulation_build`), in the page's language.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from klachtroute.letters.pdf import html_to_pdf
from klachtroute.organisation.selectors import active_version_in_force, organisation_get

from .public_views import _page_language
from .regulation import Regulation, regulation_build


def _regulation(request: HttpRequest) -> Regulation:
    version = active_version_in_force(on=timezone.localdate())
    if version is None:
        raise Http404
    return regulation_build(
        version=version,
        organisation=organisation_get(),
        language=_page_language(request),
        form_url=request.build_absolute_uri(reverse("intake:complaint_form")),
    )


@require_GET
def regulation(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/regulation.html", {"regulation": _regulation(request)})


@require_GET
def regulation_pdf(request: HttpRequest) -> HttpResponse:
    html = render_to_string(
        "intake/regulation_pdf.html", {"regulation": _regulation(request)}, request=request
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="klachtenregeling.pdf"'
    return response
