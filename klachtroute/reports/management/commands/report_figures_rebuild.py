"""Compute the annual report's roll-up of every complaint again."""

from django.core.management.base import BaseCommand

from klachtroute.reports.facts import facts_rebuild


class Command(BaseCommand):
    help = (
        "Compute the facts the annual report reads (one row per complaint) for every "
        "complaint again, in batches of 1,000, each in a transaction of its own. Not needed "
        "in normal use: every change queues its complaint and watch_deadlines works the "
        "queue off; run it after loading data around the services (a restore, an import)."
    )

    def handle(self, *args, **options):
        total = facts_rebuild(
            say=lambda n: self.stdout.write(f"  {n} complaints") if n % 50000 == 0 else None
        )
        self.stdout.write(f"The report's facts of {total} complaints computed again.")
