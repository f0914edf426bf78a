"""The deadline watcher (LIVP-9, LSR-5d, LSR-7a, LSR-7b).

`deadlines_watch` is run every few minutes by `manage.py watch_deadlines` (through `run`).
It reminds the people who must act before a deadline, marks deadlines that passed and tells
the directors, starts the no-agreement procedure when a LIVP settlement period ran out, and
sends the directors their weekly digest.

Running it twice, or twice at the same moment, sends nothing twice: every reminder and
every missed deadline claims a `DeadlineNotice` row (unique per complaint, deadline, due
date and kind) in the same transaction as its message, and the weekly digest claims a
`DigestSent` row for its ISO week. The claims of a batch are one INSERT; a second run
either sees the rows or gets an IntegrityError (on PostgreSQL it waits for the first run's
transaction), and then does the batch again one complaint at a time, giving nothing that
was given. A due date that moves (an extension) is a new key, so the new date gets its own
reminder and, if it passes too, its own mark.

However large the archive, a run reads only the complaints that need something (the
candidates are found in SQL: a deadline in the window or passed, and no notice yet), a
batch at a time, and commits each batch (its reminders, missed marks or no-agreement
letters) in a transaction of its own, in a number of queries that does not grow with the
batch. The directors are told of every missed deadline no director was told of yet in one
message (the count, the most overdue by name and a link to the worklist of late
complaints), in the transaction that marks them told: a run that stopped halfway is told
of by the next.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from klachtroute.deadlines import WorkCalendar, add_working_days, working_days_left
from klachtroute.notifications.models import DigestSent
from klachtroute.organisation.selectors import work_calendar_get
from klachtroute.procedures.models import ProcedureVersion

from .batches import batch_or_one_by_one
from .deadlines import (
    KINDS,
    KINDS_BY_KEY,
    Kind,
    deadline_state,
    deadlines_watched,
    no_agreement_earliest_many,
)
from .events import events_record_many
from .models import Complaint, DeadlineNotice
from .phrases import Phrase, day, label, person_name
from .progress_watch import progress_update_reminders_send
from .selectors import (
    VISIBLE_EACH_PEOPLE,
    complaints_overdue,
    complaints_received_between,
    extensions_recorded_between,
)
from .services import no_agreement_declare_many
from .services.common import (
    directors,
    respondent_people,
    secretariat,
    site_url,
    tell_user,
    users_tell_many,
)
from .workflow import FEATURES, TRANSITIONS_BY_ACTION, EventKind, State, applies_to

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


def deadline_recipients(complaint: Complaint, key: str, *, staff: "Staff | None" = None) -> list:
    """Who is reminded of a deadline: the secretariat acknowledges (LIVP-3); the respondent
    writes the defence (LSR-6e); the handler does the rest, or the secretariat while there
    is no handler yet. Only people with an e-mail address: a reminder is not sent as a letter.
    `staff`: the secretariat and the directors read once for a batch."""
    staff = staff or Staff()
    if key == "acknowledge":
        people = staff.secretariat
    elif key == "defence":
        people = respondent_people(complaint, all_directors=staff.directors)
    elif complaint.handler_id and complaint.handler.is_active:
        people = [complaint.handler]
    else:
        people = staff.secretariat
    return [person for person in people if person.email]


class Staff:
    """The secretariat and the directors, each read once (when first asked) for a batch."""

    @cached_property
    def secretariat(self) -> list:
        return list(secretariat())

    @cached_property
    def directors(self) -> list:
        return list(directors())


# How many complaints one transaction of the watcher handles: a backlog is worked off in
# short transactions, and the complaints in memory are at most one batch.
BATCH = 200
# The most urgent complaints a notice or digest to a director names; the rest are counted
# and found through the link to the worklist.
NOTICE_ITEMS = 20


def _open_complaints():
    """The open complaints with what a reminder or a message about them needs: the people
    at once, and the procedure version as one instance per version for the whole batch
    (prefetched, not joined: its definition is read and parsed once a batch, not once a
    complaint)."""
    return (
        Complaint.objects.filter(state__in=State.open_states())
        .select_related("handler", "respondent", "course")
        .prefetch_related("procedure_version__procedure")
    )


# What judging a complaint's deadlines reads of it (`deadlines_watched`), and its number.
DEADLINE_FIELDS = (
    "pk",
    "number",
    "state",
    "procedure_version",  # its id: the history's summaries are written in its words
    "suspended_since",
    *(kind.due_field for kind in KINDS),
    *(kind.done_field for kind in KINDS if kind.done_field),
)


def _not_noticed(kind: Kind, notice: str) -> Exists:
    """No notice of this kind given yet for the complaint's present due date of `kind`."""
    return ~Exists(
        DeadlineNotice.objects.filter(
            complaint=OuterRef("pk"), deadline=kind.key, due=OuterRef(kind.due_field), kind=notice
        )
    )


