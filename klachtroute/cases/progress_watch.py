"""The watcher's reminder that a complainant is owed a progress update.

A procedure may set a progress-update period; when a complaint's update is due (today or
earlier) the handler (or, without one, the secretariat) is reminded once per due date. A
sent update (`progress_update_send`) sets the next due date, so the next reminder follows
the next period.
"""

import logging
from datetime import date

from django.db import IntegrityError, transaction

from .deadlines import progress_update_due_q
from .models import Complaint, DeadlineNotice
from .services.common import secretariat, tell_user

logger = logging.getLogger(__name__)

NOTICE_KEY = "progress_update"


# Complaints per transaction: the batch commits together, each reminder in a savepoint.
BATCH = 50


def progress_update_reminders_send(*, today: date) -> tuple[int, int]:
    """Remind of every progress update that is due; returns (reminders sent, errors). The
    due complaints are read a batch at a time (keyset), each batch committed together."""
    sent = errors = 0
    due = (
        Complaint.objects.filter(progress_update_due_q(today))
        .select_related("handler", "procedure_version__procedure")
        .order_by("pk")
    )
    last = 0
    while batch := list(due.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        with transaction.atomic():
            for complaint in batch:
                try:
                    sent += _remind(complaint)
                except Exception:
                    errors += 1
                    logger.exception("Reminding of the progress update of %s failed", complaint.pk)
    return sent, errors


def _remind(complaint: Complaint) -> int:
    """One complaint's reminder, in a savepoint of its own; the number of messages."""
    sent = 0
    with transaction.atomic():
        try:
            with transaction.atomic():
                DeadlineNotice.objects.create(
                    complaint=complaint,
                    deadline=NOTICE_KEY,
                    due=complaint.progress_update_due,
                    kind=DeadlineNotice.Kind.REMINDER,
                )
        except IntegrityError:
            return 0  # reminded already for this due date
        if complaint.handler_id and complaint.handler.is_active:
            people = [complaint.handler]
        else:
            people = list(secretariat())
        for person in people:
            if person.email:
                tell_user(complaint, person, "progress_update_due")
                sent += 1
    return sent
