# The private link moved to the links app and the information a complainant adds to the
# complaint app, so that the complaint app no longer imports the portal. Only the migration
# state changes here: the tables (`portal_privatelink`, `portal_informationadded` and its
# documents table) stay, and links 0001 and cases 0011 take them over, so that an existing
# database keeps every link (and every link already sent keeps working).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0003_awb_steps'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='PrivateLink'),
                migrations.DeleteModel(name='InformationAdded'),
            ],
            database_operations=[],
        ),
    ]
