"""Reminding owners of measures before the due date (LIVP-8, LSR-8c).

An owner is reminded `reminder_working_days` working days before the due date (of the
procedure version of the measure's first complaint), or on a later day up to the due date
itself if the watcher did not run then, once per measure and due date. The reminder
claims a `DeadlineNotice` on the measure's first complaint (deadline "measure:<id>"), in
the same transaction as its message, so running the watcher twice sends nothing twice.
A moved due date is a new key and gets its own reminder.

Only the measures that may need a reminder are read (open, due within the reminder window
of any procedure version, an owner to tell, and no reminder yet for this due date), a batch
at a time; a batch is claimed and told in one transaction, in a number of queries that does
not grow with it. A run at the same moment makes the claims fail on their unique key, and
the batch is done again one measure at a time, giving nothing that was given.
"""

from datetime import date

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from klachtroute.cases.batches import batch_or_one_by_one
from klachtroute.cases.models import Complaint, DeadlineNotice
from klachtroute.cases.selectors import complaints_visible_to_each
from klachtroute.cases.services.common import record_url, site_url
from klachtroute.cases.watch import reminder_horizon
from klachtroute.deadlines import WorkCalendar, working_days_left
from klachtroute.notifications.services import NewMessage, messages_send_many
from klachtroute.organisation.selectors import organisation_get, work_calendar_get

from .models import Measure
from .selectors import FINISHED

# Measures per transaction.
BATCH = 200


def measure_notice_key(measure: Measure) -> str:
    return f"measure:{measure.pk}"


def complaints_of_measure(
    complaints, owner, *, language: str, visible: set[tuple[int, int]]
) -> list[dict]:
    """The complaints a measure came from, each with its number and, for an owner who may
    see it, the address of its record page. `visible`: (person id, complaint id) of the
    complaints people may see, asked at once (`complaints_visible_to_each`)."""
    return [
        {
            "number": c.number,
            "url": record_url(c, language) if (owner.pk, c.pk) in visible else "",
        }
        for c in complaints
    ]


def _candidates(today: date, calendar: WorkCalendar):
    """The measures that may need a reminder on `today`, in the order of their id."""
    through = Measure.complaints.through.objects.filter(measure=OuterRef("pk"))
    first = Subquery(through.order_by("complaint_id").values("complaint_id")[:1])
    reminded = DeadlineNotice.objects.filter(
        complaint=OuterRef("first_complaint"),
        deadline=Concat(Value("measure:"), Cast(OuterRef("pk"), CharField())),
        due=OuterRef("due_date"),
        kind=DeadlineNotice.Kind.REMINDER,
    )
    complaints = Complaint.objects.select_related("procedure_version__procedure").order_by("pk")
    return (
        Measure.objects.filter(
            due_date__gte=today,
            due_date__lt=reminder_horizon(today, calendar),
            owner__is_active=True,
        )
        .exclude(status__in=FINISHED)
        .exclude(owner__email="")
        .annotate(first_complaint=first)
        .filter(first_complaint__isnull=False)
        .exclude(Exists(reminded))
        .select_related("owner")
        .prefetch_related(Prefetch("complaints", queryset=complaints))
        .order_by("pk")
    )


def measure_reminders_send(today: date | None = None) -> tuple[int, int]:
    """Remind owners of open measures that are nearly due, a batch at a time; a batch that
    fails is done again one measure at a time. Returns (sent, errors)."""
    today = today or timezone.localdate()
    calendar = work_calendar_get()
    organisation = organisation_get()
    candidates = _candidates(today, calendar)
    sent = errors = 0
    last = 0
    while batch := list(candidates.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        done, failed = batch_or_one_by_one(
            batch,
            lambda part: _remind_batch(part, today, calendar, organisation),
            what="Measure reminders",
            claims=True,
        )
        sent, errors = sent + done, errors + failed
    return sent, errors


@transaction.atomic
def _remind_batch(batch: list[Measure], today: date, calendar: WorkCalendar, organisation) -> int:
    """One batch's reminders in one transaction: the claims inserted at once, who may see
    which complaint asked at once, the messages written at once. Returns how many."""
    due = []
    for measure in batch:
        complaints = list(measure.complaints.all())  # in the order of their id
        ahead = complaints[0].procedure_version.spec.reminder_working_days
        if working_days_left(today, measure.due_date, calendar) <= ahead:
            due.append((measure, complaints))
    if not due:
        return 0
    DeadlineNotice.objects.bulk_create(
        DeadlineNotice(
            complaint=complaints[0],
            deadline=measure_notice_key(measure),
            due=measure.due_date,
            kind=DeadlineNotice.Kind.REMINDER,
        )
        for measure, complaints in due
    )
    visible = complaints_visible_to_each(
        (measure.owner, c.pk) for measure, complaints in due for c in complaints
    )
    messages = []
    for measure, complaints in due:
        owner, first = measure.owner, complaints[0]
        language = owner.preferred_language or "nl"
        sources = complaints_of_measure(complaints, owner, language=language, visible=visible)
        messages.append(
            NewMessage(
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
        )
    messages_send_many(items=messages)
    return len(due)


def run(today: date) -> tuple[int, int]:
    """The measures' part of the periodic run: remind owners. Returns (sent, errors)."""
    return measure_reminders_send(today)
