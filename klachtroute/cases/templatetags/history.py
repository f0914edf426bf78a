"""Showing an event's before and after values as readable rows."""

from django import template
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klachtroute.cases.models import Channel
from klachtroute.cases.workflow import State

register = template.Library()

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
}
CHOICE_LABELS = {"state": dict(State.choices), "channel": dict(Channel.choices)}


def _flatten(values: dict, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in (values or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _show(value, key: str = "") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if key in CHOICE_LABELS and value in CHOICE_LABELS[key]:
        return str(CHOICE_LABELS[key][value])
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-":
        moment = parse_datetime(value) if "T" in value else None
        if moment is not None and moment.tzinfo is not None:
            return date_format(localtime(moment), "j F Y, H:i")
        day = parse_date(value) if len(value) == 10 else None
        if day is not None:
            return date_format(day, "j F Y")
    return str(value)


@register.filter
def event_changes(event) -> list[tuple[str, str, str]]:
    """(field, before, after) for every value the event recorded."""
    before = _flatten(event.before)
    after = _flatten(event.after)
    keys = list(dict.fromkeys([*before, *after]))
    return [
        (
            str(LABELS.get(key, key)),
            _show(before[key], key) if key in before else "",
            _show(after.get(key), key),
        )
        for key in keys
    ]
