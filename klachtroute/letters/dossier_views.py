"""Downloads of a complaint's dossier: one PDF, or a ZIP with the PDF and the documents."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from klachtroute.cases.selectors import complaint_get_visible_or_404

from .dossier import dossier_filename, dossier_pdf, dossier_zip_file


def _download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _complaint_or_404(request: HttpRequest, number: str):
    return complaint_get_visible_or_404(user=request.user, number=number)


@login_required
@require_GET
def dossier_pdf_download(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _complaint_or_404(request, number)
    return _download(
        dossier_pdf(complaint),
        filename=dossier_filename(complaint, "pdf"),
        content_type="application/pdf",
    )


@login_required
@require_GET
def dossier_zip_download(request: HttpRequest, number: str) -> FileResponse:
    """Streamed from a temporary file, chunk by chunk; the file goes when it is closed."""
    complaint = _complaint_or_404(request, number)
    response = FileResponse(
        dossier_zip_file(complaint),
        as_attachment=True,
        filename=dossier_filename(complaint, "zip"),
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
