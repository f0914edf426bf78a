"""The deadline watcher (LIVP-9, LSR-5d, LSR-7a, LSR-7b).

`deadlines_watch` is run every few minutes by `manage.py watch_deadlines`. It reminds the
people who must act before a deadline, marks deadlines that passed and tells the directors,
starts the no-agreement procedure when a LIVP settlement period ran out, and sends the
directors their weekly digest.

Running it twice, or twice at the same moment, sends nothing twice: every reminder and
every missed deadline claims a `DeadlineNotice` row (unique per complaint, deadline, due
date and kind) in the same transaction as its message, and the weekly digest claims a
`DigestSent` row for its ISO week. The claim is an INSERT in a savepoint; a second run
either sees the row or gets an IntegrityError (on PostgreSQL it waits for the first run's
transaction), and then does nothing. A due date that moves (an extension) is a new key, so
the new date gets its own reminder and, if it passes too, its own mark.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtroute.deadlines import WorkCalendar, working_days_left
from klachtroute.notifications.models import DigestSent
from klachtroute.organisation.selectors import work_calendar_get
from klachtroute.portal.services import satisfaction_invitations_send
from klachtroute.procedures.models import ProcedureVersion

from .deadlines import (
    KINDS_BY_KEY,
    DeadlineState,
    deadline_state,
    deadlines_watched,
    no_agreement_earliest,
    watched_due_from,
)
from .events import event_record
from .measures_watch import measure_reminders_send
from .models import Complaint, DeadlineNotice
from .selectors import complaints_overdue, complaints_received_between
from .services import no_agreement_declare
from .services.common import directors, respondent_people, secretariat, tell_user
from .services.retention import retention_purge_due
from .workflow import TRANSITIONS_BY_ACTION, State, applies_to

logger = logging.getLogger(__name__)

# Where the watcher starts the no-agreement procedure (LIVP-9): no solution approved yet.
NO_AGREEMENT_SOURCES = (State.IN_PROGRESS, State.AWAITING_APPROVAL)


@dataclass
class WatchReport:
    """What one run of the watcher did."""

    reminders: int = 0  # reminders sent (one per complaint, deadline and due date)
    missed: int = 0  # deadlines newly marked as missed
    no_agreement: int = 0  # complaints moved to no agreement (LIVP-9)
    digest_sent: bool = False
    errors: int = 0

    def summary(self) -> str:
        digest = "sent" if self.digest_sent else "not due"
        text = (
            f"reminders: {self.reminders}, missed: {self.missed}, "
            f"no-agreement started: {self.no_agreement}, digest: {digest}"
        )
        return text + (f", errors: {self.errors}" if self.errors else "")


def deadline_recipients(complaint: Complaint, key: str) -> list:
    """Who is reminded of a deadline: the secretariat acknowledges (LIVP-3); the respondent
    writes the defence (LSR-6e); the handler does the rest, or the secretariat while there
    is no handler yet. Only people with an e-mail address: a reminder is not sent as a letter."""
    if key == "acknowledge":
        people = list(secretariat())
    elif key == "defence":
        people = respondent_people(complaint)
    elif complaint.handler_id and complaint.handler.is_active:
        people = [complaint.handler]
    else:
        people = list(secretariat())
    return [person for person in people if person.email]


def _notice_claim(*, complaint: Complaint, deadline: DeadlineState, kind: str) -> bool:
    """Claim the right to give this notice. False when it was given already (or is being
    given by a run at the same moment). Call inside the transaction that gives it."""
    fields = {"complaint": complaint, "deadline": deadline.key, "due": deadline.due, "kind": kind}
    if DeadlineNotice.objects.filter(**fields).exists():
        return False
    try:
        with transaction.atomic():
            DeadlineNotice.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def _open_complaints():
    return Complaint.objects.filter(state__in=State.open_states()).select_related(
        "procedure_version__procedure", "handler", "respondent", "course"
    )


def reminders_send(*, today: date, calendar: WorkCalendar) -> tuple[int, int]:
    """Remind of each open deadline `reminder_working_days` working days before it (and on
    the day itself at the latest), once per complaint, deadline and due date.

    Returns (reminders sent, errors).
    """
    sent = errors = 0
    candidates = _open_complaints().filter(watched_due_from(today)).order_by("pk")
    for complaint in candidates:
        ahead = complaint.procedure_version.spec.reminder_working_days
        for deadline in deadlines_watched(complaint, today):
            if deadline.due < today:
                continue
            days_left = working_days_left(today, deadline.due, calendar)
            if days_left > ahead:
                continue
            try:
                with transaction.atomic():
                    if not _notice_claim(
                        complaint=complaint, deadline=deadline, kind=DeadlineNotice.Kind.REMINDER
                    ):
                        continue
                    for person in deadline_recipients(complaint, deadline.key):
                        tell_user(
                            complaint,
                            person,
                            "deadline_reminder",
                            deadline_label=deadline.kind.notice_label,
                            due=deadline.due,
                            days_left=days_left,
                        )
                sent += 1
            except Exception:
                errors += 1
                logger.exception(
                    "Reminder of %s for complaint %s failed", deadline.key, complaint.number
                )
    return sent, errors


@transaction.atomic
def missed_deadlines_mark(*, today: date) -> int:
    """Mark each deadline that passed unmet (an event in the complaint's history, once per
    complaint, deadline and due date) and tell every director, in one message, which
    complaints became overdue since the last run (LSR-7b). Returns the number marked.

    One transaction: the marks and the directors' message stand or fall together.
    """
    newly: dict[int, Complaint] = {}
    missed: list[dict] = []
    overdue = complaints_overdue(today=today).select_related(
        "procedure_version__procedure", "respondent"
    )
    for complaint in overdue.order_by("pk"):
        for deadline in deadlines_watched(complaint, today):
            if deadline.due >= today:
                continue
            if not _notice_claim(
                complaint=complaint, deadline=deadline, kind=DeadlineNotice.Kind.MISSED
            ):
                continue
            event_record(
                complaint=complaint,
                actor=None,
                kind="deadline_missed",
                summary=_("Termijn verstreken: %(deadline)s (uiterlijk %(due)s).")
                % {
                    "deadline": deadline.kind.notice_label,
                    "due": deadline.due.strftime("%d-%m-%Y"),
                },
                after={"deadline": deadline.key, "due": deadline.due.isoformat()},
            )
            newly[complaint.pk] = complaint
            missed.append(
                {
                    "complaint": complaint,
                    "deadline_label": deadline.kind.notice_label,
                    "due": deadline.due,
                }
            )
    if newly:
        complaints = sorted(newly.values(), key=lambda c: c.number)
        for person in directors():
            if person.email:
                tell_user(None, person, "deadlines_overdue", overdue=complaints, missed=missed)
    return len(missed)


def settle_missed_tell_handlers(*, today: date) -> tuple[int, int]:
    """LSR-7b: when the settlement period passed without an extension, and the procedure
    has the handler tell the complainant of the delay (the step `inform_delay`), the handler
    is told to do so, once per complaint and due date (claimed as the notice of the
    deadline "settle:handler"). The directors hear of the missed deadline itself from
    `missed_deadlines_mark`. Returns (told, errors)."""
    told = errors = 0
    step = TRANSITIONS_BY_ACTION["inform_delay"]
    overdue = complaints_overdue(today=today).filter(settle_due__lt=today, handler__isnull=False)
    for complaint in overdue.select_related("procedure_version__procedure", "handler"):
        if not applies_to(step, complaint):
            continue
        settle = deadline_state(complaint, "settle", today)
        if settle is None or not settle.overdue:
            continue
        try:
            with transaction.atomic():
                fields = {
                    "complaint": complaint,
                    "deadline": "settle:handler",
                    "due": settle.due,
                    "kind": DeadlineNotice.Kind.MISSED,
                }
                if DeadlineNotice.objects.filter(**fields).exists():
                    continue
                with transaction.atomic():  # a run at the same moment loses here
                    DeadlineNotice.objects.create(**fields)
                handler = complaint.handler
                if handler.is_active and handler.email:
                    tell_user(complaint, handler, "settle_missed", due=settle.due)
                event_record(
                    complaint=complaint,
                    actor=None,
                    kind="handler_told_settle_missed",
                    summary=_("%(name)s is gevraagd de klager te informeren over de vertraging.")
                    % {"name": handler.display_name},
                    after={"handler": handler.display_name, "due": settle.due.isoformat()},
                )
            told += 1
        except IntegrityError:
            continue
        except Exception:
            errors += 1
            logger.exception("Telling the handler of complaint %s failed", complaint.number)
    return told, errors


def _no_agreement_due(today: date) -> Q:
    """Complaints without an approved solution whose procedure version names a deadline that
    starts the no-agreement procedure (LIVP-9), when that deadline has passed."""
    found = Q(pk__in=[])
    for version in ProcedureVersion.objects.only("pk", "label", "effective_from", "definition"):
        key = version.spec.no_agreement_after
        if key:
            due_field = KINDS_BY_KEY[key].due_field
            found |= Q(procedure_version_id=version.pk, **{f"{due_field}__lt": today})
    return Q(state__in=NO_AGREEMENT_SOURCES) & found


def no_agreement_start(*, today: date) -> tuple[int, int]:
    """LIVP-9: when the deadline the procedure names has passed without an approved solution,
    the complainant is told in writing of the independent third party. Returns (started,
    errors)."""
    started = errors = 0
    due = _no_agreement_due(today)
    for complaint in Complaint.objects.filter(due).order_by("pk").values_list("pk", flat=True):
        try:
            with transaction.atomic():
                # Checked again under the lock: another run, or an extension, may have won.
                locked = Complaint.objects.select_for_update().filter(due, pk=complaint).first()
                if locked is None or not _handler_had_the_chance(locked, today):
                    continue
                no_agreement_declare(complaint=locked, actor=None)
            started += 1
        except Exception:
            errors += 1
            logger.exception("No-agreement for complaint %s failed", complaint)
    return started, errors


def _handler_had_the_chance(complaint: Complaint, today: date) -> bool:
    """A complaint registered late does not go to no agreement before the handler had the
    chance the procedure gives (see `no_agreement_earliest`)."""
    earliest = no_agreement_earliest(complaint, work_calendar_get())
    return earliest is not None and today >= earliest


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@transaction.atomic
def weekly_digest_send(*, today: date) -> bool:
    """LSR-7a: once per ISO week (the first run in it), every director gets the complaints
    received in the previous week (Monday to Sunday), the number open and the overdue ones.
    Returns True when this run sent it."""
    week = iso_week(today)
    if DigestSent.objects.filter(week=week).exists():
        return False
    try:
        with transaction.atomic():
            DigestSent.objects.create(week=week, sent_at=timezone.now())
    except IntegrityError:
        return False
    monday = today - timedelta(days=today.weekday())
    period_start, period_end = monday - timedelta(days=7), monday - timedelta(days=1)
    zone = timezone.get_current_timezone()
    new = list(
        complaints_received_between(
            start=datetime.combine(period_start, time.min, tzinfo=zone),
            end=datetime.combine(monday, time.min, tzinfo=zone),
        )
    )
    open_count = Complaint.objects.filter(state__in=State.open_states()).count()
    overdue = list(complaints_overdue(today=today))
    for person in directors():
        if person.email:
            tell_user(
                None,
                person,
                "weekly_digest",
                period_start=period_start,
                period_end=period_end,
                new=new,
                open_count=open_count,
                overdue=overdue,
            )
    return True


def deadlines_watch(*, today: date | None = None) -> WatchReport:
    """One run of the watcher; see the module docstring. Safe to run at any time."""
    today = today or timezone.localdate()
    calendar = work_calendar_get()
    report = WatchReport()
    report.reminders, errors = reminders_send(today=today, calendar=calendar)
    report.errors += errors
    try:
        report.missed = missed_deadlines_mark(today=today)
    except Exception:
        report.errors += 1
        logger.exception("Marking missed deadlines failed")
    report.no_agreement, errors = no_agreement_start(today=today)
    report.errors += errors
    _told, errors = settle_missed_tell_handlers(today=today)  # LSR-7b
    report.errors += errors
    try:
        report.digest_sent = weekly_digest_send(today=today)
    except Exception:
        report.errors += 1
        logger.exception("Sending the weekly digest failed")
    report.errors += retention_purge_due(today).errors  # LIVP-10: purge expired complaints
    sent, errors = measure_reminders_send(today)  # owners of measures (LIVP-8, LSR-8c)
    report.reminders, report.errors = report.reminders + sent, report.errors + errors
    satisfaction_invitations_send(today)  # survey invitation, once per complaint
    return report
