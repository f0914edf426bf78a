"""The one answer to "which deadlines of this complaint are open, met, missed or no longer ours
to watch, on this day", for one complaint and, as a queryset filter, for lists.

The arithmetic lives in `klachtroute.deadlines`; this module puts a procedure version's
periods on a complaint and judges them. The record page, the worklist, the status page, the
API, reminders, the directors' notices and the watcher only render what it answers.

- open: not done, due today or later;
- missed: not done and past its day, or done after it;
- met: done on or before its day;
- lapsed: the complaint closed before the step happened (an oral complaint settled on the
  spot never gets a first contact);
- over: no longer the organisation's to watch, e.g. the settlement period once the
  complainant is told there is no agreement and the independent third party takes over.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db.models import Min, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from klachtroute.deadlines import WorkCalendar, add_working_days, deadline, local_date

from .models import Complaint, Event
from .workflow import SETTLEMENT_OVER, EventKind, State


class Status(StrEnum):
    OPEN = "open"
    MET = "met"
    MISSED = "missed"
    LAPSED = "lapsed"
    OVER = "over"


STATUS_LABELS = {
    Status.OPEN: gettext_lazy("open"),
    Status.MET: gettext_lazy("gehaald"),
    Status.MISSED: gettext_lazy("niet gehaald"),
    Status.LAPSED: gettext_lazy("vervallen"),
    Status.OVER: gettext_lazy("niet meer van toepassing"),
}


@dataclass(frozen=True)
class Kind:
    """One kind of deadline: where its date and its completion are stored, and its words."""

    key: str
    due_field: str
    done_field: str | None  # None: it ends when the state moves on (the defence)
    label: Promise  # for staff pages
    notice_label: Promise  # inside a sentence of a reminder or notice
    public_label: Promise | None  # for the complainant; None: not shown there

    def watched(self) -> Q:
        """Complaints on which this deadline still has to be met (the queryset twin of
        `DeadlineState.watched`)."""
        q = Q(state__in=State.open_states(), **{f"{self.due_field}__isnull": False})
        if self.done_field:
            q &= Q(**{f"{self.done_field}__isnull": True})
        if self.key == "settle":
            q &= ~Q(state__in=SETTLEMENT_OVER)
        if self.key == "defence":
            q &= Q(state=State.AWAITING_DEFENCE)
        # A suspended clock stands still: nothing is reminded or overdue until it resumes.
        return q & Q(suspended_since__isnull=True)


KINDS: tuple[Kind, ...] = (
    Kind(
        "acknowledge",
        "acknowledge_due",
        "acknowledged_at",
        gettext_lazy("Ontvangstbevestiging"),
        gettext_lazy("ontvangstbevestiging"),
        gettext_lazy("Ontvangstbevestiging"),
    ),
    Kind(
        "first_contact",
        "first_contact_due",
        "first_contact_at",
        gettext_lazy("Eerste persoonlijk contact"),
        gettext_lazy("eerste persoonlijk contact met de klager"),
        gettext_lazy("Persoonlijk contact met de behandelaar"),
    ),
    Kind(
        "settle",
        "settle_due",
        "settled_at",
        gettext_lazy("Afhandeling"),
        gettext_lazy("afhandeling van de klacht"),
        gettext_lazy("Afhandeling van uw klacht"),
    ),
    Kind(
        "set_aside",
        "set_aside_due",
        "handling_decided_at",
        gettext_lazy("Besluit over niet-behandelen"),
        gettext_lazy("schriftelijk bericht als de klacht niet in behandeling wordt genomen"),
        None,
    ),
    Kind(
        "defence",
        "defence_due",
        None,
        gettext_lazy("Verweer"),
        gettext_lazy("verweer"),
        None,
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
# The deadlines a procedure version sets from the day of receipt; the others are set by a step.
FROM_RECEIPT = ("acknowledge", "first_contact", "settle")
# Set from the day of receipt too, but only by a procedure that switches the step on; the
# history names them only then.
FROM_RECEIPT_WHEN_ON = ("set_aside",)


@dataclass(frozen=True)
class DeadlineState:
    kind: Kind
    due: date
    done_at: datetime | None
    status: Status

    @property
    def key(self) -> str:
        return self.kind.key

    @property
    def label(self) -> str:
        return str(self.kind.label)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def watched(self) -> bool:
        """Still to be met: open, or missed and not done yet."""
        return self.done_at is None and self.status in (Status.OPEN, Status.MISSED)

    @property
    def overdue(self) -> bool:
        """Missed and still not done: the complaint is late on this step."""
        return self.status == Status.MISSED and self.done_at is None

    @property
    def met(self) -> bool | None:
        """Done in time (True), done late (False), not done (None)."""
        if self.done_at is None:
            return None
        return self.status == Status.MET


def _judge(complaint: Complaint, kind: Kind, due: date, done_at, today: date) -> Status:
    if done_at is not None:
        return Status.MET if local_date(done_at, settings.TIME_ZONE) <= due else Status.MISSED
    if not complaint.is_open:
        return Status.LAPSED
    if kind.key == "settle" and complaint.state in SETTLEMENT_OVER:
        return Status.OVER
    if kind.key == "defence" and complaint.state != State.AWAITING_DEFENCE:
        return Status.OVER
    if complaint.suspended_since is not None:
        return Status.OPEN  # the clock stands still; resuming moves the day
    return Status.MISSED if due < today else Status.OPEN


def deadline_states(complaint: Complaint, today: date) -> list[DeadlineState]:
    """Every deadline the complaint has, judged on `today`, in the order of the procedure."""
    states = []
    for kind in KINDS:
        due = getattr(complaint, kind.due_field)
        if due is None:
            continue
        done_at = getattr(complaint, kind.done_field) if kind.done_field else None
        states.append(
            DeadlineState(kind, due, done_at, _judge(complaint, kind, due, done_at, today))
        )
    return states


def deadlines_watched(complaint: Complaint, today: date) -> list[DeadlineState]:
    """The deadlines that still have to be met; none for a closed complaint."""
    return [state for state in deadline_states(complaint, today) if state.watched]


def deadline_state(complaint: Complaint, key: str, today: date) -> DeadlineState | None:
    """The one deadline `key` of the complaint, judged on `today` (None: it has none)."""
    kind = KINDS_BY_KEY.get(key)
    due = getattr(complaint, kind.due_field) if kind else None
    if kind is None or due is None:
        return None
    done_at = getattr(complaint, kind.done_field) if kind.done_field else None
    return DeadlineState(kind, due, done_at, _judge(complaint, kind, due, done_at, today))


def watched_overdue(today: date) -> Q:
    """Complaints with a deadline that passed and is still to be met (LSR-7a, LSR-7b)."""
    found = Q(pk__in=[])
    for kind in KINDS:
        found |= kind.watched() & Q(**{f"{kind.due_field}__lt": today})
    return found


def watched_due_from(today: date) -> Q:
    """Complaints with a deadline still to be met on `today` or later."""
    found = Q(pk__in=[])
    for kind in KINDS:
        found |= kind.watched() & Q(**{f"{kind.due_field}__gte": today})
    return found


def next_due(complaint: Complaint):
    """The nearest deadline still to be met; None for a closed complaint. Stored on the
    complaint (indexed) so that the worklist can sort by it."""
    # The day does not matter: being watched depends only on the state and what is done.
    watched = deadlines_watched(complaint, date.min)
    return min((state.due for state in watched), default=None)


def deadlines_compute(complaint: Complaint, calendar: WorkCalendar) -> dict[str, str | None]:
    """Set every deadline from the day of receipt and the complaint's procedure version."""
    received_on = local_date(complaint.received_at, settings.TIME_ZONE)
    spec = complaint.procedure_version.spec
    for key in (*FROM_RECEIPT, *FROM_RECEIPT_WHEN_ON):
        period = spec.period(key)
        due = deadline(received_on, period, calendar) if period else None
        setattr(complaint, KINDS_BY_KEY[key].due_field, due)
    complaint.progress_update_due = progress_update_next(complaint, received_on, calendar)
    complaint.next_due = next_due(complaint)
    return deadlines_snapshot(complaint)


