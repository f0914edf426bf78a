"""HTML to PDF for documents made on the server (the dossier, a person's data export).

The stylesheet is a static file (static/css/pdf_report.css); a document loads nothing
from outside, so that text in a complaint can never make WeasyPrint fetch a file or URL.
"""

from django.contrib.staticfiles import finders

STYLESHEET = "css/pdf_report.css"


def _fetch_nothing(url: str, *args, **kwargs):
    raise ValueError(f"PDF documents load no resources ({url})")


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which most pages do not need.
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=_fetch_nothing)
    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf(stylesheets=[stylesheet])
