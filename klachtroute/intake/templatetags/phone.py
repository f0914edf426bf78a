"""Showing a phone number the intake stored (E.164) as people write it."""

from django import template

from klachtroute.intake.validators import phone_display

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """A stored (E.164) phone number as people write it."""
    return phone_display(value) if value else ""