def progress_update_next(complaint: Complaint, after: date, calendar: WorkCalendar):
    """The day the complainant is next owed word on how the complaint stands: the
    procedure's progress-update period after `after` (the receipt or the last update);
    None when the procedure sets no such period."""
    period = complaint.procedure_version.spec.period("progress_update")
    return deadline(after, period, calendar) if period else None


def progress_update_due_q(today: date) -> Q:
    """Open complaints whose progress update is due on `today` or has passed."""
    return Q(state__in=State.open_states(), progress_update_due__lte=today)


def deadlines_shift(complaint: Complaint, days: int, calendar: WorkCalendar) -> dict:
    """Move every deadline still to be met by `days` working days (after a suspension).
    Returns the moved ones as {key: [before, after]} in ISO dates, for the history."""
    moved: dict[str, list[str]] = {}
    if days <= 0:
        return moved
    for kind in KINDS:
        due = getattr(complaint, kind.due_field)
        done = getattr(complaint, kind.done_field) if kind.done_field else None
        if due is None or done is not None:
            continue
        new = add_working_days(due, days, calendar)
        setattr(complaint, kind.due_field, new)
        moved[kind.key] = [due.isoformat(), new.isoformat()]
    if complaint.progress_update_due is not None:
        complaint.progress_update_due = add_working_days(
            complaint.progress_update_due, days, calendar
        )
    complaint.next_due = next_due(complaint)
    return moved


