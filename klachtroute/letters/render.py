"""Messages as PDF letters on the organisation's letterhead (WeasyPrint).

A letter is rendered from an outbox message: for a person without e-mail (the
secretariat prints and posts it) and for the dossier (an e-mailed message as paper).
The text of the letter is the message's own body, which already holds the greeting and
the closing; this module only adds the letterhead, the address in the window of a
window envelope, the date, the reference and the subject. A letter to post prints its
private links for paper (`postal.py`); any other letter leaves the links out, because
whoever reads it is not the person the link lets act.
"""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.notifications.redact import link_tokens_redacted
from klachtroute.organisation.selectors import organisation_get

from .pdf import html_to_pdf
from .postal import body_for_paper, paper_links

POSTAL_STATUSES = (OutboxStatus.TO_POST, OutboxStatus.POSTED)

_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_counter_css(text: str) -> str:
    """A CSS `content` value for a translated "pagina %(page)s van %(pages)s": the
    placeholders become the page counters, everything else quoted text."""
    parts = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.start() > position:
            parts.append(_css_string(text[position : match.start()]))
        parts.append(f"counter({match.group(1)})")
        position = match.end()
    if position < len(text):
        parts.append(_css_string(text[position:]))
    return " ".join(parts) or '""'


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def letter_context(message: OutboxMessage, *, for_post: bool = False) -> dict:
    """What the letter template shows; call inside the message's language. `for_post`:
    the secretariat prints this letter to post it, with its private links for paper."""
    organisation = organisation_get()
    created = message.created_at or timezone.now()
    address_lines = _lines(organisation.address) if organisation else []
    links = []
    if for_post and message.status in POSTAL_STATUSES:
        links = paper_links(
            message.body, language=message.language or settings.LANGUAGE_CODE, kind=message.kind
        )
        body = body_for_paper(message.body, links)
    else:
        body = link_tokens_redacted(message.body)
    return {
        "message": message,
        "body": body,
        "paper_links": links,
        "reply_links": [link for link in links if link.reply_choices],
        "organisation": organisation,
        "organisation_address_lines": address_lines,
        "return_address": " · ".join(
            [organisation.name, *address_lines] if organisation else address_lines
        ),
        "recipient_lines": _lines(message.postal_address),
        "letter_date": timezone.localtime(created).date(),
        "complaint": message.complaint,
        "page_counter": page_counter_css(gettext("pagina %(page)s van %(pages)s")),
    }


def letter_html(message: OutboxMessage, *, for_post: bool = False) -> str:
    language = message.language or settings.LANGUAGE_CODE
    with translation.override(language):
        return render_to_string("letters/letter.html", letter_context(message, for_post=for_post))


def letter_pdf(message: OutboxMessage, *, for_post: bool = False) -> bytes:
    """The message as an A4 letter in PDF (its style is inline in the letter)."""
    return html_to_pdf(letter_html(message, for_post=for_post), shared_stylesheet=False)


def letter_filename(message: OutboxMessage) -> str:
    """A file name without surprises, e.g. K-2026-0001-brief-12.pdf."""
    prefix = message.complaint.number if message.complaint_id else ""
    prefix = re.sub(r"[^A-Za-z0-9-]+", "-", prefix).strip("-")
    return f"{prefix}-brief-{message.pk}.pdf" if prefix else f"brief-{message.pk}.pdf"
