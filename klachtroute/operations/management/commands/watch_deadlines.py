"""Watch the deadlines: reminders, missed deadlines, LIVP-9 no agreement, the weekly digest."""

from django.core.management.base import BaseCommand, CommandError

from klachtroute.cases.history import CheckpointError, history_check_due, history_checkpoint
from klachtroute.operations.periodic import periodic_run


class Command(BaseCommand):
    help = (
        "Remind handlers, the secretariat and respondents of deadlines that are near; mark "
        "missed deadlines and tell the directors; start the no-agreement procedure when a "
        "LIVP settlement period passed without an approved solution; send the directors' "
        "weekly digest once per week. Idempotent and safe to run at the same time: nothing "
        "is sent twice. Run it every few minutes, e.g. from cron: "
        "'*/5 * * * * cd /srv/klachtroute && .venv/bin/python manage.py watch_deadlines' "
        "(or from a systemd timer). Afterwards, when the last checkpoint is older than "
        "HISTORY_VERIFY_EVERY_MINUTES (60), it verifies the history and writes the signed "
        "checkpoint of every complaint's event count and chain head (as verify_history). "
        "It also purges complaints past their retention period, reminds owners of measures "
        "and invites complainants to the satisfaction survey."
    )

    def handle(self, *args, **options):
        report = periodic_run()
        self.stdout.write(report.summary())
        try:
            if not history_check_due():
                history = None
            else:
                history = history_checkpoint()
        except CheckpointError as exc:
            raise CommandError(f"History checkpoint: {exc}") from exc
        problems = history.problems if history else []
        for problem in problems:
            self.stderr.write(f"BROKEN: {problem}")
        if problems:
            raise CommandError(
                f"History tampered with in {len(problems)} complaints; "
                "the checkpoint was not moved. Run verify_history."
            )
        if report.errors:
            # A non-zero exit makes cron report it; the rest of the run has been done.
            raise CommandError(f"{report.errors} item(s) failed; see the log.")
