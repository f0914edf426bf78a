"""Versions stored before the steps that Awb chapter 9 brought get those keys, switched off.

The one step that existed already is kept as it was: a procedure that picked a trainer not
teaching the complainant's course keeps excluding the course's trainers.
"""

from django.db import migrations

NOT_USED = {
    "intake_required": [],
    "settled_at_once_confirmed": False,
    "set_aside": None,
    "respondent_copy": False,
    "hearing": None,
    "extension": {"max_count": None, "max_total_weeks": None, "further_needs_consent": False},
    "next_instance": None,
    "yearly_register": False,
}


def fill(apps, schema_editor):
    Version = apps.get_model("procedures", "ProcedureVersion")
    for version in Version.objects.all():
        definition = dict(version.definition)
        for key, empty in NOT_USED.items():
            definition.setdefault(key, empty)
        definition.setdefault(
            "handler_not_course_trainer",
            definition.get("handler_policy") == "trainer_not_teaching_course",
        )
        if definition != version.definition:
            version.definition = definition
            version.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [("procedures", "0002_definition_keys")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
