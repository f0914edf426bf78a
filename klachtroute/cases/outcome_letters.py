"""Outcome letters are complete before they go.

A solution, findings, a ruling, a binding advice or a reasoned outcome is sent only when it
states the decision, the reasons, what will be done and by when, and the next step open to
the complainant: the body, its contact details and the period, taken from the procedure
definition (`next_steps`). One check, `outcome_letter_check`, says what a letter misses; the
service of every outcome calls it (so no caller can send an incomplete letter), and the action
forms call it too, so the staff pages, the API and the private-link pages say what is missing.
The messages show each part under its own heading.
"""

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.organisation.selectors import organisation_get
from klachtroute.procedures.words import period_words

from .models import Complaint, Ruling


def _contact(organisation, step, language: str) -> list[tuple[str, str]]:
    if step.contact == "listed":
        return [(_("Contact"), step.details.get(language))] if step.details else []
    if organisation is None or step.contact == "none":
        return []
    prefix = "third_party_" if step.contact == "third_party" else ""
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
        "contact": _contact(organisation_get(), step, language),
        "ends_procedure": step.contact == "none",
        "period": (
            period_words(period)
            if period
            else (step.period_words.get(language) if step.period_words else "")
        ),
    }


def _filled(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value != [] and value != ()


def _parts(complaint: Complaint, letter: str, values: Mapping) -> list[tuple[str, list[str]]]:
    """Each part the letter must state, with the fields that hold it and are still empty."""

    def empty(*names: str) -> list[str]:
        return [n for n in names if not _filled(values.get(n))]

    decision = values.get("decision")
    something_to_do = decision != Ruling.Decision.UNFOUNDED
    if letter == "solution":
        return [
            (_("het besluit en wat er gebeurt"), empty("text")),
            (_("de motivering"), empty("reasons")),
            (_("wanneer het gebeurt"), empty("remedy_due")),
        ]
    if letter == "findings":
        judgements = values.get("judgements") or {}
        criteria = complaint.procedure_version.spec.criteria_for(complaint.category)
        unjudged = [
            f"criterion_{c.code}"
            for c in criteria
            if not _filled((judgements.get(c.code) or ("", ""))[0])
        ]
        return [
            (_("het oordeel per criterium"), unjudged),
            (_("de motivering (de bevindingen)"), empty("summary")),
            (_("wat er gebeurt (de oplossing)"), empty("proposed_solution")),
            (_("wanneer het gebeurt"), empty("remedy_due")),
        ]
    if letter == "ruling":
        parts = [
            (_("het besluit"), empty("decision")),
            (_("de motivering"), empty("motivation")),
            (_("wat er gebeurt"), empty("remedy")),
        ]
        if something_to_do:
            parts.append((_("wanneer het gebeurt"), empty("remedy_due")))
        return parts
    if letter == "binding_advice":
        parts = [(_("het besluit en de motivering"), empty("advice"))]
        if _filled(values.get("follow_ups")):
            parts.append((_("wanneer het gebeurt"), empty("remedy_due")))
        return parts
    if letter == "outcome":
        parts = [
            (_("de bevindingen"), empty("findings")),
            (_("het oordeel"), empty("decision")),
            (_("de motivering"), empty("motivation")),
            (_("wat er gebeurt (de conclusies)"), empty("conclusions")),
        ]
        if something_to_do:
            parts.append((_("wanneer het gebeurt"), empty("remedy_due")))
        return parts
    raise KeyError(letter)


def outcome_letter_missing(*, complaint: Complaint, letter: str, values: Mapping) -> dict:
    """What the letter still misses: field name -> message, and under NON_FIELD_ERRORS one
    sentence naming every missing part. Empty when the letter may go."""
    errors: dict[str, str] = {}
    missing: list[str] = []
    for part, empty in _parts(complaint, letter, values):
        for name in empty:
            errors[name] = _("Dit deel van de brief ontbreekt nog.")
        if empty:
            missing.append(part)
    due = values.get("remedy_due")
    if isinstance(due, date) and due < timezone.localdate():
        errors["remedy_due"] = _("Kies een datum vanaf vandaag.")
    next_step = next_step_for(complaint, letter)
    if next_step is None:
        missing.append(
            _("de vervolgstap voor de klager (de procedure noemt er geen; vul die aan in /beheer/)")
        )
    elif not next_step["contact"] and not next_step["ends_procedure"]:
        missing.append(
            _("de contactgegevens van %(body)s (vul die aan in /beheer/)")
            % {"body": next_step["body"]}
        )
    if missing:
        errors[NON_FIELD_ERRORS] = _(
            "Deze brief kan nog niet worden verstuurd. Ontbreekt: %(parts)s."
        ) % {"parts": ", ".join(str(p) for p in missing)}
    return errors


def outcome_letter_check(*, complaint: Complaint, letter: str, values: Mapping) -> None:
    """Refuse (ValidationError, per field and one sentence for the whole letter) an outcome
    letter that misses a part; every outcome's service calls this before anything is saved."""
    errors = outcome_letter_missing(complaint=complaint, letter=letter, values=values)
    if errors:
        raise ValidationError(errors)
