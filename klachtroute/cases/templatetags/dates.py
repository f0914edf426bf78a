"""Dates the way a reader of the page's language writes them: "1 dec. 2026" in Dutch,
"1 Dec 2026" in English (Django's "M" gives the English abbreviation in Dutch too)."""

from datetime import date, datetime

from django import template
from django.utils import timezone, translation

register = template.Library()

MONTHS = {
    "nl": (
        "jan.",
        "feb.",
        "mrt.",
        "apr.",
        "mei",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "okt.",
        "nov.",
        "dec.",
    ),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


@register.filter
def short_date(value, with_time: str = "") -> str:
    """`{{ day|short_date }}` → "1 dec. 2026"; `{{ moment|short_date:"time" }}` adds ", 14:05"
    (in the local time zone)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        day: date = moment.date()
    elif isinstance(value, date):
        moment, day = None, value
    else:
        return str(value)
    language = (translation.get_language() or "nl").split("-")[0]
    months = MONTHS.get(language, MONTHS["nl"])
    text = f"{day.day} {months[day.month - 1]} {day.year}"
    if with_time and moment is not None:
        text += f", {moment:%H:%M}"
    return text
