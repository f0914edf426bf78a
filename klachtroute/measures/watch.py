"""Reminding owners of measures before the due date (LIVP-8, LSR-8c).

An owner is reminded `reminder_working_days` working days before the due date (of the
procedure version of the measure's first complaint), or on a later day up to the due date
itself if the watcher did not run then, once per measure and due date. The reminder
claims a `DeadlineNotice` on the measure's first complaint (deadline "measure:<id>"), in
the same transaction as its message, so running the watcher twice sends nothing twice.
A moved due date is a new key and gets its own reminder.
"""

import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from klachtroute.cases.models import DeadlineNotice
from klachtroute.cases.selectors import complaints_visible_to
from klachtroute.cases.services.common import record_url, site_url
from klachtroute.deadlines import working_days_left
from klachtroute.notifications.services import message_send_to
from klachtroute.organisation.selectors import organisation_get, work_calendar_get

from .models import Measure
from .selectors import FINISHED

logger = logging.getLogger(__name__)


def measure_notice_key(measure: Measure) -> str:
    return f"measure:{measure.pk}"


def _claim(*, complaint, measure: Measure) -> bool:
    fields = {
        "complaint": complaint,
        "deadline": measure_notice_key(measure),
        "due": measure.due_date,
        "kind": DeadlineNotice.Kind.REMINDER,
    }
    if DeadlineNotice.objects.filter(**fields).exists():
        return False
    try:
        with transaction.atomic():
            DeadlineNotice.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def complaints_of_measure(complaints, owner, *, language: str) -> list[dict]:
    """The complaints a measure came from, each with its number and, for an owner who may
    see it, the address of its record page."""
    visible = set(
        complaints_visible_to(owner)
        .filter(pk__in=[c.pk for c in complaints])
        .values_list("pk", flat=True)
    )
    return [
        {"number": c.number, "url": record_url(c, language) if c.pk in visible else ""}
        for c in complaints
    ]


def measure_reminders_send(today: date | None = None) -> tuple[int, int]:
    """Remind owners of open measures that are nearly due. Returns (sent, errors)."""
    today = today or timezone.localdate()
    calendar = work_calendar_get()
    organisation = organisation_get()
    sent = errors = 0
    measures = (
        Measure.objects.filter(due_date__gte=today)
        .exclude(status__in=FINISHED)
        .select_related("owner")
        .prefetch_related("complaints__procedure_version__procedure")
        .order_by("pk")
    )
    for measure in measures:
        complaints = sorted(measure.complaints.all(), key=lambda c: c.pk)
        owner = measure.owner
        if not complaints or not owner.is_active or not owner.email:
            continue
        first = complaints[0]
        ahead = first.procedure_version.spec.reminder_working_days
        if working_days_left(today, measure.due_date, calendar) > ahead:
            continue
        language = owner.preferred_language or "nl"
        try:
            with transaction.atomic():
                if not _claim(complaint=first, measure=measure):
                    continue
                sources = complaints_of_measure(complaints, owner, language=language)
                message_send_to(
                    key="measure_reminder",
                    context={
                        "measure": measure,
                        "complaint": first,
                        "organisation": organisation,
                        "recipient_name": owner.display_name,
                        "link": site_url(reverse("measures:update", args=[measure.pk])),
                        "sources": sources,
                    },
                    complaint=first,
                    email=owner.email,
                    name=owner.display_name,
                    language=language,
                    record_url=next((s["url"] for s in sources if s["url"]), ""),
                )
                sent += 1
        except Exception:
            errors += 1
            logger.exception("Reminder for measure %s failed", measure.pk)
    return sent, errors


def run(today: date) -> tuple[int, int]:
    """The measures' part of the periodic run: remind owners. Returns (sent, errors)."""
    return measure_reminders_send(today)
