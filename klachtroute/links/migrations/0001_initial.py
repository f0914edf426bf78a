# Private links were part of the portal (portal 0001). This takes over their table as it is
# (state only, `db_table` kept) and moves the content type, so that every link made before
# the move stays, and every link already sent still opens its page.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_move(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if ContentType.objects.filter(app_label='links', model='privatelink').exists():
        return
    ContentType.objects.filter(app_label='portal', model='privatelink').update(app_label='links')


def content_type_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if ContentType.objects.filter(app_label='portal', model='privatelink').exists():
        return
    ContentType.objects.filter(app_label='links', model='privatelink').update(app_label='portal')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('portal', '0004_private_link_and_information_moved'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('cases', '0010_merge_awb_steps_and_measures_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PrivateLink',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('party', models.CharField(max_length=20, verbose_name='partij')),
                        ('purpose', models.CharField(choices=[('status', 'Status volgen'), ('approve_solution', 'Oplossing fiatteren'), ('respond_findings', 'Reageren op bevindingen'), ('defence', 'Verweer indienen'), ('third_party', 'Bindend advies geven'), ('complaint_copy', 'Afschrift van de klacht inzien')], max_length=30, verbose_name='doel')),
                        ('token_hash', models.CharField(max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('expires_at', models.DateTimeField(verbose_name='verloopt op')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='ingetrokken op')),
                        ('last_used_at', models.DateTimeField(blank=True, null=True)),
                        ('complaint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='cases.complaint')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'privélink',
                        'verbose_name_plural': 'privélinks',
                        'db_table': 'portal_privatelink',
                        'indexes': [models.Index(fields=['complaint', 'party', 'purpose'], name='portal_priv_complai_df2df4_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_move, content_type_back),
    ]
