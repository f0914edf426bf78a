"""The benchmarks: each figure printed with its anchor and the ratio, no assertion on times.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kr_bench python bench/run.py --complaints 20000

Migrates the database, generates the archive (`bench/generate.py`) when it holds no
complaints, then measures in process (Django's test client, the real middleware), in groups:

- `worklist`: the worklist for each role and each filter, its first and last page and the
  next page, by the keyset links the pages give;
- `record`: the record page, also of the longest history and its older events (`?ouder=`);
- `api`: the API list (first page, by state, a deep page by cursor) and detail;
- `report`: the annual report and its exports for one year (read from the roll-up; anchor:
  the raw SQL of the same figures over the complaints), the indicators API, the compliance
  overview, and keeping the roll-up in step (a queue of changed complaints, a rebuild);
- `jobs`: the periodic commands (`verify_history`, `purge_expired`, the watcher's steps
  over the backlog, `watch_deadlines` with nothing due), with their queries and peak
  memory (resident set size; `--trace-memory` for the peak of Python allocations);
- `load`: the public form and the API POST under gunicorn at 10 and 50 concurrent clients,
  against a bare view and a bare one-row write on the same server (`bench/load.py`).

`--only GROUP` (repeatable) measures those groups alone; `--only pages` stands for every
group but `load` and `jobs`. `--skip-jobs` leaves the data unchanged (no load, no jobs).

The anchor of a page is its own SQL: the very statements the page ran, executed again raw
(so the ratio is what the page costs above its queries); the report's pages are anchored to
the raw SQL of `annual_report_compute` instead. The anchor of `verify_history` is one
streamed read of the same events; of the watcher, the overdue deadlines in set-based SQL; of
the purge, its one query of the complaints past retention. Times are medians (and the
slowest) of `--repeat` runs in milliseconds. The periodic commands change the data (they
mark and send), so they run last; generate a fresh database to measure them again.
"""

import argparse
import datetime as dt
import logging
import os
import resource
import statistics
import sys
import time
import tracemalloc
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import archive_generate, setup_django  # noqa: E402

# What can be measured alone (`--only GROUP`); the jobs change the data.
GROUPS = ("worklist", "record", "api", "report", "load", "jobs")


def _max_rss_mib() -> float:
    """The largest resident set of this process since `_peak_rss_reset` (Linux's VmHWM),
    else since it started (`getrusage`, kilobytes on Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_rss_reset() -> None:
    """Start the peak of the resident set again from what is resident now (Linux: writing
    5 to clear_refs), so that each job reports its own peak, not the largest before it."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        pass


