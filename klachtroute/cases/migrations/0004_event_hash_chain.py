"""Hash chain over each complaint's events; existing events get their hashes here."""

import datetime
import hashlib
import json

from django.db import migrations, models


def _content_hash(event, number) -> str:
    # A frozen copy of cases.models.event_content_hash as it was when this migration was written.
    payload = {
        "complaint": number,
        "at": event.at.astimezone(datetime.UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "kind": event.kind,
        "summary": event.summary,
        "before": event.before,
        "after": event.after,
    }
    canonical = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain_existing_events(apps, schema_editor):
    Complaint = apps.get_model("cases", "Complaint")
    Event = apps.get_model("cases", "Event")
    # One complaint at a time: SQLite does not isolate a running read from writes to the
    # same table on one connection, so nothing is updated while a cursor is open.
    for complaint_id, number in list(Complaint.objects.values_list("id", "number")):
        events = list(Event.objects.filter(complaint_id=complaint_id).order_by("id"))
        previous_chain = ""
        for event in events:
            event.content_hash = _content_hash(event, number)
            event.chain_hash = hashlib.sha256(
                (previous_chain + event.content_hash).encode("ascii")
            ).hexdigest()
            previous_chain = event.chain_hash
        Event.objects.bulk_update(events, ["content_hash", "chain_hash"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_alter_complaint_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="chain_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="event",
            name="content_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="event",
            name="redacted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="geanonimiseerd op"),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
    ]
