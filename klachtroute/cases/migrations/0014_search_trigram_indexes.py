"""The worklist's search (`LIKE '%…%'` on the number and the complainant's name, in
`complaints_worklist`) reads trigram indexes on PostgreSQL instead of scanning every
complaint. Django writes `icontains` as `UPPER(column::text) LIKE UPPER(…)`, so the indexes
are on that expression. pg_trgm is a trusted extension (PostgreSQL 13 and later): the
database's owner may create it. Where it cannot be created, the migration says so and the
search keeps working without the indexes. SQLite has no such indexes; nothing is done."""

from django.db import migrations, transaction

INDEXES = {
    "complaint_name_trgm": "complainant_name",
    "complaint_number_trgm": "number",
}


def indexes_create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # noqa: BLE001 - not allowed here: search works without
        print(f"\n  pg_trgm not created ({error}); the worklist's search scans the complaints.")
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON cases_complaint "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_worklist_and_history_indexes"),
    ]

    operations = [migrations.RunPython(indexes_create, indexes_drop)]
