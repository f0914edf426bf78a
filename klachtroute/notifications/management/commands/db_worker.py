"""django-tasks-db's worker, which first takes back the mail of workers that died, and runs
the installed apps' scheduled jobs (such as fetching the complaint mailbox) beside its queue.

It replaces `db_worker` of django_tasks_db (this app comes first in INSTALLED_APPS) and
takes the same options. With `--batch` each scheduled job runs once, before the queue.
"""

import os
import threading

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from klachtroute.notifications.schedule import job_run_once, worker_jobs, worker_jobs_start
from klachtroute.notifications.services import messages_recover_and_enqueue


class Command(DBWorkerCommand):
    help = (
        DBWorkerCommand.help
        + " Before it starts, mail left 'sending' by a worker of this host that died is "
        "given back to the queue and delivered. Scheduled jobs (the complaint mailbox every "
        "MAIL_FETCH_INTERVAL seconds) run beside the queue; with --batch, once."
    )

    def handle(self, *args, **options):
        recovered = messages_recover_and_enqueue()
        if recovered:
            self.stdout.write(f"Recovered from a worker that died: {recovered} message(s)")
        jobs = worker_jobs()
        if options.get("batch"):
            for job in jobs:
                job_run_once(job)
        elif not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            # With --reload the jobs run in the reloaded child process only.
            worker_jobs_start(jobs, stop=threading.Event())
            for job in jobs:
                self.stdout.write(f"Every {job.every:g} s: {job.name}")
        return super().handle(*args, **options)
