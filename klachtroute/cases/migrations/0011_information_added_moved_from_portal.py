# The information a complainant adds to a complaint was part of the portal (portal 0002).
# The complaint app takes over its tables as they are (state only, `db_table` kept, so its
# documents table keeps its name too) and the content type.

import django.db.models.deletion
from django.db import migrations, models


def content_type_move(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if ContentType.objects.filter(app_label='cases', model='informationadded').exists():
        return
    ContentType.objects.filter(app_label='portal', model='informationadded').update(app_label='cases')


def content_type_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if ContentType.objects.filter(app_label='portal', model='informationadded').exists():
        return
    ContentType.objects.filter(app_label='cases', model='informationadded').update(app_label='portal')


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0004_private_link_and_information_moved'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('cases', '0010_merge_awb_steps_and_measures_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='InformationAdded',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(blank=True, verbose_name='toelichting')),
                        ('added_at', models.DateTimeField(verbose_name='toegevoegd op')),
                        ('complaint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='information_added', to='cases.complaint')),
                        ('documents', models.ManyToManyField(blank=True, related_name='+', to='cases.document')),
                    ],
                    options={
                        'verbose_name': 'toegevoegde informatie',
                        'verbose_name_plural': 'toegevoegde informatie',
                        'db_table': 'portal_informationadded',
                        'ordering': ['added_at', 'id'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_move, content_type_back),
    ]
