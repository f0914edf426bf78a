"""The options of a long <select> written in one pass: Django's widget renders each option
through a template of its own, which made the worklist's list of people (hundreds of
trainers) cost more than all of the page's SQL."""

import html

from django import forms, template
from django.forms.models import ModelChoiceField, ModelChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SELECTED = mark_safe(" selected")  # noqa: S308 (a constant)


def _escaped(value) -> str:
    """As `conditional_escape`, without its check for lazy text on each call: a page writes
    hundreds of options."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _option_tags(choices, chosen: str | None) -> str:
    """The `<option>`s of these choices, `chosen` selected: each value and label escaped
    once, in one loop (a page writes hundreds; a person's id needs no escaping)."""
    escape = html.escape
    tags = []
    for key, label in choices:
        value = str(key)
        tags.append(
            f'<option value="{value if type(key) is int else escape(value)}"'
            f"{SELECTED if value == chosen else ''}>"
            f"{escape(label) if type(label) is str else _escaped(label)}</option>"
        )
    return "".join(tags)


def _choices(choices) -> list:
    """A field's choices as a list. A model's are read as its iterator gives them, but in
    one plain query: the iterator opens a server-side cursor on PostgreSQL (declare, fetch,
    close), three round trips for a list this short. A model whose label is made of a few
    columns (`NAME_FIELDS`, written by `name_of`: the people, the courses) is read as those columns
    alone, without an object per option: the record page offers several lists of hundreds."""
    if not isinstance(choices, ModelChoiceIterator):
        return list(choices)
    field = choices.field
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    model = choices.queryset.model
    columns = getattr(model, "NAME_FIELDS", None)
    if columns and type(field).label_from_instance is ModelChoiceField.label_from_instance:
        key = field.to_field_name or "pk"
        rows = choices.queryset.values_list(key, *columns)
        return empty + [(value, model.name_of(*name)) for value, *name in rows]
    return empty + [choices.choice(obj) for obj in choices.queryset.all()]


@register.filter
def options(bound_field) -> SafeString:
    """`{{ form.field|options }}` inside `<select>`: the field's choices, its value selected."""
    value = bound_field.value()
    chosen = "" if value is None else str(value)
    # Every value and label escaped.
    return mark_safe(_option_tags(_choices(bound_field.field.choices), chosen))  # noqa: S308


def _attributes(attrs: dict) -> SafeString:
    # As Django's widgets/attrs.html: True alone, False left out, anything else as text.
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


@register.filter
def select(bound_field) -> SafeString:
    """`{{ field|select }}`: a single-choice `<select>` with the attributes and options
    Django's widget gives it (id, required, aria-describedby, aria-invalid, its own attrs),
    written in one pass: the record page's people lists went through a template per
    option, which cost more than all of the page's SQL. Anything else (several choices,
    option groups, another widget) is rendered by its own widget."""
    widget = bound_field.field.widget
    if type(widget) is not forms.Select:
        return bound_field.as_widget()
    choices = _choices(widget.choices)
    if any(isinstance(label, list | tuple) for _key, label in choices):
        return bound_field.as_widget()  # option groups
    attrs = bound_field.build_widget_attrs({}, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    attrs = widget.build_attrs(widget.attrs, attrs)
    chosen = widget.format_value(bound_field.value())
    selected = chosen[0] if chosen else None
    # Escaped once per value and joined (format_html per option costs several times this).
    options = _option_tags(choices, selected)
    return format_html(
        '<select name="{}"{}>{}</select>',
        bound_field.html_name,
        _attributes(attrs),
        mark_safe(options),  # noqa: S308 (every part escaped above)
    )
