"""Writing the rows of the roll-up and the verdicts (facts.py, compliance.py) a batch at
once, as plain tuples.

Django's `bulk_create` builds a model instance per row and prepares every value of it
field by field; for the thousands of rows of a batch that cost more than the SQL. Here
the rows go in one query however many there are: on PostgreSQL one statement with an
array per column (`unnest`), on SQLite one `executemany` of a one-row statement (its loop
runs in C), with dates and times adapted as SQLite keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import F, Lookup


def _adapter(field: models.Field):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return None


def rows_write(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    replace_on: str | None = None,
) -> None:
    """Insert `rows` (tuples of Python values in the order of `columns`, attribute names
    such as `complaint_id`) into the table of `model`. With `replace_on` (a column with a
    unique constraint), a row that exists already is overwritten with the new values."""
    opts = model._meta
    fields = [opts.get_field(column) for column in columns]
    names = [connection.ops.quote_name(field.column) for field in fields]
    postgres = connection.vendor == "postgresql"
    if postgres:
        # One array per column, unnested into rows: one statement however many rows
        # (a row per parameter would meet PostgreSQL's limit of 65,535 parameters).
        values = "SELECT * FROM unnest({})".format(  # noqa: S608 (types from the model)
            ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
        )
    else:
        values = "VALUES ({})".format(", ".join(["%s"] * len(names)))
    sql = "INSERT INTO {} ({}) {}".format(  # noqa: S608 (names from the model, quoted)
        connection.ops.quote_name(opts.db_table), ", ".join(names), values
    )
    if replace_on is not None:
        key = connection.ops.quote_name(opts.get_field(replace_on).column)
        sql += " ON CONFLICT ({}) DO UPDATE SET {}".format(
            key, ", ".join(f"{name} = EXCLUDED.{name}" for name in names if name != key)
        )
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
            return
        adapters = [(i, adapt) for i, field in enumerate(fields) if (adapt := _adapter(field))]
        params = []
        for row in rows:
            row = list(row)
            for i, adapt in adapters:
                row[i] = adapt(row[i])
            params.append(row)
        cursor.executemany(sql, params)


class InBatch(Lookup):
    """`column IN (ids)` for the ids of a batch. On PostgreSQL it is `column = ANY(%s)`
    with the ids as one array parameter: the driver binds its parameters in the client and
    scans the statement for placeholders, which for a thousand of them cost more than the
    query itself (about 14 ms a query)."""

    lookup_name = "in_batch"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = list(self.rhs)
        if not ids:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, ids)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*lhs_params, *ids)


def in_batch(column: str, ids: Iterable[int]) -> InBatch:
    """A filter on `column` (a path as in `F()`) being one of `ids`."""
    return InBatch(F(column), list(ids))