def _number(complaint: Complaint) -> str:
    return complaint.number


def _in_batches(candidates: Q, *, size: int = BATCH):
    """The complaints matching `candidates`, a batch at a time in the order of their id:
    their ids are found in one query (the conditions are weighed over the open complaints
    once, not again for every batch), then each batch is read by its ids with the same
    conditions (what changed in between drops out). One batch of complaints in memory."""
    for chunk in _found_in_batches(_open_matching(candidates), size=size):
        batch = list(
            _open_complaints().filter(candidates, pk__in=[pk for pk, _n in chunk]).order_by("pk")
        )
        if batch:
            yield batch


def _open_matching(candidates: Q):
    return Complaint.objects.filter(candidates, state__in=State.open_states())


def _found_in_batches(complaints, *, size: int = BATCH):
    """The complaints of the queryset `complaints` as (id, number), found in one query (its
    conditions weighed once, not again for every batch), in lists of at most `size` in the
    order of their id: for a step that reads each batch itself, under its lock."""
    found = list(complaints.order_by("pk").values_list("pk", "number"))
    for start in range(0, len(found), size):
        yield found[start : start + size]


def reminder_horizon(today: date, calendar: WorkCalendar) -> date:
    """The first day too far ahead for any procedure version's reminder."""
    ahead = max(
        (
            v.spec.reminder_working_days
            for v in ProcedureVersion.objects.only("pk", "label", "effective_from", "definition")
        ),
        default=0,
    )
    return add_working_days(today, ahead + 1, calendar)


def reminders_send(*, today: date, calendar: WorkCalendar) -> tuple[int, int]:
    """Remind of each open deadline `reminder_working_days` working days before it (and on
    the day itself at the latest), once per complaint, deadline and due date.

    Only the complaints with a deadline in the reminder window and no reminder for it yet
    are read, a batch at a time. Returns (reminders sent, errors).
    """
    sent = errors = 0
    horizon = reminder_horizon(today, calendar)
    candidates = Q(pk__in=[])
    for kind in KINDS:
        window = {f"{kind.due_field}__gte": today, f"{kind.due_field}__lt": horizon}
        candidates |= (
            kind.watched() & Q(**window) & Q(_not_noticed(kind, DeadlineNotice.Kind.REMINDER))
        )
    for batch in _in_batches(candidates):
        done, failed = batch_or_one_by_one(
            batch,
            lambda part: _reminders_send_batch(part, today, calendar),
            what="Reminders",
            name=_number,
            claims=True,
        )
        sent, errors = sent + done, errors + failed
    return sent, errors


