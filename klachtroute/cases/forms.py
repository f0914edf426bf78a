"""Forms of the staff pages for complaints: the worklist filters (the actions have theirs in action_forms.py)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from klachtroute.organisation.models import Course

from .selectors import worklist_handler_choices
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
    overdue = forms.BooleanField(label=_("Alleen met verstreken termijn"), required=False)
    waiting = forms.BooleanField(label=_("Wacht op u"), required=False)

    def __init__(self, *args, show_handler: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Alle"))] + list(State.choices)
        self.fields["course"].queryset = Course.objects.order_by("name")
        if show_handler:
            self.fields["handler"].queryset = worklist_handler_choices()
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
            "overdue": bool(data.get("overdue")),
            "waiting": bool(data.get("waiting")),
        }
