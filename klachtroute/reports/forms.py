"""The period of a report: a start and an end date, by default the previous calendar year."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_YEARS = 5


def previous_year() -> tuple[date, date]:
    year = timezone.localdate().year - 1
    return date(year, 1, 1), date(year, 12, 31)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("Van"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Tot en met"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, data=None, **kwargs):
        start, end = previous_year()
        if data is not None and not (data.get("start") or data.get("end")):
            data = None  # no period chosen yet: show the previous year
        super().__init__(data, initial={"start": start, "end": end}, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("De einddatum ligt vóór de begindatum."))
            else:
                try:
                    limit = start.replace(year=start.year + MAX_YEARS)
                except ValueError:  # 29 February
                    limit = date(start.year + MAX_YEARS, 3, 1)
                if end >= limit:
                    self.add_error("end", _("Kies een periode van hoogstens vijf jaar."))
        return cleaned

    def period(self) -> tuple[date, date] | None:
        """The chosen period, the default when nothing was chosen, None when invalid."""
        if not self.is_bound:
            return self.initial["start"], self.initial["end"]
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return None