def deadlines_snapshot(complaint: Complaint) -> dict[str, str | None]:
    """The deadlines set from the day of receipt, as recorded in the history."""
    snapshot = {key: _iso(getattr(complaint, KINDS_BY_KEY[key].due_field)) for key in FROM_RECEIPT}
    for key in FROM_RECEIPT_WHEN_ON:
        if getattr(complaint, KINDS_BY_KEY[key].due_field) is not None:
            snapshot[key] = _iso(getattr(complaint, KINDS_BY_KEY[key].due_field))
    return snapshot


def deadlines_by_key(complaint: Complaint) -> dict[str, date | None]:
    return {key: getattr(complaint, KINDS_BY_KEY[key].due_field) for key in FROM_RECEIPT}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def no_agreement_earliest(complaint: Complaint, calendar: WorkCalendar) -> date | None:
    """The first day on which the no-agreement procedure may start (LIVP-9): the day after
    the procedure's deadline passed, but never before the handler had the chance the
    procedure gives (`no_agreement_handler_period`, counted from the handler's first
    appointment), however late the complaint was registered. None: the procedure has no
    no-agreement procedure, or no handler was appointed yet."""
    return no_agreement_earliest_many([complaint], calendar)[complaint.pk]


def no_agreement_earliest_many(
    complaints: list[Complaint], calendar: WorkCalendar
) -> dict[int, date | None]:
    """`no_agreement_earliest` of each complaint, by id, in one query however many (the
    handlers' first appointments)."""
    appointed = dict(
        Event.objects.filter(
            complaint__in=[c.pk for c in complaints], kind=EventKind.HANDLER_ASSIGNED
        )
        .values("complaint_id")
        .annotate(first=Min("at"))
        .values_list("complaint_id", "first")
    )
    earliest: dict[int, date | None] = {}
    for complaint in complaints:
        spec = complaint.procedure_version.spec
        chance = spec.no_agreement_handler_chance()
        first = appointed.get(complaint.pk)
        if not spec.no_agreement_after or chance is None or first is None:
            earliest[complaint.pk] = None
            continue
        due = getattr(complaint, KINDS_BY_KEY[spec.no_agreement_after].due_field)
        handler_until = deadline(local_date(first, settings.TIME_ZONE), chance, calendar)
        days = [day for day in (due, handler_until) if day is not None]
        earliest[complaint.pk] = max(days) + timedelta(days=1)
    return earliest


def deadlines_passed(complaint: Complaint, today: date) -> list[DeadlineState]:
    """The deadlines that had already passed, unmet, on `today`: for a complaint registered
    late or back-dated, what the secretariat is warned of and the acknowledgement admits."""
    return [state for state in deadline_states(complaint, today) if state.overdue]