@transaction.atomic
def _reminders_send_batch(batch: list[Complaint], today: date, calendar: WorkCalendar) -> int:
    """The reminders due for one batch of complaints, in one transaction and a number of
    queries that does not grow with the batch: the reminders given already are read at
    once, the claims inserted at once (a run at the same moment makes the insert fail on
    the unique key, and the batch is done again one complaint at a time), and the messages
    written at once. Returns the number of reminders (complaint, deadline and due date)."""
    due = []
    for complaint in batch:
        ahead = complaint.procedure_version.spec.reminder_working_days
        for deadline in deadlines_watched(complaint, today):
            if deadline.due < today:
                continue
            days_left = working_days_left(today, deadline.due, calendar)
            if days_left <= ahead:
                due.append((complaint, deadline, days_left))
    if due:
        given = set(
            DeadlineNotice.objects.filter(
                complaint__in={complaint for complaint, _d, _l in due},
                kind=DeadlineNotice.Kind.REMINDER,
            ).values_list("complaint_id", "deadline", "due")
        )
        due = [item for item in due if (item[0].pk, item[1].key, item[1].due) not in given]
    if not due:
        return 0
    DeadlineNotice.objects.bulk_create(
        DeadlineNotice(
            complaint=complaint,
            deadline=deadline.key,
            due=deadline.due,
            kind=DeadlineNotice.Kind.REMINDER,
            directors_told=True,
        )
        for complaint, deadline, _days in due
    )
    staff = Staff()
    users_tell_many(
        [
            (
                complaint,
                person,
                "deadline_reminder",
                {
                    "deadline_label": deadline.kind.notice_label,
                    "due": deadline.due,
                    "days_left": days_left,
                },
            )
            for complaint, deadline, days_left in due
            for person in deadline_recipients(complaint, deadline.key, staff=staff)
        ]
    )
    return len(due)


def _missed_mark_batch(batch: list[tuple[int, str]], today: date) -> int:
    """Mark the missed deadlines of one batch of complaints (id, number) in one transaction
    and a few queries: the complaints are read under their lock (their state and deadlines
    only), the notices already given are read at once, and the new notices and history
    events are inserted at once."""
    with transaction.atomic():
        locked = list(
            Complaint.objects.select_for_update()
            .filter(state__in=State.open_states(), pk__in=[pk for pk, _number in batch])
            .only(*DEADLINE_FIELDS)
            .order_by("pk")
        )
        given = set(
            DeadlineNotice.objects.filter(
                complaint__in=locked, kind=DeadlineNotice.Kind.MISSED
            ).values_list("complaint_id", "deadline", "due")
        )
        notices, events = [], []
        for complaint in locked:
            for deadline in deadlines_watched(complaint, today):
                if deadline.due >= today or (complaint.pk, deadline.key, deadline.due) in given:
                    continue
                notices.append(
                    DeadlineNotice(
                        complaint=complaint,
                        deadline=deadline.key,
                        due=deadline.due,
                        kind=DeadlineNotice.Kind.MISSED,
                        directors_told=False,
                    )
                )
                summary = Phrase(
                    "Termijn verstreken: %(deadline)s (uiterlijk %(due)s).",
                    deadline=label(deadline.kind.notice_label),
                    due=day(deadline.due),
                )
                after = {"deadline": deadline.key, "due": deadline.due.isoformat()}
                events.append((complaint, EventKind.DEADLINE_MISSED, summary, after))
        DeadlineNotice.objects.bulk_create(notices)
        events_record_many(items=events)
    return len(notices)


def overdue_link() -> str:
    """The worklist of the complaints that are late, for the directors' messages."""
    return site_url(reverse("cases:worklist") + "?overdue=on")


