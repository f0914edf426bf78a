"""The complaint's dossier as one PDF, and as a ZIP of that PDF with every document
(LIVP-7, LSR-6g).

The PDF holds the registered complaint, every event, the solutions and approvals, the
findings and criteria, defences, rulings, measures, extensions, every message sent, and
the list of documents. Callers check visibility first (complaint_get_visible).

A dossier is handed on (to the director, an archive, a court): it never holds a working
private link. It lists each link sent (party, purpose, dates); message texts show where a
link was, not its token.
"""

import posixpath
import re
import shutil
import tempfile
import zipfile
from typing import BinaryIO

from django.template.loader import render_to_string
from django.utils import timezone

from klachtroute.cases.models import Complaint, Party
from klachtroute.notifications.redact import link_tokens_redacted
from klachtroute.organisation.selectors import organisation_get

from .pdf import html_to_pdf


def _messages_without_tokens(complaint: Complaint) -> list:
    messages = list(complaint.messages.order_by("created_at", "id"))
    for message in messages:
        message.body = link_tokens_redacted(message.body)
    return messages


def _links_sent(complaint: Complaint) -> list:
    links = list(complaint.links.order_by("created_at", "id"))
    labels = dict(Party.choices)
    for link in links:
        link.party_label = labels.get(link.party, link.party)
    return links


def dossier_context(complaint: Complaint) -> dict:
    return {
        "complaint": complaint,
        "organisation": organisation_get(),
        "generated_at": timezone.now(),
        "events": list(complaint.events.select_related("actor").order_by("at", "id")),
        "solutions": list(
            complaint.solutions.select_related("proposed_by").prefetch_related(
                "approvals__recorded_by"
            )
        ),
        "findings": list(
            complaint.findings.select_related("shared_by").prefetch_related("judgements")
        ),
        "defence_requests": list(complaint.defence_requests.select_related("requested_by")),
        "rulings": list(complaint.rulings.prefetch_related("follow_ups__done_by", "judgements")),
        "measures": list(complaint.measures.select_related("owner")),
        "extensions": list(complaint.extensions.select_related("by")),
        "messages": _messages_without_tokens(complaint),
        "links": _links_sent(complaint),
        "documents": list(complaint.documents.select_related("uploaded_by")),
        # What the complainant added, in full.
        "information": list(
            complaint.information_added.order_by("added_at", "id").prefetch_related("documents")
        ),
    }


def dossier_html(complaint: Complaint) -> str:
    return render_to_string("cases/dossier/dossier_pdf.html", dossier_context(complaint))


def dossier_pdf(complaint: Complaint) -> bytes:
    """The whole dossier as one PDF, in the reader's language."""
    return html_to_pdf(dossier_html(complaint))


def _safe_part(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "klacht"


def dossier_filename(complaint: Complaint, extension: str) -> str:
    return f"{_safe_part(complaint.number)}-dossier.{extension}"


def _unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name (2).ext`, `name (3).ext` … when that name is already in the ZIP."""
    # Only the last path part, so that a stored name can never place a file elsewhere.
    name = posixpath.basename(name.replace("\\", "/")).strip() or "document"
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
    taken.add(candidate.lower())
    return candidate


def dossier_zip_file(complaint: Complaint) -> BinaryIO:
    """A ZIP with the dossier PDF and every document under its original name, written
    to a temporary file (gone when closed) and returned at its start: documents are
    copied in chunks, so a dossier of hundreds of megabytes never sits in memory."""
    out = tempfile.TemporaryFile(prefix="klachtroute-dossier-")
    pdf_name = dossier_filename(complaint, "pdf")
    taken = {pdf_name.lower()}
    try:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(pdf_name, dossier_pdf(complaint))
            for document in complaint.documents.order_by("uploaded_at", "id"):
                name = "documenten/" + _unique_name(document.original_name, taken)
                try:
                    with document.file.open("rb") as handle:
                        with archive.open(name, "w", force_zip64=True) as target:
                            shutil.copyfileobj(handle, target, 1024 * 1024)
                except FileNotFoundError:
                    # A missing file is named in the dossier's list; the ZIP says it is missing.
                    archive.writestr(name + ".ontbreekt.txt", b"")
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
