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


# The number is the prefix of its year and the sequence in at least this many digits.
NUMBER_DIGITS = 4


def _number_prefix(year: int) -> str:
    return f"K-{year}-"


def number_format(year: int, sequence: int) -> str:
    """K-2026-0042: the year and the sequence, at least `NUMBER_DIGITS` digits."""
    return f"{_number_prefix(year)}{sequence:0{NUMBER_DIGITS}d}"


# PostgreSQL does the whole draw in one statement: it adds one to the year's counter, writes
# the number (as `number_format` does, from the same prefix and `NUMBER_DIGITS`; LPAD never
# cuts, so 10000 stays five digits) into the complaint and in place of the placeholder in
# its messages, and gives the number back. No row when the year has no counter.
_DRAW_SQL = """
WITH drawn AS (
    UPDATE {counter} SET "last" = "last" + 1 WHERE "year" = %(year)s
    RETURNING "last"
), numbered AS (
    SELECT %(prefix)s || LPAD("last"::text, GREATEST(%(digits)s, LENGTH("last"::text)), '0')
        AS "number"
    FROM drawn
), complaint AS (
    UPDATE {complaint} SET "number" = numbered."number" FROM numbered
    WHERE {complaint}."id" = %(complaint)s
    RETURNING 1
), messages AS (
    UPDATE {message}
    SET "subject" = REPLACE("subject", %(placeholder)s, numbered."number"),
        "body" = REPLACE("body", %(placeholder)s, numbered."number")
    FROM numbered WHERE {message}."complaint_id" = %(complaint)s
    RETURNING 1
)
SELECT "number" FROM numbered
"""


def _draw_sql() -> str:
    """`_DRAW_SQL` with the models' own table names."""
    quote = connection.ops.quote_name
    return _DRAW_SQL.format(
        counter=quote(ComplaintCounter._meta.db_table),
        complaint=quote(Complaint._meta.db_table),
        message=quote(OutboxMessage._meta.db_table),
    )


def number_placeholder() -> str:
    """A unique stand-in for the number, as long as the column allows (20 characters)."""
    return PLACEHOLDER_MARK + uuid.uuid4().hex[:19]


def _number_take(complaint: Complaint, *, year: int, placeholder: str) -> str | None:
    """Add one to the year's counter and write the number into the complaint and its
    messages; the number, or None when the year has no counter (nothing written)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _draw_sql(),
                {
                    "year": year,
                    "prefix": _number_prefix(year),
                    "digits": NUMBER_DIGITS,
                    "complaint": complaint.pk,
                    "placeholder": placeholder,
                },
            )
            row = cursor.fetchone()
        return row[0] if row else None
    # Elsewhere (SQLite) the same update, then read back inside the transaction: SQLite
    # lets one writer at a time, so no one else can draw in between.
    counter = ComplaintCounter.objects.filter(pk=year)
    if not counter.update(last=F("last") + 1):
        return None
    number = number_format(year, counter.values_list("last", flat=True).get())
    Complaint.objects.filter(pk=complaint.pk).update(number=number)
    OutboxMessage.objects.filter(complaint_id=complaint.pk).update(
        subject=Replace("subject", Value(placeholder), Value(number)),
        body=Replace("body", Value(placeholder), Value(number)),
    )
    return number


def number_draw(complaint: Complaint, *, year: int) -> str:
    """Take the year's next number for `complaint`, registered with a placeholder, and put
    it wherever the placeholder was written. Call last in the registration's transaction:
    from here to the commit every other registration of the year waits."""
    placeholder = complaint.number
    number = _number_take(complaint, year=year, placeholder=placeholder)
    if number is None:
        # The first complaint of the year: two at once create the row once (the second
        # waits for the first and then finds it), and both go on to the update.
        ComplaintCounter.objects.bulk_create([ComplaintCounter(year=year)], ignore_conflicts=True)
        number = _number_take(complaint, year=year, placeholder=placeholder)
        assert number is not None
    complaint.number = number
    held_events_write(complaint, placeholder=placeholder, number=number)
    return number
