"""Making and checking private links.

The token in a link is 144 random bits, signed with the site's secret so that a
tampered token is refused before the database is asked. Only a hash of the random
part is stored: a database leak reveals no working link.

A letter cannot be clicked: it prints the same link as a short code that a person types
(`/p/7KQ2-M9XD-4HZP-R3TA/`, 80 bits derived from the token with the site's secret) and
as a QR code. The short code lives under `/p/` too, so everything that keeps private
links out of logs and caches keeps it out as well.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from .models import PrivateLink, Purpose

# Named after the app the links began in: the links already sent are signed with it.
_SIGNER_SALT = "klachtroute.portal.link"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# Crockford's base 32: no I, L, O or U, so that what is read can be typed back.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_TO_CROCKFORD = str.maketrans(_BASE32, _CROCKFORD)
_READ_BACK = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None, ".": None})
SHORT_CODE_LENGTH = 16  # 80 bits


def _short_code(raw: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"klachtroute.links.short:" + raw.encode(), "sha256"
    ).digest()
    code = base64.b32encode(digest[:10]).decode().translate(_TO_CROCKFORD)
    return "-".join(code[i : i + 4] for i in range(0, SHORT_CODE_LENGTH, 4))


def _short_normalised(code: str) -> str:
    return code.upper().translate(_READ_BACK)


def is_short_code(token: str) -> bool:
    """A typed short code, not a signed token (those hold a colon)."""
    return ":" not in token


def link_create(
    *, complaint, party: str, purpose: str, days: int = 30, created_by=None, language: str = "nl"
) -> str:
    """Create a link and return its absolute URL. Call inside the transaction of its cause."""
    (url,) = links_create_many(
        items=[
            NewLink(
                complaint=complaint,
                party=party,
                purpose=purpose,
                days=days,
                created_by=created_by,
                language=language,
            )
        ]
    )
    return url


class NewLink(NamedTuple):
    """One link of `links_create_many`."""

    complaint: Any
    party: str
    purpose: str
    days: int = 30
    created_by: Any = None
    language: str = "nl"


def links_create_many(*, items: list[NewLink]) -> list[str]:
    """Create a link for each item, in one insert however many, and return their absolute
    URLs in the order given. Call inside the transaction of their cause."""
    now = timezone.now()
    signer = signing.Signer(salt=_SIGNER_SALT)
    rows, urls = [], []
    for item in items:
        raw = secrets.token_urlsafe(18)
        rows.append(
            PrivateLink(
                complaint=item.complaint,
                party=item.party,
                purpose=item.purpose,
                token_hash=_hash(raw),
                short_hash=_hash(_short_normalised(_short_code(raw))),
                expires_at=now + timedelta(days=item.days),
                created_by=item.created_by,
            )
        )
        # The link opens in the reader's language, whatever language the sender works in.
        with translation.override(item.language):
            path = reverse("portal:link", kwargs={"token": signer.sign(raw)})
        urls.append(settings.SITE_URL + path)
    PrivateLink.objects.bulk_create(rows)
    return urls


def _raw(token: str) -> str | None:
    try:
        return signing.Signer(salt=_SIGNER_SALT).unsign(token)
    except signing.BadSignature:
        return None


def link_resolve(token: str) -> PrivateLink | None:
    """The live link for a token or a typed short code, or None when it is tampered with,
    unknown, expired or revoked."""
    links = PrivateLink.objects.select_related("complaint", "complaint__procedure_version")
    if is_short_code(token):
        normalised = _short_normalised(token)
        if len(normalised) != SHORT_CODE_LENGTH:
            return None
        link = links.filter(short_hash=_hash(normalised)).first()
    else:
        raw = _raw(token)
        if raw is None:
            return None
        link = links.filter(token_hash=_hash(raw)).first()
    if link is None or link.revoked_at is not None or link.expires_at <= timezone.now():
        return None
    return link


def links_revoke(*, complaint, party: str | None = None, purpose: str | None = None) -> int:
    return links_revoke_many(complaints=[complaint], party=party, purpose=purpose)


def links_revoke_many(*, complaints, party: str | None = None, purpose: str | None = None) -> int:
    """Revoke the live links of these complaints (of one party, for one purpose, when
    given) in one update. Returns how many."""
    qs = PrivateLink.objects.filter(complaint__in=complaints, revoked_at__isnull=True)
    if party:
        qs = qs.filter(party=party)
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs.update(revoked_at=timezone.now())


def links_close(*, complaint) -> int:
    """A complaint is closed: every link that asks something of someone stops (approving,
    responding, a defence, the third party's advice, a copy); a status link (the
    complainant's, the respondent's) stays until it expires, so that its party can read the
    outcome (as under every procedure)."""
    return (
        PrivateLink.objects.filter(complaint=complaint, revoked_at__isnull=True)
        .exclude(purpose=Purpose.STATUS)
        .update(revoked_at=timezone.now())
    )


def link_short_url(url: str, *, language: str = "nl") -> tuple[PrivateLink, str] | None:
    """For the full URL of a live link: the link and its short address for a letter
    (`klachten.example.org/p/7KQ2-M9XD-4HZP-R3TA/`, without `https://`, which a browser
    adds). None for a URL that is not a live private link. A link made before letters
    carried short codes gets its code here, when its first letter is printed."""
    token = url.rstrip("/").rsplit("/p/", 1)[-1]
    raw = _raw(token) if "/p/" in url else None
    if raw is None:
        return None
    link = link_resolve(token)
    if link is None:
        return None
    code = _short_code(raw)
    if not link.short_hash:
        link.short_hash = _hash(_short_normalised(code))
        PrivateLink.objects.filter(pk=link.pk).update(short_hash=link.short_hash)
    with translation.override(language):
        path = reverse("portal:link", kwargs={"token": code})
    site = settings.SITE_URL.removeprefix("https://")
    return link, site + path
