"""Does a text name a party of its complaint? For the anonymised summary of the trainers'
review (LSR-8b: the complainant's integrity is protected).

A text is refused when it holds a party's name (the complainant, their representative),
any part of that name that is not a particle, their e-mail address or phone number, or
any e-mail address or phone number at all.
"""

import re

from django.utils.translation import gettext as _

from klachtroute.cases.models import Complaint

_PARTICLES = {"van", "der", "den", "de", "het", "ten", "ter", "te", "la", "le", "von", "du", "da"}
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_PHONE = re.compile(r"(?:\+|\b)\d(?:[\s.\-()]*\d){7,}")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def party_data_found(complaint: Complaint, text: str) -> list[str]:
    """What kind of party data `text` holds ("naam", "e-mailadres", "telefoonnummer")."""
    if not text:
        return []
    found = []
    lowered = text.casefold()
    names = [complaint.complainant_name, complaint.representative_name]
    parts = set()
    for name in filter(None, names):
        parts.add(name.casefold().strip())
        parts.update(
            p
            for p in re.split(r"[\s,.'-]+", name.casefold())
            if len(p) >= 3 and p not in _PARTICLES
        )
    if any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", lowered) for p in parts if p):
        found.append(_("een naam"))
    emails = [e.casefold() for e in (complaint.complainant_email,) if e]
    if _EMAIL.search(text) or any(e in lowered for e in emails):
        found.append(_("een e-mailadres"))
    phone = _digits(complaint.complainant_phone or "")
    if _PHONE.search(text) or (len(phone) >= 6 and phone in _digits(text)):
        found.append(_("een telefoonnummer"))
    return found
