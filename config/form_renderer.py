"""The form renderer (settings.FORM_RENDERER): Django's own, except that the plain inputs and
text areas are written in one pass. Through the template engine each took three templates
(the widget's, input.html and attrs.html), and the record page's action forms hold dozens.
The markup is exactly that of Django's templates; any other widget, or one given a template
of its own, is rendered by its template as before."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

# Django's widget templates that only include "django/forms/widgets/input.html".
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
    )
)
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _attrs(attrs: dict) -> str:
    # As attrs.html: True as the name alone, False left out, anything else as text.
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(f"{value}")}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    # As input.html (and the templates that include it).
    value = widget["value"]
    value = "" if value is None else f' value="{conditional_escape(f"{value}")}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n'
    )


def _textarea(widget: dict) -> str:
    # As textarea.html.
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>\n"
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return _input(context["widget"])
        if template_name == TEXTAREA_TEMPLATE:
            return _textarea(context["widget"])
        return super().render(template_name, context, request=request)
