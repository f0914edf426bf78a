"""Forms of the staff pages for complaints: worklist filters and the record's actions."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klachtroute.organisation.models import Course

from .workflow import State

User = get_user_model()

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class WorklistFilterForm(forms.Form):
    """The worklist's GET filters. Invalid values are ignored rather than refused."""

    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("Status"), required=False)
    course = forms.ModelChoiceField(
        label=_("Opleiding"), required=False, queryset=Course.objects.none(), empty_label=_("Alle")
    )
    handler = forms.ModelChoiceField(
        label=_("Behandelaar"), required=False, queryset=User.objects.none(), empty_label=_("Alle")
    )

    def __init__(self, *args, show_handler: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Alle"))] + list(State.choices)
        self.fields["course"].queryset = Course.objects.order_by("name")
        if show_handler:
            self.fields["handler"].queryset = User.objects.filter(
                is_active=True, complaints_handled__isnull=False
            ).distinct()
        else:
            del self.fields["handler"]

    def filters(self) -> dict:
        """Keyword arguments for `complaints_worklist` from the valid values only."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        course = data.get("course")
        handler = data.get("handler")
        return {
            "state": data.get("state") or "",
            "course_id": course.pk if course else None,
            "handler_id": handler.pk if handler else None,
            "query": data.get("q") or "",
        }


class AssignHandlerForm(forms.Form):
    """Offers only the eligible handlers; the service decides, so that a forged choice of
    someone involved gets the service's own message instead of a generic one."""

    handler = forms.ModelChoiceField(
        label=_("Behandelaar"),
        queryset=User.objects.filter(is_active=True),
        empty_label=_("Kies een behandelaar"),
    )

    def __init__(self, *args, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["handler"]
        field.widget.choices = [("", field.empty_label)] + [
            (person.pk, person.display_name) for person in eligible
        ]


class CorrectReceivedAtForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("Juiste datum en tijd van ontvangst"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("De datum van ontvangst kan niet in de toekomst liggen."))
        return value
