"""Periods of a procedure as a person says them, for pages and reports."""

from django.utils.translation import ngettext

from klachtroute.deadlines import Period, Unit


def period_words(period: Period) -> str:
    """ "1 werkdag", "4 weken", "30 dagen"."""
    n = period.amount
    if period.unit == Unit.WORKING_DAYS:
        return ngettext("%(n)s werkdag", "%(n)s werkdagen", n) % {"n": n}
    if period.unit == Unit.WEEKS:
        return ngettext("%(n)s week", "%(n)s weken", n) % {"n": n}
    return ngettext("%(n)s dag", "%(n)s dagen", n) % {"n": n}
