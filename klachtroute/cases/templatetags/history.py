"""Showing a history: each event's before and after values as readable rows, and the record
page's rows of events written in one pass."""

import re
from datetime import date

from django import template
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime, template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klachtroute.cases.models import (
    Channel,
    ContactMethod,
    Outcome,
    Party,
    Ruling,
    actor_text,
)
from klachtroute.cases.templatetags.dates import short_date
from klachtroute.cases.workflow import State

register = template.Library()

# A procedure version as stored: "<name> <label> (dd-mm-yyyy)", the date it took effect.
VERSION = re.compile(r"^(?P<name>.+?) (?P<label>\S+) \((?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4})\)$")

LABELS = {
    "number": gettext_lazy("Klachtnummer"),
    "channel": gettext_lazy("Kanaal"),
    "received_at": gettext_lazy("Ontvangen op"),
    "procedure": gettext_lazy("Procedure"),
    "deadlines.acknowledge": gettext_lazy("Termijn ontvangstbevestiging"),
    "deadlines.first_contact": gettext_lazy("Termijn eerste contact"),
    "deadlines.settle": gettext_lazy("Termijn afhandeling"),
    "handler": gettext_lazy("Behandelaar"),
    "state": gettext_lazy("Status"),
    "outcome": gettext_lazy("Uitkomst"),
    "acknowledged_at": gettext_lazy("Bevestigd op"),
    "by_letter": gettext_lazy("Per brief"),
    "name": gettext_lazy("Bestandsnaam"),
    "type": gettext_lazy("Type"),
    "size": gettext_lazy("Grootte (bytes)"),
    "category": gettext_lazy("Categorie"),
    "respondent": gettext_lazy("Beklaagde"),
    "reason": gettext_lazy("Reden"),
    "note": gettext_lazy("Toelichting"),
    "motivation": gettext_lazy("Motivering"),
    "advice": gettext_lazy("Bindend advies"),
    "follow_ups": gettext_lazy("Wat de organisatie moet doen"),
    "solution": gettext_lazy("Oplossing"),
    "summary": gettext_lazy("Bevindingen"),
    "answer": gettext_lazy("Antwoord"),
    "text": gettext_lazy("Tekst"),
    "documents": gettext_lazy("Documenten"),
    "party": gettext_lazy("Partij"),
    "method": gettext_lazy("Hoe"),
    "at": gettext_lazy("Tijdstip"),
    "on_time": gettext_lazy("Binnen de termijn"),
    "due": gettext_lazy("Uiterlijk"),
    "due_date": gettext_lazy("Uiterlijk klaar op"),
    "settle_due": gettext_lazy("Afhandelen uiterlijk"),
    "expected": gettext_lazy("Verwachte beslissing"),
    "owner": gettext_lazy("Eigenaar"),
    "decision": gettext_lazy("Uitspraak"),
}
CHOICE_LABELS = {
    "state": dict(State.choices),
    "channel": dict(Channel.choices),
    "outcome": dict(Outcome.choices),
    "party": dict(Party.choices),
    "method": dict(ContactMethod.choices),
    "decision": dict(Ruling.Decision.choices),
}


def _flatten(values: dict, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in (values or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _version_text(value: str) -> str:
    """A version with its date the page's way; a label that is that same date only once."""
    found = VERSION.match(value)
    if found is None:
        return value
    effective = date(int(found["y"]), int(found["m"]), int(found["d"]))
    if found["label"] == effective.isoformat():
        return f"{found['name']} ({short_date(effective)})"
    return f"{found['name']} {found['label']} ({short_date(effective)})"


def _show(value, key: str = "", event=None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(_show(item, key, event) for item in value) or "—"
    if key == "category" and event is not None:
        language = translation.get_language() or "nl"
        return event.complaint.procedure_version.spec.category_label(value, language)
    if key == "respondent" and isinstance(value, str):
        return actor_text(value)
    if key == "procedure" and isinstance(value, str):
        return _version_text(value)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if key in CHOICE_LABELS and value in CHOICE_LABELS[key]:
        return str(CHOICE_LABELS[key][value])
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-":
        moment = parse_datetime(value) if "T" in value else None
        if moment is not None and moment.tzinfo is not None:
            return short_date(localtime(moment), "time")
        day = parse_date(value) if len(value) == 10 else None
        if day is not None:
            return short_date(day)
    return str(value)


@register.filter
def event_changes(event) -> list[tuple[str, str, str]]:
    """(field, before, after) for every value the event recorded that a person reads; the
    internal ones (message ids, codes, keys) stay in the stored event, not on the page."""
    before = _flatten(event.before)
    after = _flatten(event.after)
    keys = [key for key in dict.fromkeys([*before, *after]) if key in LABELS]
    return [
        (
            str(LABELS[key]),
            _show(before[key], key, event) if key in before else "",
            _show(after.get(key), key, event),
        )
        for key in keys
    ]


@register.simple_tag
def history_rows(events) -> SafeString:
    """`{% history_rows history.events %}`: a `<tr>` for each event (when, by whom, what, and
    the values before and after). Through the template engine each cell of each of the 50
    rows was a lookup, a translation and an escape of its own; here the column names are
    translated once and each value is escaped once."""
    esc = conditional_escape
    at, by, what, change = (
        esc(_("Tijdstip")),
        esc(_("Door")),
        esc(_("Wat")),
        esc(_("Voor → na")),
    )
    rows = []
    for event in events:
        changes = "".join(
            f'\n            <li><span class="change-label">{esc(label)}:</span> '
            f"{f'<del>{esc(before)}</del> → ' if before else ''}<ins>{esc(after)}</ins></li>"
            for label, before, after in event_changes(event)
        )
        if changes:
            changes = f'\n          <ul class="changes">{changes}\n          </ul>'
        rows.append(
            "<tr>\n"
            f'        <td class="nowrap" data-label="{at}"><time datetime="'
            f'{esc(template_localtime(event.at).isoformat())}">'
            f"{esc(short_date(event.at, 'time'))}</time></td>\n"
            f'        <td data-label="{by}">{esc(event.actor_text)}</td>\n'
            f'        <td data-label="{what}">{esc(event.text)}</td>\n'
            f'        <td data-label="{change}">{changes}\n'
            "        </td>\n"
            "      </tr>"
        )
    return mark_safe("\n      ".join(rows))  # noqa: S308 (every value escaped above)
