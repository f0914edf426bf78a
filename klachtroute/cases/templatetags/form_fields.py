"""A form's fields written in one pass, as `cases/partials/form_field.html` writes each one.

The record page holds a dozen action forms with dozens of fields; through the template each
field was an include with a dozen conditions, every one of them a chain of lookups on the
bound field, and the fields cost more than the page's SQL. Here each field's label, hint,
errors and input are read once and each text is escaped once. A field the template writes
in another way (a group of radio buttons or checkboxes) is still written by the template."""

from django import template
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .select_options import select

register = template.Library()

FIELD_TEMPLATE = "cases/partials/form_field.html"
REQUIRED = ' <span class="required-mark" aria-hidden="true">*</span>'


def _by_template(field) -> bool:
    # The first branch of form_field.html: a fieldset of choices.
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    return input_type == "radio" or (
        input_type == "checkbox" and getattr(widget, "allow_multiple_selected", False)
    )


def field_html(field, *, extra="") -> str:
    """One field as form_field.html writes it (not the fieldset of radio buttons or
    checkboxes: see `_by_template`)."""
    esc = conditional_escape
    widget = field.field.widget
    errors = field.errors
    help_text = field.help_text
    auto_id = esc(field.auto_id)
    label = esc(field.label)
    has_error = " has-error" if errors else ""
    error = (
        f'<p class="field-error" id="{auto_id}_error">{esc(" ").join([esc(e) for e in errors])}</p>'
        if errors
        else ""
    )
    hint = f'<p class="hint" id="{auto_id}_helptext">{esc(help_text)}</p>' if help_text else ""
    input_type = getattr(widget, "input_type", None)
    if input_type == "checkbox":
        return (
            f'\n\n<div class="field{has_error}">\n'
            f"  {error}\n"
            f'  <label class="choice" for="{esc(field.id_for_label)}">{esc(field)} {label}</label>\n'
            f"  {hint}\n"
            "</div>\n\n"
        )
    required = (
        REQUIRED
        if field.field.required
        else f' <span class="optional">({esc(_("optioneel"))})</span>'
    )
    shown = select(field) if input_type == "select" else esc(field)
    more = f'<p class="field-error">{esc(extra)}</p>' if extra else ""
    return (
        f'\n\n<div class="field{has_error}">\n'
        f'  <label for="{esc(field.id_for_label)}">{label}{required}</label>\n'
        f"  {hint}\n"
        f"  {error}\n"
        f"  {shown}\n"
        f"  {more}\n"
        "</div>\n\n"
    )


@register.simple_tag(takes_context=True)
def form_fields(context, fields) -> SafeString:
    """`{% form_fields panel.plain_fields %}`: each field as
    `{% include "cases/partials/form_field.html" %}` writes it, one after the other."""
    parts = []
    extra = context.get("extra") or ""
    for field in fields:
        if _by_template(field):
            with context.push(field=field):
                parts.append(get_template(FIELD_TEMPLATE).template.render(context))
        else:
            parts.append(field_html(field, extra=extra))
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)
