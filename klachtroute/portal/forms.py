"""Forms on the pages reached through private links that are not a workflow action: adding
information, the satisfaction survey, a lost link, the confirmation of a withdrawal. A
workflow action on these pages uses the action's one form (`klachtroute.cases.action_forms`)."""

from django import forms
from django.utils.translation import gettext_lazy as _


def _text(label, *, required=True, help_text="", required_message=None, max_length=10000):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        strip=True,
        widget=forms.Textarea,
        error_messages={
            "required": required_message or _("Vul dit veld in."),
            "max_length": _("Gebruik ten hoogste %(limit_value)d tekens (nu %(show_value)d)."),
        },
    )


class WithdrawConfirmForm(forms.Form):
    """The status page asks the complainant to confirm before it withdraws the complaint.
    The withdrawal itself (its reason) is the action's one form (`ReasonForm`)."""

    confirm = forms.BooleanField(
        label=_("Ja, ik wil mijn klacht intrekken"),
        error_messages={"required": _("Vink aan dat u uw klacht wilt intrekken.")},
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files from one <input type="file" multiple>."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


class InformationForm(forms.Form):
    """Information the complainant adds: a text, files, or both. The service checks the
    files' content; the form only refuses what it can see (empty, too long)."""

    text = _text(
        _("Wat wilt u toevoegen?"),
        required=False,
        help_text=_(
            "Bijvoorbeeld iets wat u zich nog herinnert, of een toelichting bij een bijlage."
        ),
    )
    files = MultipleFileField(
        label=_("Bijlagen"),
        required=False,
        help_text=_(
            "Een of meer bestanden: PDF, afbeeldingen, Office-documenten (Word, Excel, "
            "PowerPoint) of e-mails (.eml)."
        ),
        error_messages={
            "empty": _("Het bestand is leeg."),
            "invalid": _("Er is geen bestand ontvangen. Kies het bestand opnieuw."),
        },
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("text") and not data.get("files"):
            self.add_error("text", _("Schrijf een toelichting of kies een bestand."))
        return data


class LostLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        max_length=254,
        help_text=_("Het e-mailadres dat u bij uw klacht heeft opgegeven."),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
        },
    )
    number = forms.CharField(
        label=_("Klachtnummer"),
        max_length=20,
        strip=True,
        help_text=_("Het nummer uit de ontvangstbevestiging, bijvoorbeeld K-2026-0012."),
        error_messages={"required": _("Vul het klachtnummer in.")},
    )


SCORES = [(str(n), str(n)) for n in range(1, 6)]


class SatisfactionForm(forms.Form):
    handling_score = forms.TypedChoiceField(
        label=_("Hoe tevreden bent u over de behandeling van uw klacht?"),
        help_text=_("1 is zeer ontevreden, 5 is zeer tevreden."),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een cijfer van 1 tot en met 5.")},
    )
    informed_on_time = forms.ChoiceField(
        label=_("Werd u op tijd op de hoogte gehouden?"),
        choices=[("yes", _("Ja")), ("partly", _("Deels")), ("no", _("Nee"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies ja, deels of nee.")},
    )
    taken_seriously_score = forms.TypedChoiceField(
        label=_("Voelde u zich serieus genomen?"),
        help_text=_("1 is helemaal niet, 5 is helemaal wel."),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een cijfer van 1 tot en met 5.")},
    )
    comment = _text(
        _("Wilt u nog iets kwijt?"),
        required=False,
        help_text=_("Uw opmerking gaat naar het secretariaat. Noem liever geen namen."),
        max_length=2000,
    )
