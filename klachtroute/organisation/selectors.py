"""Reads of the organisation's settings and calendar."""

from dataclasses import dataclass
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


@dataclass(frozen=True)
class ActiveProcedure:
    """The organisation and the version of its active procedure in force on the day `on`
    (either may be None), read once by a request and handed on: the public form reads it,
    the registration and its acknowledgement use it instead of reading it again."""

    organisation: Organisation | None
    version: ProcedureVersion | None
    on: date


def active_procedure_get(*, on: date) -> ActiveProcedure:
    """The organisation and the version of its active procedure in force on `on`."""
    organisation = organisation_get()
    version = None
    if organisation is not None and organisation.active_procedure is not None:
        version = procedure_version_in_force(procedure=organisation.active_procedure, on=on)
    return ActiveProcedure(organisation=organisation, version=version, on=on)


def active_version_in_force(*, on: date) -> ProcedureVersion | None:
    """The version of the organisation's active procedure in force on `on`."""
    return active_procedure_get(on=on).version


def work_calendar_get() -> WorkCalendar:
    """The organisation's calendar: Dutch public holidays plus its configured closing days."""
    return WorkCalendar(closing_days=frozenset(ClosingDay.objects.values_list("date", flat=True)))


def courses_active() -> QuerySet[Course]:
    return Course.objects.filter(active=True).order_by("name")
