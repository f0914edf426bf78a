"""Reads of the organisation's settings and calendar."""

from django.db.models import QuerySet

from klachtroute.deadlines import WorkCalendar

from .models import ClosingDay, Course, Organisation


def organisation_get() -> Organisation | None:
    return Organisation.objects.select_related("active_procedure").first()


def work_calendar_get() -> WorkCalendar:
    """The organisation's calendar: Dutch public holidays plus its configured closing days."""
    return WorkCalendar(closing_days=frozenset(ClosingDay.objects.values_list("date", flat=True)))


def courses_active() -> QuerySet[Course]:
    return Course.objects.filter(active=True).order_by("name")
