# The Measure model moved to the measures app. Only the migration state changes here: its
# tables (`cases_measure`, `cases_measure_complaints`) stay, and measures 0001 takes them
# over, so that an existing database keeps every measure.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0009_awb_steps'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Measure')],
            database_operations=[],
        ),
    ]
