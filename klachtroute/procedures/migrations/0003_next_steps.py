"""Versions stored before the definition named the next step of each outcome letter get
the next steps of the shipped preset of the same procedure (none when there is no preset)."""

import json
from pathlib import Path

from django.db import migrations

PRESETS = Path(__file__).resolve().parent.parent / "presets"


def fill(apps, schema_editor):
    Version = apps.get_model("procedures", "ProcedureVersion")
    for version in Version.objects.select_related("procedure"):
        if "next_steps" in version.definition:
            continue
        path = PRESETS / f"{version.procedure.code}.json"
        if not path.exists():
            continue
        preset = json.loads(path.read_text(encoding="utf-8"))
        if "next_steps" in preset:
            version.definition = {**version.definition, "next_steps": preset["next_steps"]}
            version.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_definition_awb_steps")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