@transaction.atomic
def directors_tell_missed() -> int:
    """Tell every director, in one message, of the deadlines marked missed that no director
    was told of yet: how many, the most urgent (the longest overdue) by name, and a link to
    the full list. The message and the "told" marks stand or fall together, so a run that
    stopped halfway is told of by the next. Returns the number of deadlines told of."""
    untold = DeadlineNotice.objects.filter(kind=DeadlineNotice.Kind.MISSED, directors_told=False)
    # Lock them: a run at the same moment waits here and then finds them told.
    locked = list(untold.select_for_update().order_by("pk").values_list("pk", flat=True))
    if not locked:
        return 0
    untold = untold.filter(pk__lte=locked[-1])
    count = len(locked)
    first = list(
        untold.select_related("complaint__handler").order_by("due", "complaint__number", "id")[
            :NOTICE_ITEMS
        ]
    )
    missed = [
        {
            "complaint": notice.complaint,
            "deadline_label": KINDS_BY_KEY[notice.deadline].notice_label,
            "due": notice.due,
        }
        for notice in first
    ]
    complaints = untold.values("complaint").distinct().count()
    for person in directors():
        if person.email:
            tell_user(
                None,
                person,
                "deadlines_overdue",
                overdue_count=complaints,
                missed=missed,
                missed_count=count,
                more=count - len(missed),
                full_list=overdue_link(),
            )
    untold.update(directors_told=True)
    return count


def missed_deadlines_mark(*, today: date) -> tuple[int, int]:
    """Mark each deadline that passed unmet (an event in the complaint's history, once per
    complaint, deadline and due date), in transactions of one batch of complaints each, and
    then tell every director in one message (LSR-7b). A batch that fails is done again one
    complaint at a time, so that one complaint that cannot be marked keeps none of the
    others from it. Returns (marked, errors)."""
    candidates = Q(pk__in=[])
    for kind in KINDS:
        candidates |= (
            kind.watched()
            & Q(**{f"{kind.due_field}__lt": today})
            & Q(_not_noticed(kind, DeadlineNotice.Kind.MISSED))
        )
    marked = errors = 0
    # Each batch is read once, under its lock, by `_missed_mark_batch`.
    for batch in _found_in_batches(_open_matching(candidates)):
        done, failed = batch_or_one_by_one(
            batch,
            lambda part: _missed_mark_batch(part, today),
            what="Marking missed deadlines",
            name=lambda item: item[1],
        )
        marked, errors = marked + done, errors + failed
    directors_tell_missed()
    return marked, errors


def settle_missed_tell_handlers(*, today: date) -> tuple[int, int]:
    """LSR-7b: when the settlement period passed without an extension, and the procedure
    has the handler tell the complainant of the delay (the step `inform_delay`), the handler
    is told to do so, once per complaint and due date (claimed as the notice of the
    deadline "settle:handler"). The directors hear of the missed deadline itself from
    `missed_deadlines_mark`.

    The handlers are taken in groups whose complaints fill a batch (a handler with more
    than a batch alone, a batch of theirs at a time), one transaction per batch, in a
    number of queries that grows with neither the handlers nor the complaints: the claims
    and the history events are written at once, and each handler gets one message (the one
    complaint, or how many, the most overdue by name and a link to their late complaints)
    among the messages inserted at once. A batch that fails is done again one complaint at
    a time. Returns (told, errors)."""
    told = errors = 0
    settle = KINDS_BY_KEY["settle"]
    told_already = Exists(
        DeadlineNotice.objects.filter(
            complaint=OuterRef("pk"),
            deadline=SETTLE_HANDLER,
            due=OuterRef(settle.due_field),
            kind=DeadlineNotice.Kind.MISSED,
        )
    )
    # Only the procedure versions that have the step: a complaint of another is never
    # claimed, and would otherwise be read again by every run.
    step = TRANSITIONS_BY_ACTION["inform_delay"]
    versions = ProcedureVersion.objects.only("pk", "label", "effective_from", "definition")
    candidates = (
        settle.watched()
        & Q(**{f"{settle.due_field}__lt": today}, handler__isnull=False)
        & Q(procedure_version__in=[v.pk for v in versions if FEATURES[step.feature](v)])
        & ~Q(told_already)
    )
    per_handler = (
        Complaint.objects.filter(candidates, state__in=State.open_states())
        .order_by("handler_id")
        .values_list("handler_id")
        .annotate(count=Count("pk"))
    )
    for handler_ids in _handler_groups(per_handler):
        for batch in _in_batches(candidates & Q(handler_id__in=handler_ids)):
            done, failed = batch_or_one_by_one(
                batch,
                lambda part: _settle_missed_tell_batch(part, today),
                what="Telling the handler of a passed settlement",
                name=_number,
                claims=True,
            )
            told, errors = told + done, errors + failed
    return told, errors


