"""The secretariat's registration form for complaints that came by post, e-mail, phone
or in person (LIVP-2, LSR-4a)."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from klachtroute.cases.models import Channel, RespondentType
from klachtroute.cases.uploads import upload_check
from klachtroute.organisation.selectors import active_version_in_force, courses_active

from .validators import validate_phone

User = get_user_model()

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
OTHER_COURSE = "other"
STAFF_CHANNELS = [c for c in Channel.choices if c[0] != Channel.WEB]
ORAL_CHANNELS = (Channel.PHONE, Channel.IN_PERSON)


class StaffRegistrationForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Binnengekomen via"), choices=STAFF_CHANNELS, widget=forms.RadioSelect
    )
    received_at = forms.DateTimeField(
        label=_("Datum en tijd van ontvangst"),
        help_text=_("Vandaag of eerder; nooit later."),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    complainant_name = forms.CharField(label=_("Naam klager"), max_length=200)
    complainant_email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        help_text=_("Zonder e-mailadres gaat de ontvangstbevestiging per brief."),
    )
    complainant_phone = forms.CharField(label=_("Telefoonnummer"), max_length=40, required=False)
    complainant_address = forms.CharField(
        label=_("Postadres"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    complainant_language = forms.ChoiceField(
        label=_("Voorkeurstaal"), choices=settings.LANGUAGES, initial="nl"
    )
    representative_name = forms.CharField(
        label=_("Wettelijk vertegenwoordiger"),
        max_length=200,
        required=False,
        help_text=_("Alleen invullen als iemand namens de klager optreedt."),
    )
    course = forms.ChoiceField(label=_("Opleiding"), required=False)
    course_other = forms.CharField(
        label=_("Andere opleiding"),
        max_length=200,
        required=False,
        help_text=_("Als de opleiding niet in de lijst staat."),
    )
    complaint_date = forms.DateField(
        label=_("Datum van de klacht"),
        help_text=_("Wanneer gebeurde waarover geklaagd wordt?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label=_("Omschrijving van de klacht"),
        min_length=10,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    remedy_sought = forms.CharField(
        label=_("Gewenste oplossing"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    respondent_type = forms.ChoiceField(
        label=_("Beklaagde"),
        choices=RespondentType.choices,
        initial=RespondentType.UNKNOWN,
        widget=forms.RadioSelect,
    )
    respondent = forms.ModelChoiceField(
        label=_("Beklaagde persoon"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Niet in de lijst / onbekend"),
    )
    respondent_description = forms.CharField(
        label=_("Beklaagde zoals genoemd"),
        max_length=200,
        required=False,
        help_text=_("Naam of omschrijving als de persoon niet in de lijst staat."),
    )
    category = forms.ChoiceField(label=_("Categorie"), required=False)
    document = forms.FileField(
        label=_("Ontvangen document"),
        required=False,
        help_text=_("Optioneel. PDF, afbeelding of e-mail (.eml), hoogstens %(max)s.")
        % {"max": filesizeformat(settings.UPLOAD_MAX_BYTES)},
    )
    settled_on_the_spot = forms.BooleanField(
        label=_("Mondeling direct afgehandeld"),
        required=False,
        help_text=_(
            "Alleen bij telefoon of persoonlijk: de klacht is meteen opgelost. Ze wordt "
            "als afgehandeld geregistreerd en telt mee; er gaat geen ontvangstbevestiging uit."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )
        self.courses = {str(c.pk): c for c in courses_active()}
        self.fields["course"].choices = (
            [("", _("Kies een opleiding"))]
            + [(pk, c.name) for pk, c in self.courses.items()]
            + [(OTHER_COURSE, _("Andere opleiding / niet van toepassing"))]
        )
        self.fields["respondent"].queryset = User.objects.filter(
            Q(is_trainer=True) | Q(is_staff_member=True), is_active=True
        ).order_by("first_name", "last_name", "username")
        version = active_version_in_force(on=timezone.localdate())
        language = translation.get_language() or "nl"
        self.fields["category"].choices = [("", _("Nog niet bepaald"))] + [
            (c.code, c.label.get(language)) for c in (version.spec.categories if version else [])
        ]

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now():
            raise forms.ValidationError(
                _("De datum van ontvangst kan niet in de toekomst liggen."), code="future"
            )
        return value

    def clean_complaint_date(self):
        value = self.cleaned_data["complaint_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("De datum van de klacht kan niet in de toekomst liggen."), code="future"
            )
        return value

    def clean_complainant_phone(self):
        value = self.cleaned_data["complainant_phone"].strip()
        return validate_phone(value) if value else ""

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            upload_check(upload)  # the service checks again; here the message lands by the field
        return upload

    def clean(self):
        data = super().clean()
        course = data.get("course")
        if course and course != OTHER_COURSE:
            data["course_obj"] = self.courses.get(course)
        else:
            data["course_obj"] = None
        if course == OTHER_COURSE and not data.get("course_other", "").strip():
            self.add_error("course_other", _("Vul de naam van de opleiding in."))
        if data.get("settled_on_the_spot") and data.get("channel") not in ORAL_CHANNELS:
            self.add_error(
                "settled_on_the_spot",
                _("Alleen een klacht per telefoon of persoonlijk kan direct worden afgehandeld."),
            )
        if data.get("respondent_type") != RespondentType.PERSON:
            data["respondent"] = None
        if (
            data.get("respondent_type") == RespondentType.PERSON
            and not data.get("respondent")
            and not data.get("respondent_description", "").strip()
        ):
            self.add_error(
                "respondent_description",
                _("Kies de beklaagde persoon of beschrijf wie het is."),
            )
        if not any(data.get(f) for f in ("complainant_email", "complainant_address")) and not (
            data.get("settled_on_the_spot")
        ):
            self.add_error(
                "complainant_address",
                _(
                    "Vul een e-mailadres of een postadres in, zodat de klager een "
                    "ontvangstbevestiging kan krijgen."
                ),
            )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "received_at": data["received_at"],
            "complainant_name": data["complainant_name"],
            "complainant_email": data.get("complainant_email", ""),
            "complainant_phone": data.get("complainant_phone", ""),
            "complainant_address": data.get("complainant_address", ""),
            "complainant_language": data["complainant_language"],
            "representative_name": data.get("representative_name", ""),
            "course": data.get("course_obj"),
            "course_other": data.get("course_other", ""),
            "complaint_date": data["complaint_date"],
            "description": data["description"],
            "remedy_sought": data.get("remedy_sought", ""),
            "respondent_type": data["respondent_type"],
            "respondent": data.get("respondent"),
            "respondent_description": data.get("respondent_description", ""),
            "category": data.get("category", ""),
            "document": data.get("document") or None,
            "settled_on_the_spot": bool(data.get("settled_on_the_spot")),
        }


class MailRegistrationForm(StaffRegistrationForm):
    """Completing a complaint that came into the mailbox: the channel, the date of receipt
    and the documents come from the message itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("channel", "received_at", "document", "settled_on_the_spot"):
            del self.fields[name]

    def service_kwargs(self) -> dict:
        self.cleaned_data.update(channel=Channel.EMAIL, received_at=None)
        kwargs = super().service_kwargs()
        for name in ("channel", "received_at", "document", "settled_on_the_spot"):
            del kwargs[name]
        return kwargs


class MailRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom is dit geen klacht?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
