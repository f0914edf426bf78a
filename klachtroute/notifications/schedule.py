"""Jobs that the worker (`manage.py db_worker`) runs on a schedule beside its task queue.

An installed app asks for one by giving its AppConfig a `worker_jobs()` method that returns
`WorkerJob`s (the intake app: fetch the complaint mailbox every MAIL_FETCH_INTERVAL
seconds). The worker runs each in a thread of its own: a slow job never holds up the mail
queue. A job must be safe to run from several workers at once (it decides itself whether
its turn has come; see `mailbox_fetch_run`), because the worker may run on many machines.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.apps import apps
from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerJob:
    name: str
    every: float  # seconds between two runs of this worker
    run: Callable[[], object]


class Stop(Protocol):
    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


def worker_jobs() -> list[WorkerJob]:
    """The scheduled jobs of every installed app, in the order of INSTALLED_APPS."""
    jobs: list[WorkerJob] = []
    for config in apps.get_app_configs():
        provide = getattr(config, "worker_jobs", None)
        if provide is not None:
            jobs += provide()
    return jobs


def _connections_refreshed() -> None:
    # As the worker does between tasks: a dropped or expired connection is replaced
    # (never one inside a transaction, which is not ours to end).
    if not connection.in_atomic_block:
        close_old_connections()


def job_run_once(job: WorkerJob) -> None:
    """One run; a failure is logged, never raised, so that the schedule goes on."""
    _connections_refreshed()
    try:
        job.run()
    except Exception:  # noqa: BLE001 - the next run tries again; the log says why
        logger.exception("Scheduled job %s failed", job.name)
    finally:
        _connections_refreshed()


def job_repeat(job: WorkerJob, *, stop: Stop) -> None:
    """Run `job`, then again every `job.every` seconds, until `stop` is set."""
    while not stop.is_set():
        job_run_once(job)
        stop.wait(job.every)


def _job_thread(job: WorkerJob, stop: threading.Event) -> None:
    try:
        job_repeat(job, stop=stop)
    finally:
        connection.close()  # this thread's own connection


def worker_jobs_start(jobs: list[WorkerJob], *, stop: threading.Event) -> list[threading.Thread]:
    """Each job repeating in a daemon thread: it ends with the worker process."""
    threads = []
    for job in jobs:
        thread = threading.Thread(target=_job_thread, args=(job, stop), name=job.name, daemon=True)
        thread.start()
        threads.append(thread)
    return threads