def _handler_groups(per_handler, *, size: int = BATCH, people: int = VISIBLE_EACH_PEOPLE):
    """The handler ids of (handler id, complaints) in groups whose complaints fill at most
    one batch, of at most `people` handlers (one question of who may see what); a handler
    with more complaints than a batch is a group alone. Each handler's complaints are in
    one group, so that they get one message for them (a batch of theirs at most)."""
    group: list[int] = []
    total = 0
    for handler_id, count in per_handler:
        if group and (total + count > size or len(group) >= people):
            yield group
            group, total = [], 0
        group.append(handler_id)
        total += count
    if group:
        yield group


# The claim of telling the handler that the settlement period passed (LSR-7b).
SETTLE_HANDLER = "settle:handler"


@transaction.atomic
def _settle_missed_tell_batch(batch: list[Complaint], today: date) -> int:
    """Tell the handlers of a batch of complaints whose settlement passed, in one
    transaction and a number of queries that grows with neither: the claims, the events and
    one message per handler, each written at once. Returns how many complaints."""
    step = TRANSITIONS_BY_ACTION["inform_delay"]
    passed = []
    for complaint in batch:
        if not applies_to(step, complaint):
            continue
        state = deadline_state(complaint, "settle", today)
        if state is not None and state.overdue:
            passed.append((complaint, state.due))
    if not passed:
        return 0
    # One insert; a run at the same moment makes it fail on the unique key, and then
    # this batch is done again one complaint at a time.
    DeadlineNotice.objects.bulk_create(
        DeadlineNotice(
            complaint=complaint, deadline=SETTLE_HANDLER, due=due, kind=DeadlineNotice.Kind.MISSED
        )
        for complaint, due in passed
    )
    events_record_many(
        items=[
            (
                complaint,
                EventKind.HANDLER_TOLD_SETTLE_MISSED,
                Phrase(
                    "%(name)s is gevraagd de klager te informeren over de vertraging.",
                    name=person_name(complaint.handler),
                ),
                {"handler": complaint.handler.display_name, "due": due.isoformat()},
            )
            for complaint, due in passed
        ]
    )
    by_handler: dict[int, list[tuple[Complaint, date]]] = {}
    for complaint, due in passed:
        by_handler.setdefault(complaint.handler_id, []).append((complaint, due))
    messages = []
    for items in by_handler.values():
        handler = items[0][0].handler
        if not (handler.is_active and handler.email):
            continue
        if len(items) == 1:
            complaint, due = items[0]
            messages.append((complaint, handler, "settle_missed", {"due": due}))
            continue
        first = sorted(items, key=lambda item: (item[1], item[0].number))[:NOTICE_ITEMS]
        context = {
            "count": len(items),
            "items": [{"complaint": complaint, "due": due} for complaint, due in first],
            "more": len(items) - len(first),
            "full_list": overdue_link(),
        }
        messages.append((None, handler, "settle_missed_many", context))
    users_tell_many(messages)
    return len(passed)


def _no_agreement_due(today: date) -> Q:
    """Complaints without an approved solution whose procedure version names a deadline that
    starts the no-agreement procedure (LIVP-9), when that deadline has passed."""
    found = Q(pk__in=[])
    for version in ProcedureVersion.objects.only("pk", "label", "effective_from", "definition"):
        key = version.spec.no_agreement_after
        if key:
            due_field = KINDS_BY_KEY[key].due_field
            found |= Q(procedure_version_id=version.pk, **{f"{due_field}__lt": today})
    # A suspended clock stands still (see deadlines.Kind.watched).
    return Q(state__in=NO_AGREEMENT_SOURCES, suspended_since__isnull=True) & found


