"""Forms on the pages reached through private links. They only check the input; the
services decide whether the step may be taken."""

from django import forms
from django.utils.translation import gettext_lazy as _

FOLLOW_UP_LINES = 5


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


class DecisionForm(forms.Form):
    """Yes or no on a proposal; a no needs a reason. The two buttons send `decision`."""

    YES, NO = "yes", "no"

    decision = forms.ChoiceField(
        choices=[(YES, YES), (NO, NO)],
        error_messages={"required": _("Kies akkoord of niet akkoord.")},
    )
    reason = _text(
        _("Waarom gaat u niet akkoord?"),
        required=False,
        help_text=_("Verplicht als u niet akkoord gaat. De behandelaar leest uw toelichting."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.NO and not data.get("reason"):
            self.add_error("reason", _("Geef aan waarom u niet akkoord gaat."))
        return data

    @property
    def agrees(self) -> bool:
        return self.cleaned_data["decision"] == self.YES


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, ik wil mijn klacht intrekken"),
        error_messages={"required": _("Vink aan dat u uw klacht wilt intrekken.")},
    )
    reason = _text(_("Waarom trekt u uw klacht in?"), required=False)


class NoteForm(forms.Form):
    """An optional note with a request to the third party or the director."""

    note = _text(_("Toelichting"), required=False)

    def __init__(self, *args, label=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["note"].label = label
        self.fields["note"].help_text = help_text


class DefenceForm(forms.Form):
    defence = _text(
        _("Uw verweer"),
        help_text=_("Schrijf uw reactie op de klacht. De directeur betrekt die bij de uitspraak."),
        required_message=_("Schrijf het verweer."),
        max_length=20000,
    )


class BindingAdviceForm(forms.Form):
    advice = _text(
        _("Bindend advies"),
        help_text=_(
            "Uw advies met de motivering. Klager en organisatie ontvangen het schriftelijk."
        ),
        required_message=_("Vul het bindend advies in."),
        max_length=20000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, FOLLOW_UP_LINES + 1):
            self.fields[f"follow_up_{i}"] = forms.CharField(
                label=_("Punt %(n)s") % {"n": i},
                required=False,
                max_length=500,
                strip=True,
                error_messages={
                    "max_length": _(
                        "Gebruik ten hoogste %(limit_value)d tekens (nu %(show_value)d)."
                    )
                },
            )

    @property
    def follow_up_fields(self):
        return [self[f"follow_up_{i}"] for i in range(1, FOLLOW_UP_LINES + 1)]

    @property
    def follow_ups(self) -> list[str]:
        return [
            self.cleaned_data[f"follow_up_{i}"]
            for i in range(1, FOLLOW_UP_LINES + 1)
            if self.cleaned_data.get(f"follow_up_{i}")
        ]


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
