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
