"""Purge complaints past their retention period (LIVP-10); `--dry-run` only lists them."""

from django.core.management.base import BaseCommand, CommandError

from klachtroute.privacy.services import retention_purge_due


class Command(BaseCommand):
    help = (
        "Remove the personal data, free texts and documents of closed complaints whose "
        "retention period (retention_years of their procedure, 5 by default) has passed and "
        "that are not under legal hold. The anonymous facts stay for the reports. Idempotent; "
        "watch_deadlines runs it too. With --dry-run nothing is changed: the complaints that "
        "would be purged are listed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be purged; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        report = retention_purge_due(dry_run=dry_run)
        for number in report.purged:
            self.stdout.write(f"{'would purge' if dry_run else 'purged'}: {number}")
        self.stdout.write(("dry run, " if dry_run else "") + report.summary())
        if report.errors:
            raise CommandError(f"{report.errors} complaint(s) failed; see the log.")
