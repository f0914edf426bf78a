"""Versions stored before the definition named the handler's chance before the no-agreement
procedure get it: the shipped preset's value for the same procedure, else four weeks where
the version starts a no-agreement procedure and "not used" where it does not."""

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
        if KEY in definition:
            continue
        starts = bool(definition.get("no_agreement_after"))
        value = _preset(version.procedure.code).get(KEY) if starts else None
        definition[KEY] = (value or "4 weeks") if starts else None
        version.definition = definition
        version.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [("procedures", "0002_definition_keys")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
