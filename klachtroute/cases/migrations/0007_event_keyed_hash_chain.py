"""The history's hash chain becomes keyed (HMAC with settings.HISTORY_KEY).

Each complaint's existing chain is first checked under the unkeyed scheme of 0004; only
the sound part is re-hashed with the key. An event that was already broken (and the
events after it) keeps its old hashes, so `verify_history` still reports it: tampering
from before the switch is not laundered.
"""

import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations


def _canonical(event, number) -> bytes:
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
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def rekey_chains(apps, schema_editor):
    Complaint = apps.get_model("cases", "Complaint")
    Event = apps.get_model("cases", "Event")
    key = settings.HISTORY_KEY.encode("utf-8")
    for complaint_id, number in list(Complaint.objects.values_list("id", "number")):
        events = list(Event.objects.filter(complaint_id=complaint_id).order_by("id"))
        old_previous = new_previous = ""
        changed = []
        for event in events:
            canonical = _canonical(event, number)
            old_content = hashlib.sha256(canonical).hexdigest()
            if not event.content_hash or (
                event.redacted_at is None and old_content != event.content_hash
            ):
                break
            old_chain = hashlib.sha256((old_previous + event.content_hash).encode()).hexdigest()
            if old_chain != event.chain_hash:
                break
            old_previous = event.chain_hash
            if event.redacted_at is None:
                event.content_hash = hmac.new(key, canonical, hashlib.sha256).hexdigest()
            event.chain_hash = hmac.new(
                key, (new_previous + event.content_hash).encode("ascii"), hashlib.sha256
            ).hexdigest()
            new_previous = event.chain_hash
            changed.append(event)
        Event.objects.bulk_update(changed, ["content_hash", "chain_hash"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_retention"),
    ]

    operations = [
        migrations.RunPython(rekey_chains, migrations.RunPython.noop),
    ]
