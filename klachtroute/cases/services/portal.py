"""Writes the complainant makes through the status page."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Complaint, InformationAdded, Party
from ..phrases import Phrase, plural
from ..uploads import files_removed_on_failure, upload_check, upload_quota_check
from ..workflow import EventKind
from .common import record, secretariat, tell_involved, tell_user
from .registration import document_add

INFORMATION_MAX_CHARS = 10_000


def complainant_information_add(
    *, complaint: Complaint, text: str, files: list, actor_label: str = ""
):
    """The complainant adds a text and/or documents to an open complaint; the handler (or,
    without one, the secretariat) is told that there is something new, by number only.

    Every file is checked before anything is written. A refused file raises a
    ValidationError on the field "files" (or "text") and leaves nothing behind: no
    Document row, no file in storage, no event, no message. `actor_label` says in the
    history how the complainant sent it when not through the private link (by e-mail).
    """
    text = (text or "").strip()
    files = [f for f in files or [] if f is not None]
    if len(text) > INFORMATION_MAX_CHARS:
        raise ValidationError(
            {"text": _("Gebruik ten hoogste %(max)d tekens.") % {"max": INFORMATION_MAX_CHARS}}
        )
    if not text and not files:
        raise ValidationError({"text": _("Schrijf een toelichting of kies een bestand.")})
    checked = []
    for upload in files:
        try:
            checked.append(upload_check(upload))
        except ValidationError as exc:
            name = getattr(upload, "name", "") or _("bestand")
            raise ValidationError(
                {"files": [f"{name}: {message}" for message in exc.messages]}
            ) from exc

    label = actor_label or _("Klager (via privélink)")
    with files_removed_on_failure(), transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not complaint.is_open:
            raise ValidationError(
                _("Uw klacht is afgesloten. U kunt geen informatie meer toevoegen.")
            )
        try:
            upload_quota_check(complaint=complaint, checked=checked, through_link=True)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
        added = InformationAdded.objects.create(
            complaint=complaint, text=text, added_at=timezone.now()
        )
        documents = [
            document_add(complaint=complaint, checked=c, actor=None, actor_label=label)
            for c in checked
        ]
        added.documents.set(documents)
        record(
            complaint,
            actor=None,
            party=Party.COMPLAINANT,
            kind=EventKind.INFORMATION_ADDED,
            summary=_information_summary(text, [d.original_name for d in documents]),
            after={"text": text, "documents": [d.original_name for d in documents]},
            actor_label=label,
        )
        if complaint.handler_id:
            tell_involved(complaint, "complainant_added_information")
        else:
            for person in secretariat():
                tell_user(complaint, person, "complainant_added_information")
    return added


def _information_summary(text: str, names: list[str]) -> Phrase:
    """The history's words for what the complainant added: the text itself (shortened only
    where the history's line ends; the record and the dossier show it in full) and the
    documents by name."""
    if text:
        shown = text if len(text) <= 300 else text[:300].rstrip() + "…"
        said = Phrase("De klager heeft informatie toegevoegd: “%(text)s”", text=shown)
    else:
        said = Phrase("De klager heeft informatie toegevoegd.")
    if not names:
        return said
    documents = plural(
        "Document: %(names)s.", "Documenten: %(names)s.", len(names), names=", ".join(names)
    )
    return Phrase("%(first)s %(then)s", first=said, then=documents)
