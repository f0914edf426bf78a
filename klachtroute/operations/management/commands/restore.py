"""Restore an archive written by `manage.py backup` into an empty installation."""

from django.core.management.base import BaseCommand, CommandError

from klachtroute.operations.backup import BackupError, restore_read


class Command(BaseCommand):
    help = (
        "Restore a backup written by 'manage.py backup' into a new, empty installation: "
        "create the database, run 'manage.py migrate', point MEDIA_ROOT at an empty "
        "folder, then 'manage.py restore /backups/klachtroute-2026-01-31.tar.gz'. Refuses "
        "an installation that already has complaints or users, and a damaged archive. "
        "Works across SQLite and PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by 'manage.py backup'")

    def handle(self, *args, path, **options):
        try:
            summary = restore_read(path=path)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        for warning in summary.warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(f"Restore done: {summary}")
