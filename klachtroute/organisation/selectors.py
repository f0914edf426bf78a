"""Reads of the organisation's settings and calendar."""

from datetime import date

from django.db.models import QuerySet

from klachtroute.deadlines import WorkCalendar
from klachtroute.procedures.models import ProcedureVersion
from klachtroute.procedures.selectors import procedure_version_in_force

from .models import ClosingDay, Course, Organisation


def organisation_get() -> Organisation | None:
    return Organisation.objects.select_related("active_procedure").first()


def organisation_contact_get() -> Organisation | None:
    """The organisation as every page shows it: its name and contact details, without its
    procedure (no join)."""
    return Organisation.objects.order_by("pk").first()


def active_version_in_force(*, on: date) -> ProcedureVersion | None:
    """The version of the organisation's active procedure in force on `on`."""
    organisation = organisation_get()
    if organisation is None or organisation.active_procedure is None:
        return None
    return procedure_version_in_force(procedure=organisation.active_procedure, on=on)


def work_calendar_get() -> WorkCalendar:
    """The organisation's calendar: Dutch public holidays plus its configured closing days."""
    return WorkCalendar(closing_days=frozenset(ClosingDay.objects.values_list("date", flat=True)))


def courses_active() -> QuerySet[Course]:
    return Course.objects.filter(active=True).order_by("name")
