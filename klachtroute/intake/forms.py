"""The public complaint form (LIVP-1): what a complainant fills in on the website."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from klachtroute.cases.action_forms import errors_onto_form
from klachtroute.organisation.selectors import active_procedure_get, courses_active

from .validators import (
    DESCRIPTION_MAX_LENGTH,
    complaint_date_bounds,
    validate_complaint_date,
    validate_description,
    validate_phone,
)

COURSE_OTHER = "other"
# A field people never see (CSS class .hp-field) and screen readers are told to leave empty;
# robots that fill in every field give themselves away.
HONEYPOT_FIELD = "website"
HONEYPOT_CODE = "honeypot"

# Browsers with a date picker send ISO dates; the others let people type a Dutch date.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d %m %Y"]


class StrippedDateField(forms.DateField):
    """A date field for which white space alone counts as empty (and so as required)."""

    def to_python(self, value):
        return super().to_python(value.strip() if isinstance(value, str) else value)


class ComplaintForm(forms.Form):
    """Rendered by hand in templates/intake/complaint_form.html."""

    # The order on the page, which is also the order of the error summary.
    field_order = [
        "complainant_name",
        "complainant_phone",
        "complainant_email",
        "course",
        "course_other",
        "complaint_date",
        "description",
        "remedy_sought",
    ]

    complainant_name = forms.CharField(
        label=_("Uw naam"),
        help_text=_("De naam van de cursist of cliënt die de klacht indient."),
        max_length=200,
        error_messages={
            "required": _("Vul uw naam in."),
            "max_length": _("Uw naam mag hoogstens %(limit_value)d tekens lang zijn."),
        },
    )
    course = forms.ChoiceField(
        label=_("Cursus of opleiding"),
        help_text=_("Over welke cursus of opleiding gaat uw klacht?"),
        error_messages={
            "required": _("Kies de cursus of opleiding waar uw klacht over gaat."),
            "invalid_choice": _("Kies een cursus of opleiding uit de lijst."),
        },
    )
    course_other = forms.CharField(
        label=_("Andere cursus of opleiding"),
        help_text=_("Alleen invullen als u hierboven ‘Anders, namelijk’ kiest."),
        max_length=200,
        required=False,
        error_messages={
            "max_length": _(
                "De naam van de opleiding mag hoogstens %(limit_value)d tekens lang zijn."
            ),
        },
    )
    complaint_date = StrippedDateField(
        label=_("Datum van de klacht"),
        help_text=_(
            "Wanneer gebeurde waar u over klaagt? Niet in de toekomst en niet langer dan "
            "twee jaar geleden."
        ),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={
            "required": _("Vul de datum van de klacht in."),
            "invalid": _("Vul een bestaande datum in, bijvoorbeeld 14-3-2026."),
        },
    )
    complainant_phone = forms.CharField(
        label=_("Telefoonnummer"),
        help_text=_("Een Nederlands nummer, of een buitenlands nummer dat begint met + of 00."),
        max_length=40,
        error_messages={
            "required": _("Vul uw telefoonnummer in."),
            "max_length": _("Vul een geldig telefoonnummer in."),
        },
    )
    complainant_email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Hierop ontvangt u de ontvangstbevestiging en berichten over uw klacht."),
        max_length=254,
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
            "max_length": _("Vul een geldig e-mailadres in."),
        },
    )
    description = forms.CharField(
        label=_("Korte omschrijving van uw klacht"),
        help_text=_(
            "Wat is er gebeurd, en wie waren erbij betrokken? Minimaal 10 en maximaal "
            "10.000 tekens."
        ),
        # The length (10 to 10,000 after stripping) is checked in clean_description.
        widget=forms.Textarea,
        error_messages={"required": _("Beschrijf uw klacht.")},
    )
    remedy_sought = forms.CharField(
        label=_("Gewenste oplossing"),
        help_text=_("Wat zou u graag zien gebeuren om uw klacht op te lossen?"),
        widget=forms.Textarea,
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "De gewenste oplossing mag hoogstens %(limit_value)d tekens lang zijn."
            ),
        },
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(
        label=_("Laat dit veld leeg"),
        help_text=_("Dit veld is een controle tegen automatisch verstuurde berichten."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once for the whole request: the page's texts and the registration use it too.
        self.active = active_procedure_get(on=timezone.localdate())
        version = self.active.version
        if version is not None and "address" in version.spec.intake_required:
            # The procedure asks a written complaint to carry the complainant's address.
            self.fields["complainant_address"] = forms.CharField(
                label=_("Uw postadres"),
                help_text=_("Straat en huisnummer, postcode en plaats."),
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": _("Vul uw postadres in.")},
            )
            self.order_fields([*self.field_order[:3], "complainant_address"])
        self._courses = {str(c.pk): c for c in courses_active()}
        self.fields["course"].choices = [
            ("", gettext("Kies een cursus of opleiding")),
            *((pk, course.name) for pk, course in self._courses.items()),
            (COURSE_OTHER, gettext("Anders, namelijk …")),
        ]
        if self.is_bound:
            # A missing or mangled token must not become an error the person cannot fix:
            # replace it so that a corrected resubmission is still recognised as one.
            try:
                uuid.UUID(str(self.data.get("submission_token", "")))
            except ValueError:
                self.data = self.data.copy()
                self.data["submission_token"] = str(uuid.uuid4())
        else:
            self.initial.setdefault("submission_token", str(uuid.uuid4()))

    @property
    def date_bounds(self):
        return complaint_date_bounds()

    def clean_complaint_date(self):
        return validate_complaint_date(self.cleaned_data["complaint_date"])

    def clean_complainant_phone(self) -> str:
        return validate_phone(self.cleaned_data["complainant_phone"])

    def clean_description(self) -> str:
        return validate_description(self.cleaned_data["description"])

    @property
    def honeypot_filled(self) -> bool:
        return self.is_bound and bool(str(self.data.get(HONEYPOT_FIELD, "")).strip())

    def clean(self):
        cleaned = super().clean()
        if self.honeypot_filled:
            raise ValidationError(
                gettext(
                    "Uw klacht is niet verstuurd: een veld dat leeg moet blijven was ingevuld. "
                    "Controleer uw gegevens en verstuur het formulier opnieuw."
                ),
                code=HONEYPOT_CODE,
            )
        if cleaned.get("course") == COURSE_OTHER and not cleaned.get("course_other"):
            self.add_error("course_other", gettext("Vul de naam van de cursus of opleiding in."))
        return cleaned

    def complaint_fields(self) -> dict:
        """Keyword arguments for cases.services.complaint_register."""
        data = self.cleaned_data
        chosen = data["course"]
        return {
            "complainant_name": data["complainant_name"],
            "course": self._courses.get(chosen),
            "course_other": data["course_other"] if chosen == COURSE_OTHER else "",
            "complaint_date": data["complaint_date"],
            "complainant_phone": data["complainant_phone"],
            "complainant_email": data["complainant_email"],
            "complainant_address": data.get("complainant_address", ""),
            "description": data["description"],
            "remedy_sought": data["remedy_sought"],
            "submission_token": data.get("submission_token") or uuid.uuid4(),
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Show a ValidationError from the service next to the field it names, else on top."""
        errors_onto_form(self, error)