def statements_of(fn) -> list[str]:
    """The SQL statements `fn` runs, with their parameters in."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return [q["sql"] for q in captured.captured_queries]


def replay(statements: list[str]):
    """A function that runs the reading statements among these again, raw."""
    from django.db import connection

    def raw():
        with connection.cursor() as cursor:
            for sql in statements:
                if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    cursor.execute(sql)
                    cursor.fetchall()

    return raw


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


class Bench:
    def __init__(self, repeat: int, trace_memory: bool = False):
        self.repeat = repeat
        self.trace_memory = trace_memory
        self.rows: list[tuple] = []

    def _times(self, fn, repeat=None) -> list[float]:
        times = []
        for _ in range(repeat or self.repeat):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return times

    def page(self, name: str, client, url: str, repeat=None, anchor_statements=None) -> None:
        """A page against its own SQL replayed raw, or against `anchor_statements` (the raw
        SQL of the same answer computed another way)."""

        response = client.get(url)  # warm: caches, the token's first use
        if response.status_code != 200:
            print(f"{name:<52} HTTP {response.status_code} {url}")
            return
        statements = statements_of(lambda: client.get(url))
        view = self._times(lambda: client.get(url), repeat)
        anchor = self._times(replay(anchor_statements or statements), repeat)
        self._row(name, view, anchor, f"{len(statements)} queries")

    def job(self, name: str, fn, anchor_fn=None) -> None:
        """A periodic command, timed once (it changes the data), with its number of queries
        and the process's peak memory while it ran (resident set size, from what was
        resident before it): a job whose memory grows with the archive moves the peak. With --trace-memory, the job's own
        peak of Python allocations (tracemalloc, which slows Python down, so its time is
        then not comparable)."""
        from django.db import connection

        count = [0]

        def counting(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        if self.trace_memory:
            tracemalloc.start()
        _peak_rss_reset()
        with connection.execute_wrapper(counting):
            started = time.perf_counter()
            fn()
            took = time.perf_counter() - started
        if self.trace_memory:
            memory = f"traced peak {tracemalloc.get_traced_memory()[1] / 2**20:.1f} MiB"
            tracemalloc.stop()
        else:
            memory = f"peak RSS {_max_rss_mib():.0f} MiB"
        anchor = self._times(anchor_fn, 1) if anchor_fn else []
        self._row(name, [took], anchor, f"{count[0]} queries, {memory}")

    def _row(self, name, view, anchor, extra) -> None:
        median = statistics.median(view)
        slowest = max(view)
        anchor_median = statistics.median(anchor) if anchor else None
        ratio = f"{median / anchor_median:6.1f}x" if anchor_median else "      -"
        anchor_text = f"{_ms(anchor_median):>9}" if anchor_median is not None else "        -"
        print(
            f"{name:<52} {_ms(median):>9} {_ms(slowest):>9} {anchor_text} {ratio}  {extra}",
            flush=True,
        )
        self.rows.append((name, median, slowest, anchor_median, extra))


def _database_create_if_missing(url: str) -> None:
    """`make bench` on a fresh machine: create the benchmark's PostgreSQL database when it is
    not there yet (it is the benchmark's own, never the suite's or an installation's)."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"Creating the database {name} ...", flush=True)
            admin.execute(f'CREATE DATABASE "{name}"')


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Klachtroute benchmarks")
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--skip-jobs", action="store_true", help="leave the data unchanged")
    parser.add_argument(
        "--only",
        action="append",
        choices=(*GROUPS, "pages"),
        metavar="GROUP",
        help=f"measure only this group (again for more): {', '.join(GROUPS)}; pages: all but jobs",
    )
    parser.add_argument(
        "--skip-history-walk",
        action="store_true",
        help="leave `verify_history` out of the jobs (a walk of every event: about two minutes "
        "at a million complaints, and its ratio to one read does not change with the size)",
    )
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="the jobs' peak of Python allocations (tracemalloc; slows them down)",
    )
    args = parser.parse_args(argv)
    _database_create_if_missing(os.environ.get("DATABASE_URL", ""))
    setup_django()
    logging.disable(logging.INFO)  # WeasyPrint's steps, the watcher's progress

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    from klachtroute.accounts.models import User
    from klachtroute.cases.models import Complaint, Event

    if not Complaint.objects.exists():
        print(f"Generating {args.complaints} complaints ...", flush=True)
        archive_generate(complaints=args.complaints)
    total = Complaint.objects.count()
    print(f"\nArchive: {total} complaints, {Event.objects.count()} events, {connection.vendor}")
    print(f"{'what':<52} {'median ms':>9} {'max ms':>9} {'anchor ms':>9} {'ratio':>7}")

    def client_for(username: str) -> Client:
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=username))
        return client

    bench = Bench(args.repeat, trace_memory=args.trace_memory)
    only = set(args.only or GROUPS)
    if "pages" in only:
        only = (only - {"pages"}) | (set(GROUPS) - {"jobs", "load"})
    if only - {"jobs", "load"}:
        _pages(bench, client_for, total, only)
    if args.skip_jobs:
        return
    if "load" in only:
        from bench.load import load

        load()
    if "jobs" in only:
        _jobs(bench, history_walk=not args.skip_history_walk)


