"""The watcher's reminder that a complainant is owed a progress update.

A procedure may set a progress-update period; when a complaint's update is due (today or
earlier) the handler (or, without one, the secretariat) is reminded once per due date. A
sent update (`progress_update_send`) sets the next due date, so the next reminder follows
the next period.

Only the complaints not yet reminded of their present due date are read, a batch at a
time; a batch is claimed and told in one transaction, in a number of queries that does not
grow with it. A run at the same moment makes the claims fail on their unique key, and the
batch is done again one complaint at a time, giving nothing that was given.
"""

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef

from .batches import batch_or_one_by_one
from .deadlines import progress_update_due_q
from .models import Complaint, DeadlineNotice
from .services.common import secretariat, users_tell_many

NOTICE_KEY = "progress_update"


# Complaints per transaction.
BATCH = 200


def progress_update_reminders_send(*, today: date) -> tuple[int, int]:
    """Remind of every progress update that is due; returns (reminders sent, errors). The
    due complaints not reminded yet are read a batch at a time (keyset), each batch
    committed together; a batch that fails is done again one complaint at a time."""
    sent = errors = 0
    reminded = DeadlineNotice.objects.filter(
        complaint=OuterRef("pk"),
        deadline=NOTICE_KEY,
        due=OuterRef("progress_update_due"),
        kind=DeadlineNotice.Kind.REMINDER,
    )
    due = (
        Complaint.objects.filter(progress_update_due_q(today))
        .exclude(Exists(reminded))
        .select_related("handler", "procedure_version__procedure")
        .order_by("pk")
    )
    last = 0
    while batch := list(due.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        done, failed = batch_or_one_by_one(
            batch, _remind_batch, what="Progress-update reminders", claims=True
        )
        sent, errors = sent + done, errors + failed
    return sent, errors


@transaction.atomic
def _remind_batch(batch: list[Complaint]) -> int:
    """One batch's reminders in one transaction: the claims inserted at once, the
    messages written at once. Returns the number of messages."""
    DeadlineNotice.objects.bulk_create(
        DeadlineNotice(
            complaint=complaint,
            deadline=NOTICE_KEY,
            due=complaint.progress_update_due,
            kind=DeadlineNotice.Kind.REMINDER,
        )
        for complaint in batch
    )
    office: list | None = None  # the secretariat, read once when a complaint needs it
    items = []
    for complaint in batch:
        if complaint.handler_id and complaint.handler.is_active:
            people = [complaint.handler]
        else:
            office = list(secretariat()) if office is None else office
            people = office
        items += [
            (complaint, person, "progress_update_due", {}) for person in people if person.email
        ]
    return len(users_tell_many(items))
