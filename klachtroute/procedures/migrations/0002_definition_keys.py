"""Versions stored before the definition named every key get the keys they lack.

A key a version lacks is taken from the shipped preset of the same procedure when there is
one (so that its categories' respondent roles and its inadmissibility grounds are the
preset's), and otherwise set to "not used".
"""

import json
from pathlib import Path

from django.db import migrations

PRESETS = Path(__file__).resolve().parent.parent / "presets"
NOT_USED = {"no_agreement_after": None, "inadmissibility_grounds": []}


def _preset(code):
    path = PRESETS / f"{code}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def fill(apps, schema_editor):
    Version = apps.get_model("procedures", "ProcedureVersion")
    for version in Version.objects.select_related("procedure"):
        definition = dict(version.definition)
        preset = _preset(version.procedure.code)
        for key, empty in NOT_USED.items():
            if key not in definition:
                definition[key] = preset.get(key, empty)
        periods = dict(definition.get("periods", {}))
        periods.setdefault(
            "status_link_valid", preset.get("periods", {}).get("status_link_valid", "365 days")
        )
        definition["periods"] = periods
        roles = {c["code"]: c.get("respondent_role") for c in preset.get("categories", [])}
        definition["categories"] = [
            {**c, "respondent_role": c.get("respondent_role", roles.get(c.get("code")))}
            for c in definition.get("categories", [])
        ]
        if definition != version.definition:
            version.definition = definition
            version.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
