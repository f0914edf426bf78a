"""Checking uploads by their content, and removing stored files when a write fails."""

import contextlib
import contextvars
import email.parser
import email.policy
import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# What may be attached, decided by the file's content, never by its name.
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/tiff": ".tif",
    "message/rfc822": ".eml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
}
# Office Open XML: a ZIP with [Content_Types].xml and the main part's folder. A macro
# project (vbaProject.bin, the .docm/.xlsm/.pptm formats) is not accepted.
_OOXML_FOLDERS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# Legacy Office (Word 97-2003, Excel 97-2003): an OLE2 compound file.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?.*$")
_MAIL_HEADERS = {"from", "to", "subject", "date", "message-id", "received", "mime-version"}


@dataclass(frozen=True)
class UploadCheck:
    file: File
    clean_name: str
    content_type: str
    size: int
    sha256: str


def _looks_like_email(head: bytes) -> bool:
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    if first_line.startswith(b"From ") or _HEADER_LINE.match(first_line):
        try:
            message = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(head)
        except Exception:  # noqa: BLE001 - anything unparsable is not an e-mail
            return False
        return len({k.lower() for k in message.keys()} & _MAIL_HEADERS) >= 2
    return False


def sniff_content_type(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if _looks_like_email(head):
        return "message/rfc822"
    return None


def _office_type(upload, head: bytes) -> str | None:
    """The type of an Office document, read from its container; None if it is not one.

    For an OLE2 file the container alone does not tell Word from Excel reliably; the
    signature library decides when it can, otherwise the name picks between .doc and .xls
    (the same container, both allowed) and any other OLE2 file (e.g. Outlook .msg) is
    refused."""
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" not in names or any(
            n.lower().endswith("vbaproject.bin") for n in names
        ):
            return None
        for folder, mime in _OOXML_FOLDERS.items():
            if any(n.startswith(folder) for n in names):
                return mime
        return None
    if head.startswith(_OLE2_MAGIC):
        kind = filetype.guess(head)
        if kind is not None and kind.mime in ("application/msword", "application/vnd.ms-excel"):
            return kind.mime
        name = (upload.name or "").lower()
        if name.endswith(".xls"):
            return "application/vnd.ms-excel"
        if name.endswith(".doc"):
            return "application/msword"
    return None


def clean_filename(name: str, content_type: str) -> str:
    """A safe display name: no path, no control characters, the extension of its real type."""
    base = PurePath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFKC", base)
    stem = PurePath(base).stem if "." in base else base
    stem = re.sub(r"[^\w\- .()]+", "_", stem).strip(" ._") or "document"
    return f"{stem[:100]}{ALLOWED_TYPES[content_type]}"


def upload_check(upload) -> UploadCheck:
    """Refuse empty, too large and not-allowed files with a message the user can act on."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("Het bestand is te groot (%(size)s); het maximum is %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    if head.startswith((b"PK\x03\x04", _OLE2_MAGIC)):
        content_type = _office_type(upload, head)  # a ZIP or OLE2 file is Office or refused
    else:
        content_type = sniff_content_type(head)
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "Dit soort bestand is niet toegestaan. Toegestaan zijn PDF, afbeeldingen (PNG, JPEG, "
                "GIF, WebP, TIFF), Office-documenten (Word, Excel, PowerPoint) en e-mails (.eml)."
            ),
            code="type",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return UploadCheck(
        file=upload,
        clean_name=clean_filename(upload.name or "document", content_type),
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )


_stored_files: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "klachtroute_stored_files", default=None
)


def remember_stored_file(storage, name: str) -> None:
    stored = _stored_files.get()
    if stored is not None:
        stored.append((storage, name))


@contextlib.contextmanager
def files_removed_on_failure():
    """Files stored inside the block are deleted again if the block raises (rolled back)."""
    stored: list = []
    token = _stored_files.set(stored)
    try:
        yield
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    finally:
        _stored_files.reset(token)


def upload_quota_check(*, complaint, checked: list[UploadCheck], through_link: bool = False):
    """Refuse uploads past the quotas (a ValidationError naming the limit): all documents
    of one complaint together (UPLOAD_COMPLAINT_MAX_BYTES, UPLOAD_COMPLAINT_MAX_FILES) and,
    for the complainant's private link, what it may add per hour
    (UPLOAD_LINK_MAX_FILES_PER_HOUR, UPLOAD_LINK_MAX_BYTES_PER_HOUR). Call it with the
    complaint locked, so that two uploads at once cannot both slip under the limit."""
    from datetime import timedelta

    from django.db.models import Count, Sum
    from django.utils import timezone

    if not checked:
        return
    new_files, new_bytes = len(checked), sum(c.size for c in checked)
    held = complaint.documents.aggregate(n=Count("id"), size=Sum("size"))
    if held["n"] + new_files > settings.UPLOAD_COMPLAINT_MAX_FILES:
        raise ValidationError(
            _("Bij deze klacht kunnen hoogstens %(max)d documenten worden bewaard.")
            % {"max": settings.UPLOAD_COMPLAINT_MAX_FILES}
        )
    if (held["size"] or 0) + new_bytes > settings.UPLOAD_COMPLAINT_MAX_BYTES:
        raise ValidationError(
            _("De documenten bij deze klacht mogen samen hoogstens %(max)s groot zijn.")
            % {"max": filesizeformat(settings.UPLOAD_COMPLAINT_MAX_BYTES)}
        )
    if through_link:
        since = timezone.now() - timedelta(hours=1)
        recent = complaint.documents.filter(
            uploaded_by__isnull=True, uploaded_at__gte=since
        ).aggregate(n=Count("id"), size=Sum("size"))
        if (
            recent["n"] + new_files > settings.UPLOAD_LINK_MAX_FILES_PER_HOUR
            or (recent["size"] or 0) + new_bytes > settings.UPLOAD_LINK_MAX_BYTES_PER_HOUR
        ):
            raise ValidationError(
                _(
                    "U heeft het afgelopen uur al veel bestanden toegevoegd (hoogstens "
                    "%(files)d bestanden of %(size)s per uur). Probeer het over een uur opnieuw."
                )
                % {
                    "files": settings.UPLOAD_LINK_MAX_FILES_PER_HOUR,
                    "size": filesizeformat(settings.UPLOAD_LINK_MAX_BYTES_PER_HOUR),
                }
            )


def document_response(document):
    """A complaint's document as a download, never shown in the browser's own viewer nor
    kept in a cache; None when its file is missing from storage."""
    from django.http import FileResponse

    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        return None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
