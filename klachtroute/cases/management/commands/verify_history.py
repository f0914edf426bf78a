"""Verify the keyed hash chain of every complaint's history against the last checkpoint."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from klachtroute.cases.history import CheckpointError, history_checkpoint


class Command(BaseCommand):
    help = (
        "Check that no event in any complaint's history was edited, removed or reordered "
        "in the database, and that no complaint has fewer events than the signed checkpoint "
        "(HISTORY_CHECKPOINT_FILE) holds. Prints 'OK: N events in M complaints', writes a "
        "new checkpoint and exits 0, or names the first broken link of each affected "
        "complaint (number, event id, time, kind, why) and exits 1 without moving the "
        "checkpoint. Run it from cron, e.g. nightly."
    )

    def handle(self, *args, **options):
        try:
            result = history_checkpoint()
        except CheckpointError as exc:
            raise CommandError(f"BROKEN: {exc}") from exc
        if result.ok:
            self.stdout.write(
                f"OK: {result.events} events in {result.complaints} complaints; "
                f"checkpoint written to {settings.HISTORY_CHECKPOINT_FILE}"
            )
            return
        for problem in result.problems:
            self.stderr.write(f"BROKEN: {problem}")
        raise CommandError(
            f"History tampered with in {len(result.problems)} of {result.complaints} "
            f"complaints; first broken link: {result.problems[0]}"
        )
