"""Fetch new mail from the complaint mailbox (IMAP_* settings) into the secretariat's list."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from klachtroute.intake.mail_services import received_mail_store
from klachtroute.intake.mailbox import mailbox_fetch


class Command(BaseCommand):
    help = "Fetch new messages from the complaint mailbox; safe to run again or after a crash."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many messages.")

    def handle(self, *args, limit=None, **options):
        if not settings.IMAP_HOST:
            self.stdout.write("IMAP_HOST is not set: no mailbox to read.")
            return
        report = mailbox_fetch(
            lambda raw, received_at: received_mail_store(raw=raw, received_at=received_at),
            limit=limit,
        )
        self.stdout.write(f"{report.fetched} fetched, {report.new} new.")
        if report.error:
            raise CommandError(f"The mailbox fetch stopped early: {report.error}")
