"""The one PDF renderer: HTML to PDF for every document made on the server (the dossier, a
person's data export, letters, the annual report and the trainers' review).

A document loads nothing from outside, so that text in a complaint can never make
WeasyPrint fetch a file or URL. Documents either bring their own inline style or use the
shared stylesheet, a static file (static/css/pdf_report.css).
"""

from django.contrib.staticfiles import finders

STYLESHEET = "css/pdf_report.css"


def _fetch_nothing(url: str, *args, **kwargs):
    raise ValueError(f"PDF documents load no resources ({url})")


def html_to_pdf(html: str, *, shared_stylesheet: bool = True) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which most pages do not need.
    from weasyprint import CSS, HTML

    stylesheets = []
    if shared_stylesheet:
        stylesheets.append(CSS(filename=finders.find(STYLESHEET), url_fetcher=_fetch_nothing))
    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf(stylesheets=stylesheets)
