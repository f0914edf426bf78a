"""The code form for two-factor login and for confirming an authenticator app."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code van zes cijfers"),
        help_text=_("De code die uw authenticator-app nu toont."),
        min_length=6,
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("Vul de zes cijfers in, zonder spaties."))],
        error_messages={
            "required": _("Vul de code in."),
            "min_length": _("Vul de zes cijfers in, zonder spaties."),
            "max_length": _("Vul de zes cijfers in, zonder spaties."),
        },
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip()
