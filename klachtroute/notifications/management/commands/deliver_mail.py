"""Deliver the outbox now: safe to run at any time, from cron or a systemd timer."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from klachtroute.notifications.selectors import messages_count_by_status
from klachtroute.notifications.services import message_recover_stuck, messages_deliver_due


class Command(BaseCommand):
    help = (
        "Give messages stuck in 'sending' (a killed worker) back to the queue, then "
        "deliver every pending message that is due. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stuck-minutes",
            type=int,
            default=15,
            help="A message 'sending' for longer than this is sent again (default: 15).",
        )

    def handle(self, *args, stuck_minutes: int, **options):
        recovered = message_recover_stuck(older_than=timedelta(minutes=stuck_minutes))
        report = messages_deliver_due()
        counts = messages_count_by_status()
        if recovered:
            self.stdout.write(f"Recovered from 'sending': {recovered}")
        self.stdout.write(
            f"Sent: {report.sent}; still pending: {counts['pending']}; failed: {counts['failed']}."
        )
        if report.retrying or report.failed:
            self.stdout.write(
                f"This run: {report.retrying} failed attempt(s) will be retried after the "
                f"back-off; {report.failed} message(s) gave up (see /berichten/?status=failed)."
            )
