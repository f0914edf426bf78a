"""Outcome letters are complete before they go.

A solution, findings or a ruling is sent only when it states the decision, the reasons,
what will be done and by when, and the next step open to the complainant: the body, its
contact details and the period, taken from the procedure definition (`next_steps`). The
action forms check the parts (so the staff pages, the API and the private-link pages say
what is missing); the messages show each part under its own heading.
"""

from django.utils.translation import gettext as _

from klachtroute.organisation.selectors import organisation_get
from klachtroute.procedures.words import period_words

from .models import Complaint


def _contact(organisation, contact: str) -> list[tuple[str, str]]:
    if organisation is None or contact == "none":
        return []
    prefix = "third_party_" if contact == "third_party" else ""
    values = [
        (_("Naam"), getattr(organisation, f"{prefix}name", "")),
        (_("Adres"), getattr(organisation, f"{prefix}address", "")),
        (_("E-mail"), getattr(organisation, f"{prefix}email", "")),
        (_("Telefoon"), getattr(organisation, f"{prefix}phone", "")),
    ]
    return [(what, value) for what, value in values if value]


def next_step_for(complaint: Complaint, letter: str, language: str | None = None) -> dict | None:
    """The next step the letter names, in the complainant's language; None when the
    procedure version gives none for this letter."""
    spec = complaint.procedure_version.spec
    step = spec.next_steps.get(letter)  # type: ignore[call-overload]
    if step is None:
        return None
    language = language or complaint.complainant_language or "nl"
    period = spec.period_of(step.period) if step.period else None
    return {
        "body": step.body.get(language),
        "text": step.text.get(language),
        "contact": _contact(organisation_get(), step.contact),
        "period": period_words(period) if period else "",
    }
