"""Making and checking private links.

The token in a link is 144 random bits, signed with the site's secret so that a
tampered token is refused before the database is asked. Only a hash of the random
part is stored: a database leak reveals no working link.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from .models import PrivateLink

# Named after the app the links began in: the links already sent are signed with it.
_SIGNER_SALT = "klachtroute.portal.link"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def link_create(
    *, complaint, party: str, purpose: str, days: int = 30, created_by=None, language: str = "nl"
) -> str:
    """Create a link and return its absolute URL. Call inside the transaction of its cause."""
    raw = secrets.token_urlsafe(18)
    PrivateLink.objects.create(
        complaint=complaint,
        party=party,
        purpose=purpose,
        token_hash=_hash(raw),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=created_by,
    )
    token = signing.Signer(salt=_SIGNER_SALT).sign(raw)
    # The link opens in the reader's language, whatever language the sender works in.
    with translation.override(language):
        return settings.SITE_URL + reverse("portal:link", kwargs={"token": token})


def link_resolve(token: str) -> PrivateLink | None:
    """The live link for a token, or None when it is tampered with, unknown, expired or revoked."""
    try:
        raw = signing.Signer(salt=_SIGNER_SALT).unsign(token)
    except signing.BadSignature:
        return None
    link = (
        PrivateLink.objects.select_related("complaint", "complaint__procedure_version")
        .filter(token_hash=_hash(raw))
        .first()
    )
    if link is None or link.revoked_at is not None or link.expires_at <= timezone.now():
        return None
    return link


def links_revoke(*, complaint, party: str | None = None, purpose: str | None = None) -> int:
    qs = PrivateLink.objects.filter(complaint=complaint, revoked_at__isnull=True)
    if party:
        qs = qs.filter(party=party)
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs.update(revoked_at=timezone.now())
