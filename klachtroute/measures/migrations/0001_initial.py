# Measures were part of the complaint app (cases 0002). This takes over their tables as
# they are (state only, `db_table` kept) and moves the content type, so that the admin's
# history and permissions of measures stay attached.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_move(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if ContentType.objects.filter(app_label='measures', model='measure').exists():
        return
    ContentType.objects.filter(app_label='cases', model='measure').update(app_label='measures')


def content_type_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if ContentType.objects.filter(app_label='cases', model='measure').exists():
        return
    ContentType.objects.filter(app_label='measures', model='measure').update(app_label='cases')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0009_measure_moved_to_measures_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Measure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('description', models.TextField(verbose_name='maatregel')),
                        ('due_date', models.DateField(db_index=True, verbose_name='uiterlijk klaar')),
                        ('status', models.CharField(choices=[('proposed', 'Voorgesteld'), ('agreed', 'Afgesproken'), ('done', 'Uitgevoerd'), ('cancelled', 'Vervallen')], default='proposed', max_length=20, verbose_name='status')),
                        ('evaluation', models.TextField(blank=True, verbose_name='evaluatie')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('complaints', models.ManyToManyField(related_name='measures', to='cases.complaint', verbose_name='klachten')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='measures_owned', to=settings.AUTH_USER_MODEL, verbose_name='eigenaar')),
                        ('proposed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'maatregel',
                        'verbose_name_plural': 'maatregelen',
                        'db_table': 'cases_measure',
                        'ordering': ['due_date', 'id'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_move, content_type_back),
    ]
