"""Reads for retention (LIVP-10): when a closed complaint's personal data is purged, which
complaints are due, and which the purge reaches soon."""

import datetime as _dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet

from klachtroute.cases.models import Complaint
from klachtroute.cases.workflow import State
from klachtroute.deadlines import add_years, local_date
from klachtroute.procedures.models import ProcedureVersion


def retention_years_of(version) -> int:
    return version.spec.retention_years


def purge_date(complaint: Complaint):
    """The last day a closed complaint keeps its personal data: the local closing date plus
    the retention years of its procedure version. It is purged on a later day."""
    if complaint.settled_at is None:
        return None
    closed_on = local_date(complaint.settled_at, settings.TIME_ZONE)
    return add_years(closed_on, retention_years_of(complaint.procedure_version))


def _closed_unheld() -> QuerySet[Complaint]:
    return Complaint.objects.filter(
        state__in=State.closed_states(),
        settled_at__isnull=False,
        legal_hold=False,
        purged_at__isnull=True,
    )


def _past_retention(qs: QuerySet[Complaint], *, today) -> QuerySet[Complaint]:
    """Of `qs`, those whose purge date lies before `today`. The retention period is set per
    procedure version, so the versions are grouped by their number of years."""
    zone = ZoneInfo(settings.TIME_ZONE)
    by_years: dict[int, list[int]] = {}
    versions = ProcedureVersion.objects.filter(pk__in=qs.values("procedure_version_id").distinct())
    for version in versions:
        by_years.setdefault(retention_years_of(version), []).append(version.pk)
    if not by_years:
        return qs.none()
    due = Q()
    for years, version_ids in by_years.items():
        # Closed before this local day: the closing date plus `years` is before today.
        cutoff = _dt.datetime.combine(add_years(today, -years), _dt.time.min, tzinfo=zone)
        due |= Q(procedure_version_id__in=version_ids, settled_at__lt=cutoff)
    return qs.filter(due)


def complaints_due_for_purge(*, today) -> QuerySet[Complaint]:
    """Closed complaints past their retention period, not under legal hold, not yet purged."""
    return _past_retention(_closed_unheld(), today=today).order_by("settled_at", "id")


def complaints_purge_preview(*, today, days: int = 30) -> QuerySet[Complaint]:
    """Closed, not yet purged complaints that the purge reaches within `days` days from
    `today`, those under legal hold included (so that the hold can be reviewed)."""
    candidates = Complaint.objects.filter(
        state__in=State.closed_states(), settled_at__isnull=False, purged_at__isnull=True
    )
    return (
        _past_retention(candidates, today=today + _dt.timedelta(days=days))
        .select_related("procedure_version")
        .order_by("settled_at", "id")
    )
