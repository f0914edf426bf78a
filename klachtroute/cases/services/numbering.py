"""The complaint number (K-2026-0042): gap-free and unique per year, drawn last.

The yearly counter is one row that every registration of the year updates; its lock is held
until the registration commits. So a registration draws its number at the very end: until
then the complaint carries a placeholder that is unique on its own (`number_placeholder`)
and its history is held in memory (`events.history_held`); `number_draw` replaces the
placeholder in the complaint and the messages the registration wrote, and writes the
history with the number, hashed and chained, just before the commit. A registration that fails rolls the counter back with everything else: no gaps.
"""

import uuid

from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Replace

from klachtroute.notifications.models import OutboxMessage

from ..events import held_events_write
from ..models import Complaint, ComplaintCounter

# Never shown to anyone: it lives only inside the registration's transaction.
PLACEHOLDER_MARK = "~"

# PostgreSQL adds one and gives the new value back in one statement.
_COUNTER_NEXT_SQL = (
    'UPDATE "cases_complaintcounter" SET "last" = "last" + 1 WHERE "year" = %s RETURNING "last"'
)


def number_placeholder() -> str:
    """A unique stand-in for the number, as long as the column allows (20 characters)."""
    return PLACEHOLDER_MARK + uuid.uuid4().hex[:19]


def _counter_next(year: int) -> int | None:
    """Add one to the year's counter and return it (None when the year has no counter)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_COUNTER_NEXT_SQL, [year])
            row = cursor.fetchone()
        return row[0] if row else None
    # Elsewhere (SQLite) the same update, then read back inside the transaction: SQLite
    # lets one writer at a time, so no one else can draw in between.
    counter = ComplaintCounter.objects.filter(pk=year)
    if not counter.update(last=F("last") + 1):
        return None
    return counter.values_list("last", flat=True).get()


def number_draw(complaint: Complaint, *, year: int) -> str:
    """Take the year's next number for `complaint`, registered with a placeholder, and put
    it wherever the placeholder was written. Call last in the registration's transaction:
    from here to the commit every other registration of the year waits."""
    placeholder = complaint.number
    sequence = _counter_next(year)
    if sequence is None:
        # The first complaint of the year: two at once create the row once (the second
        # waits for the first and then finds it), and both go on to the update.
        ComplaintCounter.objects.bulk_create([ComplaintCounter(year=year)], ignore_conflicts=True)
        sequence = _counter_next(year)
        assert sequence is not None
    number = f"K-{year}-{sequence:04d}"
    Complaint.objects.filter(pk=complaint.pk).update(number=number)
    complaint.number = number
    held_events_write(complaint, placeholder=placeholder, number=number)
    OutboxMessage.objects.filter(complaint_id=complaint.pk).update(
        subject=Replace("subject", Value(placeholder), Value(number)),
        body=Replace("body", Value(placeholder), Value(number)),
    )
    return number
