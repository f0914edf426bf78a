"""Stored versions get what their outcome letters need to be complete: a next step for every
outcome letter the shipped preset of the same procedure names (the Awb outcome letter's
Nationale ombudsman), and contact details where the preset now lists them for a next step
the stored version left without (the LSR ruling's kantonrechter). A next step an
administrator wrote is kept. A version without requirement ids gets its preset's, so that
the compliance overview names the article of each rule (only labels)."""

import json
from pathlib import Path

from django.db import migrations

PRESETS = Path(__file__).resolve().parent.parent / "presets"


def fill(apps, schema_editor):
    Version = apps.get_model("procedures", "ProcedureVersion")
    for version in Version.objects.select_related("procedure"):
        path = PRESETS / f"{version.procedure.code}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        preset = data.get("next_steps") or {}
        steps = dict(version.definition.get("next_steps") or {})
        definition = dict(version.definition)
        changed = False
        if not definition.get("requirements") and data.get("requirements"):
            definition["requirements"] = data["requirements"]
            changed = True
        for letter, step in preset.items():
            stored = steps.get(letter)
            if stored is None:
                steps[letter] = step
                changed = True
            elif (
                stored.get("contact") == "none"
                and step.get("contact") == "listed"
                and stored.get("body") == step.get("body")
            ):
                steps[letter] = {**stored, "contact": "listed", "details": step["details"]}
                changed = True
        if changed:
            version.definition = {**definition, "next_steps": steps}
            version.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_no_agreement_handler_period")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
