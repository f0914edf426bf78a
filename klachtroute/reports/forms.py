"""The period of a report: a start and an end date, by default the previous calendar year
(the compliance overview: this year to date)."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_YEARS = 5
# Reports cover the years complaints can have been received in; outside them a date is a
# typing error (and the previous period of year 1, or five years after 9999, does not exist).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def previous_year() -> tuple[date, date]:
    year = timezone.localdate().year - 1
    return date(year, 1, 1), date(year, 12, 31)


def year_to_date() -> tuple[date, date]:
    today = timezone.localdate()
    return date(today.year, 1, 1), today


def quick_periods() -> list[tuple[str, date, date]]:
    """The periods offered with one click: this year to date and the previous year."""
    return [
        (str(_("Dit jaar tot nu")), *year_to_date()),
        (str(_("Vorig jaar")), *previous_year()),
    ]


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("Van"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Tot en met"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, data=None, *, default=previous_year, **kwargs):
        start, end = default()
        if data is not None and not (data.get("start") or data.get("end")):
            data = None  # no period chosen yet: show the default one
        super().__init__(data, initial={"start": start, "end": end}, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        for key, day in (("start", start), ("end", end)):
            if day and not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(key, _("Kies een datum tussen 1900 en 2999."))
                start = end = None
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