def no_agreement_start(*, today: date) -> tuple[int, int]:
    """LIVP-9: when the deadline the procedure names has passed without an approved solution,
    the complainant is told in writing of the independent third party. The complaints are
    taken a batch at a time and declared together in one transaction, in a number of
    queries that does not grow with the batch (`no_agreement_declare_many`). A batch that
    fails is done again one complaint at a time, so that one that fails is undone alone and
    the rest of its batch stands. Returns (started, errors)."""
    started = errors = 0
    due = _no_agreement_due(today)
    calendar = work_calendar_get()
    for batch in _found_in_batches(Complaint.objects.filter(due)):
        done, failed = batch_or_one_by_one(
            batch,
            lambda part: _no_agreement_start_batch(
                [pk for pk, _number in part], due, today, calendar
            ),
            what="No-agreement",
            name=lambda item: item[1],
        )
        started, errors = started + done, errors + failed
    return started, errors


@transaction.atomic
def _no_agreement_start_batch(ids: list[int], due: Q, today: date, calendar: WorkCalendar) -> int:
    # Checked again under the lock: another run, or an extension, may have won.
    locked = list(
        Complaint.objects.select_for_update()
        .filter(due, pk__in=ids)
        .only(*DEADLINE_FIELDS)
        .prefetch_related("procedure_version")  # one instance (one parse) per version
        .order_by("pk")
    )
    # A complaint registered late does not go to no agreement before the handler had the
    # chance the procedure gives (see `no_agreement_earliest`).
    earliest = no_agreement_earliest_many(locked, calendar)
    ready = [c for c in locked if earliest[c.pk] is not None and today >= earliest[c.pk]]
    if ready:
        no_agreement_declare_many(complaints=ready, actor=None)
    return len(ready)


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@transaction.atomic
def weekly_digest_send(*, today: date) -> bool:
    """LSR-7a: once per ISO week (the first run in it), every director gets the complaints
    received in the previous week (Monday to Sunday), the number open, the overdue ones and
    the extensions of the settlement period recorded that week. Returns True when this run
    sent it."""
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
    week_start = datetime.combine(period_start, time.min, tzinfo=zone)
    week_end = datetime.combine(monday, time.min, tzinfo=zone)
    received = complaints_received_between(start=week_start, end=week_end)
    extended = extensions_recorded_between(start=week_start, end=week_end)
    overdue = complaints_overdue(today=today)
    # Counts, and the first items by name: the digest stays readable however many there are.
    new_count, overdue_count = received.count(), overdue.count()
    new, overdue_first = list(received[:NOTICE_ITEMS]), list(overdue[:NOTICE_ITEMS])
    open_count = Complaint.objects.filter(state__in=State.open_states()).count()
    extension_count = extended.count()
    extensions = [
        {
            "complaint": extension.complaint,
            "previous_due": extension.previous_due,
            "new_due": extension.new_due,
            "reason": " ".join(extension.reason.split()),  # one line of the list
        }
        for extension in extended[:NOTICE_ITEMS]
    ]
    for person in directors():
        if person.email:
            tell_user(
                None,
                person,
                "weekly_digest",
                period_start=period_start,
                period_end=period_end,
                new=new,
                new_count=new_count,
                new_more=new_count - len(new),
                open_count=open_count,
                overdue=overdue_first,
                overdue_count=overdue_count,
                overdue_more=overdue_count - len(overdue_first),
                extensions=extensions,
                extension_count=extension_count,
                extensions_more=extension_count - len(extensions),
                full_list=overdue_link(),
                worklist=site_url(reverse("cases:worklist")),
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
        report.missed, errors = missed_deadlines_mark(today=today)
        report.errors += errors
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
    sent, errors = progress_update_reminders_send(today=today)  # the complainant is owed word
    report.reminders, report.errors = report.reminders + sent, report.errors + errors
    return report


def run(*, today: date) -> WatchReport:
    """The complaints' part of the periodic run (`klachtroute.operations.periodic`)."""
    return deadlines_watch(today=today)
