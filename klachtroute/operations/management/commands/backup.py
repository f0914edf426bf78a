"""Write the database and every upload to one archive."""

from django.core.management.base import BaseCommand, CommandError

from klachtroute.operations.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write the whole installation (every table except sessions, and every uploaded "
        "file) to one .tar.gz archive with a manifest of row counts and checksums. The "
        "site can keep running meanwhile. Example: "
        "'manage.py backup /backups/klachtroute-$(date +%%F).tar.gz'. Restore it with "
        "'manage.py restore'. The archive holds personal data: store it encrypted."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write, e.g. backup.tar.gz")

    def handle(self, *args, path, **options):
        try:
            summary = backup_write(path=path)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written: {summary}")
