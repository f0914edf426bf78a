"""Validation of what a complainant or the secretariat types in, shared by the intake forms.

Each function takes the raw value, returns the cleaned value and raises
`django.core.exceptions.ValidationError` with a Dutch message (translated through
gettext) when the value is not acceptable.
"""

from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

PHONE_REGION = "NL"
COMPLAINT_DATE_MAX_YEARS_BACK = 2
DESCRIPTION_MIN_LENGTH = 10
DESCRIPTION_MAX_LENGTH = 10_000


def validate_phone(value: str) -> str:
    """A Dutch or international phone number, returned in E.164 form (`+31612345678`).

    Numbers without a country code are read as Dutch; `00` and `+` prefixes are
    international. The number must exist according to libphonenumber's plan, not
    merely have a plausible length.
    """
    raw = (value or "").strip()
    message = _("Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678 of +32 470 12 34 56.")
    if not raw:
        raise ValidationError(message, code="invalid_phone")
    try:
        number = phonenumbers.parse(raw, PHONE_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(message, code="invalid_phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(value: str) -> str:
    """An E.164 number as people write it: national form for Dutch numbers, else international."""
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == phonenumbers.country_code_for_region(PHONE_REGION):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def complaint_date_bounds(today: date | None = None) -> tuple[date, date]:
    """The earliest and latest acceptable complaint date (inclusive)."""
    today = today or timezone.localdate()
    return years_before(today, COMPLAINT_DATE_MAX_YEARS_BACK), today


def validate_complaint_date(value: date, *, today: date | None = None) -> date:
    """Not in the future and not more than two years back (from today, local time)."""
    earliest, latest = complaint_date_bounds(today)
    if value > latest:
        raise ValidationError(
            _("De datum van de klacht kan niet in de toekomst liggen."), code="future"
        )
    if value < earliest:
        raise ValidationError(
            _(
                "De datum van de klacht mag niet meer dan twee jaar geleden zijn (niet vóór %(date)s)."
            )
            % {"date": date_format(earliest, "j F Y")},
            code="too_old",
        )
    return value


def validate_description(value: str) -> str:
    """A description of 10 to 10,000 characters, counted without surrounding white space."""
    text = (value or "").strip()
    if len(text) < DESCRIPTION_MIN_LENGTH:
        raise ValidationError(
            _("Beschrijf uw klacht in minstens %(min)d tekens (u gebruikte er %(count)d).")
            % {"min": DESCRIPTION_MIN_LENGTH, "count": len(text)},
            code="too_short",
        )
    if len(text) > DESCRIPTION_MAX_LENGTH:
        raise ValidationError(
            _("De omschrijving mag hoogstens %(max)s tekens lang zijn (u gebruikte er %(count)s).")
            % {
                "max": number_format(DESCRIPTION_MAX_LENGTH, force_grouping=True),
                "count": number_format(len(text), force_grouping=True),
            },
            code="too_long",
        )
    return text
