"""Versions stored before the definition named the handler's chance before the no-agreement
procedure get it: the shipped preset's value for the same procedure, else four weeks where
the version starts a no-agreement procedure and "not used" where it does not. They get the
preset's hints per step (none for a procedure without a preset)."""

import json
from pathlib import Path

from django.db import migrations

PRESETS = Path(__file__).resolve().parent.parent / "presets"
KEY = "no_agreement_handler_period"


def _preset(code):
    path = PRESETS / f"{code}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def fill(apps, schema_editor):
    Version = apps.get_model("procedures", "ProcedureVersion")
    for version in Version.objects.select_related("procedure"):
        definition = dict(version.definition)
        preset = _preset(version.procedure.code)
        if KEY not in definition:
            starts = bool(definition.get("no_agreement_after"))
            value = preset.get(KEY) if starts else None
            definition[KEY] = (value or "4 weeks") if starts else None
        definition.setdefault("hints", preset.get("hints", {}))
        if definition != version.definition:
            version.definition = definition
            version.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_next_steps")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
