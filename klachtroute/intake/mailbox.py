"""Reading the complaint mailbox over IMAP (standard library `imaplib`) and taking a
message apart: sender, subject, text, attachments and whether a machine sent it.

Nothing is lost or doubled: a message is flagged as handled on the server only after
`process` has committed it; a crash between the two leaves it unflagged, and the next run
fetches it again, where its Message-ID makes it the same row.
"""

import email
import email.policy
import email.utils
import hashlib
import imaplib
import logging
import re
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import strip_tags

from klachtroute.cases.uploads import UploadCheck, upload_check

logger = logging.getLogger(__name__)

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply", "auto-reply"}
_MAILER_DAEMON = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)


@dataclass
class Attachment:
    name: str
    content: bytes


@dataclass
class ParsedMail:
    message_id: str
    sender_name: str
    sender_email: str
    subject: str
    body: str
    in_reply_to: list[str]
    attachments: list[Attachment] = field(default_factory=list)
    automatic_reason: str = ""

    def key(self, raw: bytes) -> str:
        """The same message twice has the same key: its Message-ID, or its bytes."""
        source = self.message_id.encode() if self.message_id else raw
        return hashlib.sha256(source).hexdigest()


def _header(message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a malformed header reads as empty, never crashes intake
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _automatic_reason(message, sender_email: str) -> str:
    """Why this message was sent by a machine (auto-reply, bounce, list), or ""."""
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = _header(message, "Precedence").lower()
    if precedence in _AUTOMATIC_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in ("List-Id", "List-Unsubscribe", "X-Autoreply", "X-Autorespond"):
        if _header(message, name):
            return name
    if message.get_content_type() == "multipart/report":
        return "multipart/report"
    if not sender_email or _header(message, "Return-Path") == "<>":
        return "empty sender"
    if _MAILER_DAEMON.match(sender_email):
        return sender_email.split("@")[0]
    return ""


def _text_of(message) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        text = part.get_content()
    except Exception:  # noqa: BLE001 - undecodable text: the .eml is kept, the text stays empty
        return ""
    if part.get_content_type() == "text/html":
        text = strip_tags(text)
    return text.replace("\r\n", "\n").strip()


def _attachments_of(message) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        name = part.get_filename() or ""
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            content = inner.as_bytes() if hasattr(inner, "as_bytes") else b""
            name = name or "bijlage.eml"
        else:
            content = part.get_payload(decode=True) or b""
            name = name or "bijlage"
        found.append(Attachment(name=name, content=content))
    return found


def mail_parse(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    sender_name, sender_email = email.utils.parseaddr(_header(message, "From"))
    references = _header(message, "In-Reply-To") + " " + _header(message, "References")
    return ParsedMail(
        message_id=_header(message, "Message-ID"),
        sender_name=sender_name.strip()[:200],
        sender_email=sender_email.strip().lower()[:254],
        subject=_header(message, "Subject"),
        body=_text_of(message),
        in_reply_to=re.findall(r"<[^<>\s]+>", references),
        attachments=_attachments_of(message),
        automatic_reason=_automatic_reason(message, sender_email.strip()),
    )


def attachments_checked(parsed: ParsedMail) -> tuple[list[UploadCheck], list[dict]]:
    """Every attachment through the upload rules: the accepted ones, and for each
    attachment a row {name, size, refused} with the reason it was refused ("" if not)."""
    accepted, rows = [], []
    for attachment in parsed.attachments:
        upload = SimpleUploadedFile(attachment.name, attachment.content)
        try:
            accepted.append(upload_check(upload))
            refused = ""
        except ValidationError as error:
            refused = " ".join(error.messages)
        rows.append({"name": attachment.name, "size": len(attachment.content), "refused": refused})
    return accepted, rows


def original_checked(raw: bytes) -> tuple[UploadCheck | None, str]:
    """The original message as an .eml document, or why it cannot be one."""
    try:
        return upload_check(SimpleUploadedFile("e-mail.eml", raw)), ""
    except ValidationError as error:
        return None, " ".join(error.messages)


class MailboxError(Exception):
    pass


@dataclass
class FetchReport:
    fetched: int = 0
    new: int = 0
    error: str = ""


def _ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.IMAP_CA_FILE or None)


def _connect() -> imaplib.IMAP4:
    host, port, security = settings.IMAP_HOST, settings.IMAP_PORT, settings.IMAP_SECURITY
    if not host:
        raise ImproperlyConfigured("IMAP_HOST is not set.")
    timeout = settings.IMAP_TIMEOUT
    if security == "tls":
        connection = imaplib.IMAP4_SSL(host, port, ssl_context=_ssl_context(), timeout=timeout)
    elif security == "starttls":
        connection = imaplib.IMAP4(host, port, timeout=timeout)
        connection.starttls(ssl_context=_ssl_context())
    elif security == "none" and host in LOOPBACK:
        connection = imaplib.IMAP4(host, port, timeout=timeout)
    else:
        raise ImproperlyConfigured(
            "IMAP_SECURITY must be 'tls' or 'starttls' ('none' only for a server on this machine)."
        )
    connection.login(settings.IMAP_USER, settings.IMAP_PASSWORD)
    status, _data = connection.select(settings.IMAP_FOLDER)
    if status != "OK":
        raise MailboxError(f"Cannot open folder {settings.IMAP_FOLDER!r}.")
    return connection


def _fetched(data) -> tuple[bytes, datetime | None]:
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            envelope, raw = item
            parsed = imaplib.Internaldate2tuple(envelope)  # a local-time struct, or None
            when = None
            if parsed is not None:
                when = datetime.fromtimestamp(time.mktime(parsed), tz=UTC)
            return raw, when
    raise MailboxError("The server sent no message body.")


def mailbox_fetch(process, limit: int | None = None) -> FetchReport:
    """Fetch every message not yet flagged as handled, give it to `process(raw, received_at)`
    (which commits it) and only then flag it. A dropped connection stops the run; what was
    committed before stays, and the rest is fetched by the next run."""
    flag = settings.IMAP_HANDLED_FLAG
    report = FetchReport()
    connection = None
    try:
        connection = _connect()
        status, data = connection.uid("SEARCH", None, "UNKEYWORD", flag)
        if status != "OK":
            raise MailboxError("Search failed.")
        uids = data[0].split() if data and data[0] else []
        for uid in uids[: limit or None]:
            status, data = connection.uid("FETCH", uid, "(INTERNALDATE BODY.PEEK[])")
            if status != "OK":
                raise MailboxError(f"Fetch of message {uid!r} failed.")
            raw, received_at = _fetched(data)
            report.fetched += 1
            if process(raw, received_at):
                report.new += 1
            status, _data = connection.uid("STORE", uid, "+FLAGS", f"({flag})")
            if status != "OK":
                raise MailboxError(f"Could not flag message {uid!r} as handled.")
    except (imaplib.IMAP4.error, OSError, MailboxError) as error:
        report.error = f"{type(error).__name__}: {error}"
        logger.warning("Mailbox fetch stopped: %s", report.error)
    finally:
        if connection is not None:
            try:
                connection.logout()
            except (imaplib.IMAP4.error, OSError):
                pass
    return report