def _pages(bench: "Bench", client_for, total: int, only: set[str]) -> None:
    from django.db.models import Count
    from django.test import Client

    from klachtroute.accounts.models import User
    from klachtroute.cases.models import Complaint

    secretariat = client_for("bench-secretariaat")
    director = client_for("bench-directeur")
    busiest = (
        Complaint.objects.filter(handler__isnull=False)
        .values("handler__username")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    trainer = client_for(busiest["handler__username"])
    exam = client_for("bench-examen")
    some = Complaint.objects.filter(handler__isnull=False).order_by("-received_at").first()

    if "worklist" in only:
        # The worklist: each role, each filter, its first and last page (and the next page).
        for label, client, params in [
            ("secretariat", secretariat, ""),
            ("director", director, ""),
            (f"trainer ({busiest['n']} complaints)", trainer, ""),
            ("exam committee", exam, ""),
            ("filter state=in_progress", secretariat, "state=in_progress"),
            ("filter course", secretariat, f"course={some.course_id}"),
            ("filter handler", secretariat, f"handler={some.handler_id}"),
            ("search q=Klager 12", secretariat, "q=Klager+12"),
            ("filter overdue", secretariat, "overdue=on"),
        ]:
            bench.page(f"worklist {label}, first page", client, f"/werk/?{params}")
            bench.page(f"worklist {label}, last page", client, _last(client, params))
        bench.page("worklist secretariat, next page", secretariat, _next(secretariat))

    if "record" in only:
        closed = Complaint.objects.filter(settled_at__isnull=False).order_by("received_at").first()
        bench.page("record page, open complaint", secretariat, f"/zaken/{some.number}/")
        bench.page("record page, closed complaint", secretariat, f"/zaken/{closed.number}/")
        long = _longest_history()
        if long:
            number, events = long
            url = f"/zaken/{number}/"
            bench.page(f"record page, {events} events", secretariat, url)
            bench.page(f"record page, {events} events, older ones", secretariat, _older(url))

    from klachtroute.accounts.models import ApiToken

    _token, raw = ApiToken.objects.create_token(
        user=User.objects.get(username="bench-secretariaat"), name="bench"
    )
    api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {raw}")

    if "api" in only:
        bench.page("API list, first page", api, "/api/v1/complaints")
        bench.page("API list, state=in_progress", api, "/api/v1/complaints?state=in_progress")
        position = min(total - 1, total * 9 // 10)
        bench.page(f"API list, page at complaint {position}", api, _api_deep(position))
        bench.page("API detail", api, f"/api/v1/complaints/{some.number}")
        long = _longest_history()
        if long:
            bench.page(f"API detail, {long[1]} events", api, f"/api/v1/complaints/{long[0]}")

    if "report" in only:
        # The annual report of the last full year, and its exports, read from the roll-up. Their
        # anchor: the raw SQL of the same figures computed over the complaints and their
        # histories (the GROUP BY counts and narrow rows of `annual_report_compute`), replayed.
        from klachtroute.reports.facts import facts_queue, facts_rebuild, facts_refresh_pending
        from klachtroute.reports.selectors import annual_report, annual_report_compute

        year = some.received_at.year - 1
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        period = f"start={year}-01-01&end={year}-12-31"
        computed = statements_of(lambda: annual_report_compute(start=start, end=end))
        bench.job(
            f"annual report {year} computed over complaints",
            lambda: annual_report_compute(start=start, end=end),
            replay(computed),
        )
        for label, url, repeat in [
            ("(HTML)", f"/jaarverslag/?{period}", 3),
            ("CSV", f"/jaarverslag/csv/?{period}", 3),
            ("XLSX", f"/jaarverslag/xlsx/?{period}", 3),
            ("PDF", f"/jaarverslag/pdf/?{period}", 1),
        ]:
            bench.page(f"annual report {year} {label}", director, url, repeat, computed)
        bench.page(
            f"indicators API {year}", api, f"/api/v1/reports/indicators?{period}", 3, computed
        )
        bench.page(f"compliance overview {year}", director, f"/naleving/?{period}", 1)
        # The roll-up kept in step: a report with 1,000 changed complaints of its year queued
        # (it refreshes them first), the periodic job's part, and a rebuild of everything.
        changed = list(
            Complaint.objects.filter(received_at__year=year).values_list("pk", flat=True)[:1000]
        )
        facts_queue(changed)
        bench.job(
            f"annual report {year}, {len(changed)} changed complaints queued",
            lambda: annual_report(start=start, end=end),
            replay(computed),
        )
        facts_queue(changed)
        bench.job(f"facts refresh of {len(changed)} queued (periodic job)", facts_refresh_pending)
        bench.job(f"report_figures_rebuild ({total} complaints)", facts_rebuild)


def _jobs(bench: "Bench", *, history_walk: bool = True) -> None:
    """The periodic commands on the generated archive, in the order cron meets them: the
    history walk and the purge, then the watcher's first run over the backlog (its steps
    one by one), then a sweep with nothing due, and one with nothing queued either."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from klachtroute.cases import watch
    from klachtroute.cases.deadlines import watched_overdue
    from klachtroute.cases.models import Complaint
    from klachtroute.organisation.selectors import work_calendar_get
    from klachtroute.privacy.selectors import complaints_due_for_purge
    from klachtroute.privacy.services import retention_purge_due

    today = timezone.localdate()

    def stream_events():
        """One streamed read of every event with its complaint's number, through a
        server-side cursor in chunks as the walk reads them (a client-side cursor would
        hold every event in memory)."""
        with connection.chunked_cursor() as cursor:
            cursor.execute(
                "SELECT e.*, c.number FROM cases_event e JOIN cases_complaint c"
                " ON c.id = e.complaint_id ORDER BY e.complaint_id, e.id"
            )
            while cursor.fetchmany(10_000):
                pass

    def quiet(*command):
        return lambda: call_command(*command, stdout=StringIO(), stderr=StringIO())

    def open_deadlines_sql():
        """The set-based SQL of the same answer: the open complaints with a passed deadline."""
        list(Complaint.objects.filter(watched_overdue(today)).values_list("pk"))

    def purge_sql():
        """The complaints past their retention period, in one query."""
        list(complaints_due_for_purge(today=today).values_list("pk", "number"))

    print(f"(before the jobs: peak RSS {_max_rss_mib():.0f} MiB)")
    if history_walk:
        bench.job("verify_history", quiet("verify_history"), stream_events)
        bench.job("verify_history, again", quiet("verify_history"), stream_events)
    bench.job("purge_expired --dry-run", quiet("purge_expired", "--dry-run"), purge_sql)
    # The real purge first, so that the watcher's first run measures the deadlines alone.
    bench.job("purge_expired (everything expired)", quiet_ok("purge_expired"), purge_sql)
    bench.job("purge_expired, again (nothing due)", quiet_ok("purge_expired"), purge_sql)
    # A generated archive has nothing past five years yet: purge as the day 60 days from
    # now will, a backlog of about one complaint in thirty.
    later = today + dt.timedelta(days=60)
    bench.job(
        "purge as 60 days later (a backlog)",
        lambda: retention_purge_due(later),
        lambda: list(complaints_due_for_purge(today=later).values_list("pk", "number")),
    )
    # The watcher's steps on the backlog one by one, then the whole command for the rest
    # (the no-agreement procedure, the digest, measures, surveys, the history).
    bench.job(
        "  reminders (backlog)",
        lambda: watch.reminders_send(today=today, calendar=work_calendar_get()),
        open_deadlines_sql,
    )
    bench.job(
        "  missed deadlines marked, directors told (backlog)",
        lambda: watch.missed_deadlines_mark(today=today),
        open_deadlines_sql,
    )
    bench.job(
        "  no agreement started (LIVP-9, backlog)",
        lambda: watch.no_agreement_start(today=today),
        open_deadlines_sql,
    )
    bench.job(
        "  handlers told of a passed settlement (LSR-7b, backlog)",
        lambda: watch.settle_missed_tell_handlers(today=today),
        open_deadlines_sql,
    )
    bench.job(
        "watch_deadlines, first run (the rest of the backlog)",
        quiet_ok("watch_deadlines"),
        open_deadlines_sql,
    )
    bench.job(
        "watch_deadlines, again (nothing due; the roll-up's queue worked off)",
        quiet_ok("watch_deadlines"),
        open_deadlines_sql,
    )
    # The runs above queued every complaint they changed for the roll-up, and each run
    # refreshes a bounded part of the queue; once it is empty, a run has nothing to do.
    from klachtroute.reports.facts import facts_refresh_pending

    facts_refresh_pending()
    bench.job(
        "watch_deadlines, again (nothing due, nothing queued)",
        quiet_ok("watch_deadlines"),
        open_deadlines_sql,
    )


def quiet_ok(*command):
    """A command that may end in CommandError (e.g. items failed): measured all the same."""
    from django.core.management import CommandError, call_command

    def run():
        try:
            call_command(*command, stdout=StringIO(), stderr=StringIO())
        except CommandError as error:
            print(f"  ({command[0]}: {error})")

    return run


def _last(client, params: str) -> str:
    """The worklist's last page: `laatste=1` where it pages by key, the page number (by
    offset, for a version before that) from the same count of what the person sees."""
    from klachtroute.cases.selectors import complaints_worklist

    user = _user_of(client)
    query = dict(p.split("=", 1) for p in params.split("&") if p)
    filters = {
        "state": query.get("state", ""),
        "course_id": int(query["course"]) if "course" in query else None,
        "handler_id": int(query["handler"]) if "handler" in query else None,
        "query": query.get("q", "").replace("+", " "),
        "overdue": "overdue" in query,
    }
    n = complaints_worklist(user=user, **filters).count()
    extra = f"{params}&" if params else ""
    return f"/werk/?{extra}laatste=1&pagina={max(1, -(-n // 25))}"


def _user_of(client):
    from django.contrib.auth import SESSION_KEY

    from klachtroute.accounts.models import User

    return User.objects.get(pk=client.session[SESSION_KEY])


def _next(client) -> str:
    """The second page, as the first page's link gives it (or by number before keys)."""
    import re

    html = client.get("/werk/").content.decode()
    found = re.search(r'rel="next" href="\?([^"]+)"', html)
    return "/werk/?" + found.group(1).replace("&amp;", "&") if found else "/werk/?pagina=2"


def _longest_history() -> tuple[str, int] | None:
    """The complaint with the longest history, and its number of events."""
    from django.db.models import Count

    from klachtroute.cases.models import Event

    row = Event.objects.values("complaint__number").annotate(n=Count("id")).order_by("-n").first()
    return (row["complaint__number"], row["n"]) if row and row["n"] > 50 else None


def _older(url: str) -> str:
    """The record page's older events, as its own link gives it."""
    import re

    client = _secretariat_client()
    found = re.search(r'href="\?(ouder=[^"]+)"', client.get(url).content.decode())
    return f"{url}?{found.group(1)}" if found else url


def _secretariat_client():
    from django.test import Client

    from klachtroute.accounts.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="bench-secretariaat"))
    return client


def _api_deep(position: int) -> str:
    """The page of the API list that starts after the complaint at `position`, by cursor
    when the API pages by cursor, else by offset."""
    from klachtroute.accounts.models import User
    from klachtroute.cases.selectors import complaints_worklist

    user = User.objects.get(username="bench-secretariaat")
    try:
        from klachtroute.api.schemas import cursor_encode
        from klachtroute.cases.selectors import WorklistKey
    except ImportError:
        return f"/api/v1/complaints?offset={position}"
    complaint = complaints_worklist(user=user)[position]
    return f"/api/v1/complaints?cursor={cursor_encode(WorklistKey.of(complaint))}"


if __name__ == "__main__":
    main()
