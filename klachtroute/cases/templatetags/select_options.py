"""The options of a long <select> written in one pass: Django's widget renders each option
through a template of its own, which made the worklist's list of people (hundreds of
trainers) cost more than all of the page's SQL."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SELECTED = mark_safe(" selected")  # noqa: S308 (a constant)


@register.filter
def options(bound_field) -> SafeString:
    """`{{ form.field|options }}` inside `<select>`: the field's choices, its value selected."""
    value = bound_field.value()
    chosen = "" if value is None else str(value)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (str(key), SELECTED if str(key) == chosen else "", label)
            for key, label in bound_field.field.choices
        ),
    )
