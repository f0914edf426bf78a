"""Reads for mail received in the complaint mailbox."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from klachtroute.deadlines import add_years, local_date
from klachtroute.organisation.selectors import active_version_in_force

from .models import MailStatus, ReceivedMail

# Mail that never became part of a complaint: when it was decided ("not a complaint") or,
# sent by a machine, when it came in, starts the organisation's retention period.
NEVER_A_COMPLAINT = (MailStatus.REJECTED, MailStatus.AUTOMATIC)


def received_mails(*, status: str = MailStatus.WAITING):
    return ReceivedMail.objects.filter(status=status).select_related("complaint", "handled_by")


def received_mail_counts() -> dict[str, int]:
    from django.db.models import Count

    rows = ReceivedMail.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def _retention_years(on: dt.date, cache: dict) -> int | None:
    """The retention years of the organisation's procedure in force on `on` (or, for a day
    before its first version, of the version in force now)."""
    if on not in cache:
        version = active_version_in_force(on=on) or active_version_in_force(on=timezone.localdate())
        cache[on] = version.spec.retention_years if version is not None else None
    return cache[on]


def received_mail_purge_date(mail: ReceivedMail, _cache: dict | None = None) -> dt.date | None:
    """The last day a message that never became part of a complaint is kept: the day it was
    rejected (or, sent by a machine, received) plus the procedure's retention years. It is
    purged on a later day; None for mail that is waiting or belongs to a complaint."""
    if mail.status not in NEVER_A_COMPLAINT or mail.complaint_id is not None:
        return None
    kept_from = local_date(mail.handled_at or mail.received_at, settings.TIME_ZONE)
    years = _retention_years(kept_from, {} if _cache is None else _cache)
    return add_years(kept_from, years) if years is not None else None


def received_mails_purge_preview(*, today: dt.date, days: int = 0) -> list[ReceivedMail]:
    """Mail that never became part of a complaint and whose retention period ends before
    `today` plus `days` (with `days=0`: the mail due for purging now), oldest first; each
    carries its `purge_date`."""
    horizon = today + dt.timedelta(days=days)
    # No procedure keeps anything for less than a year: older rows are the only candidates.
    latest = dt.datetime.combine(add_years(horizon, -1), dt.time.min, ZoneInfo(settings.TIME_ZONE))
    candidates = ReceivedMail.objects.filter(
        status__in=NEVER_A_COMPLAINT, complaint__isnull=True, received_at__lt=latest
    ).order_by("received_at", "pk")
    cache: dict = {}
    found = []
    for mail in candidates:
        purge_date = received_mail_purge_date(mail, cache)
        if purge_date is not None and purge_date < horizon:
            mail.purge_date = purge_date  # type: ignore[attr-defined]
            found.append(mail)
    return found


def received_mails_due_for_purge(*, today: dt.date) -> list[ReceivedMail]:
    """Mail that never became part of a complaint, past its retention period."""
    return received_mails_purge_preview(today=today, days=0)
