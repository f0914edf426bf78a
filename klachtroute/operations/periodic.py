"""The periodic run (`manage.py watch_deadlines`): each app's own entry point, in turn.

This app sits above the others, so that none of them imports another only to be run from
cron. What each part does, and why running it twice sends nothing twice, is said where it
is written.
"""

from datetime import date

from django.utils import timezone

from klachtroute.cases import watch as complaints_watch
from klachtroute.measures import watch as measures_watch
from klachtroute.portal.services import satisfaction_invitations_send
from klachtroute.privacy import watch as privacy_watch
from klachtroute.reports.facts import facts_refresh_pending


def periodic_run(*, today: date | None = None) -> complaints_watch.WatchReport:
    """One periodic run. Safe to run at any time; one part failing does not stop the rest."""
    today = today or timezone.localdate()
    report = complaints_watch.run(today=today)
    report.errors += privacy_watch.run(today=today)  # LIVP-10: purge expired complaints
    sent, errors = measures_watch.run(today)  # owners of measures (LIVP-8, LSR-8c)
    report.reminders, report.errors = report.reminders + sent, report.errors + errors
    satisfaction_invitations_send(today)  # survey invitation, once per complaint
    facts_refresh_pending(limit=20_000)  # the annual report's roll-up (bounded per run)
    return report
