"""Verify the hash chain of every complaint's history."""

from django.core.management.base import BaseCommand, CommandError

from klachtroute.cases.history import history_verify_result


class Command(BaseCommand):
    help = (
        "Check that no event in any complaint's history was edited, removed or reordered "
        "in the database. Prints 'OK: N events in M complaints' and exits 0, or names the "
        "first broken link of each affected complaint (number, event id, time, kind) and "
        "exits 1. Run it from cron, e.g. nightly."
    )

    def handle(self, *args, **options):
        result = history_verify_result()
        if result.ok:
            self.stdout.write(f"OK: {result.events} events in {result.complaints} complaints")
            return
        for problem in result.problems:
            self.stderr.write(f"BROKEN: {problem}")
        raise CommandError(
            f"History tampered with in {len(result.problems)} of {result.complaints} "
            f"complaints; first broken link: {result.problems[0]}"
        )
