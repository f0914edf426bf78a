"""Fetch new mail from the complaint mailbox (IMAP_* settings) into the secretariat's list."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from klachtroute.intake.mail_services import mailbox_fetch_run


class Command(BaseCommand):
    help = (
        "Fetch new messages from the complaint mailbox; safe to run again or after a crash. "
        "The worker does this every MAIL_FETCH_INTERVAL seconds; a run while another fetch "
        "holds the mailbox does nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many messages.")

    def handle(self, *args, limit=None, **options):
        if not settings.IMAP_HOST:
            self.stdout.write("IMAP_HOST is not set: no mailbox to read.")
            return
        report = mailbox_fetch_run(limit=limit)
        if report is None:
            self.stdout.write("Another fetch of the mailbox is running: nothing to do.")
            return
        self.stdout.write(f"{report.fetched} fetched, {report.new} new.")
        if report.error:
            raise CommandError(f"The mailbox fetch stopped early: {report.error}")
