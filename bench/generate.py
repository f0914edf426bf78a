"""A realistic generated archive for the benchmarks: N complaints over five years.

Every shipped procedure (every preset) in turn, 200 trainers, 25 courses, about 10%
open (the most recent), about eight history events per closed complaint, written through
bulk inserts with the real keyed hash chain of `klachtroute.cases.models` (so that
`verify_history` finds every chain sound) and a signed checkpoint at the end. The annual
report's roll-up (one row of facts per complaint) is written per batch as well.

    python bench/generate.py --complaints 20000      # into the database of DATABASE_URL

It refuses a database that already holds complaints (use a database of its own).
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BATCH = 2000
# One complaint in this many gets a long history (LONG_HISTORY more events), so that the
# record page is measured where it has to fold its history.
LONG_EVERY = 2500
LONG_HISTORY = 500
PASSWORD = "bench-wachtwoord-1"  # noqa: S105 (generated test people only)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    # A checkpoint of the benchmark's own, per database: never the installation's.
    database = os.environ.get("DATABASE_URL", "sqlite").rsplit("/", 1)[-1]
    os.environ.setdefault(
        "HISTORY_CHECKPOINT_FILE", str(ROOT / "var" / "bench" / f"history-{database}.json")
    )
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no list of every query in memory


def _people(n_trainers: int):
    from django.contrib.auth.hashers import make_password

    from klachtroute.accounts.models import User

    password = make_password(PASSWORD)
    staff = [
        User(username="bench-secretariaat", first_name="Sanne", is_secretariat=True),
        User(username="bench-directeur", first_name="Dirk", is_director=True),
        User(username="bench-examen", first_name="Eva", is_exam_committee=True),
        User(username="bench-medewerker", first_name="Mo", is_staff_member=True),
    ]
    trainers = [
        User(username=f"bench-trainer-{i:03d}", first_name="Trainer", last_name=f"{i:03d}")
        for i in range(n_trainers)
    ]
    for user in trainers:
        user.is_trainer = True
    for user in staff + trainers:
        user.password = password
        user.email = f"{user.username}@example.org"
    User.objects.bulk_create(staff + trainers)
    return list(User.objects.filter(username__startswith="bench-trainer-").order_by("pk"))


def _courses(n_courses: int, trainers: list, rng: random.Random):
    from klachtroute.organisation.models import Course

    Course.objects.bulk_create([Course(name=f"Opleiding {i:02d}") for i in range(n_courses)])
    courses = list(Course.objects.filter(name__startswith="Opleiding ").order_by("pk"))
    through = Course.trainers.through
    links = []
    for course in courses:
        for trainer in rng.sample(trainers, min(8, len(trainers))):
            links.append(through(course_id=course.pk, user_id=trainer.pk))
    through.objects.bulk_create(links, ignore_conflicts=True)
    return courses


def _procedures():
    from klachtroute.organisation.models import Organisation
    from klachtroute.procedures.models import ProcedureVersion
    from klachtroute.procedures.presets import load_presets
    from klachtroute.procedures.services import procedure_install_preset

    procedures = [procedure_install_preset(code=code) for code in sorted(load_presets())]
    organisation = Organisation.objects.first() or Organisation(name="Benchinstituut")
    organisation.name = organisation.name or "Benchinstituut"
    organisation.email = organisation.email or "info@bench.example"
    organisation.active_procedure = procedures[0]
    organisation.save()
    return [
        ProcedureVersion.objects.filter(procedure=p).order_by("-effective_from").first()
        for p in procedures
    ]


class _Chain:
    """Events of one complaint, hashed as `event_record` hashes them, as plain rows in the
    order of `EVENT_COLUMNS`."""

    def __init__(self, complaint):
        self.complaint = complaint
        self.previous = ""
        self.rows: list[tuple] = []

    def add(self, at, kind, summary, *, actor=None, actor_label="", before=None, after=None):
        from klachtroute.cases.hashing import event_chain_hash, event_content_hash

        before, after = before or {}, after or {}
        label = actor_label or (actor.get_full_name() or actor.username if actor else "Systeem")
        actor_id = actor.pk if actor else None
        content = event_content_hash(
            complaint_number=self.complaint.number,
            at=at,
            actor_id=actor_id,
            actor_label=label,
            kind=kind,
            summary=summary,
            before=before,
            after=after,
        )
        chain = event_chain_hash(previous=self.previous, content_hash=content)
        self.previous = chain
        self.rows.append(
            (
                self.complaint.pk,
                at,
                actor_id,
                label,
                kind,
                summary,
                "",
                "{}",
                json.dumps(before),
                json.dumps(after),
                content,
                chain,
            )
        )


# The columns of an event the generator writes (the rest keep their defaults).
EVENT_COLUMNS = (
    "complaint_id",
    "at",
    "actor_id",
    "actor_label",
    "kind",
    "summary",
    "message",
    "message_args",
    "before",
    "after",
    "content_hash",
    "chain_hash",
)


def _events_insert(rows: list[tuple]) -> None:
    """Append events given as plain rows (`EVENT_COLUMNS`), in the order given so that
    their ids follow it: by COPY on PostgreSQL (a bulk insert builds a model instance and
    an array parameter per value, most of the generator's time), elsewhere by a bulk
    insert."""
    from django.db import connection

    from klachtroute.cases.models import Event

    if connection.vendor == "postgresql":
        _copy(Event._meta.db_table, EVENT_COLUMNS, rows)
        return
    as_json = {"message_args", "before", "after"}
    Event.objects.bulk_create(
        [
            Event(
                **{
                    column: json.loads(value) if column in as_json else value
                    for column, value in zip(EVENT_COLUMNS, row, strict=True)
                }
            )
            for row in rows
        ],
        batch_size=5000,
    )


def _copy(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY plain rows into a PostgreSQL table (table and columns named by the models)."""
    from django.db import connection

    names = ", ".join(f'"{column}"' for column in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _complaints_insert(rows: list) -> None:
    """Insert generated complaints with ids drawn from their sequence first, so that their
    events can name them: by COPY on PostgreSQL, else by a bulk insert."""
    from django.db import connection
    from django.db.models import JSONField

    from klachtroute.cases.models import Complaint

    if connection.vendor != "postgresql":
        Complaint.objects.bulk_create(rows)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('cases_complaint', 'id'))"
            " FROM generate_series(1, %s)",
            [len(rows)],
        )
        for complaint, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            complaint.pk = pk
    fields = [f for f in Complaint._meta.concrete_fields]
    values = []
    for complaint in rows:
        row = []
        for field in fields:
            value = field.pre_save(complaint, True)  # auto_now fields take the time
            if isinstance(field, JSONField):
                value = json.dumps(value)
            row.append(value)
        values.append(tuple(row))
    _copy(Complaint._meta.db_table, tuple(f.column for f in fields), values)


def archive_generate(
    *,
    complaints: int = 100_000,
    years: int = 5,
    open_share: float = 0.10,
    trainers: int = 200,
    courses: int = 25,
    seed: int = 1,
    today: dt.date | None = None,
    say=print,
) -> dict:
    """Build the archive; returns what was made. The database must hold no complaints."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from klachtroute.cases.deadlines import deadlines_compute, next_due
    from klachtroute.cases.history import history_checkpoint
    from klachtroute.cases.models import Complaint, ComplaintCounter, Outcome
    from klachtroute.cases.workflow import State
    from klachtroute.organisation.selectors import work_calendar_get
    from klachtroute.reports.facts import facts_compute

    if Complaint.objects.exists():
        raise SystemExit("This database already holds complaints: use an empty one.")
    # A checkpoint left by an earlier archive in this (now empty) database is void.
    Path(settings.HISTORY_CHECKPOINT_FILE).unlink(missing_ok=True)
    rng = random.Random(seed)
    zone = ZoneInfo(settings.TIME_ZONE)
    today = today or timezone.localdate()
    started = time.monotonic()
    versions = _procedures()
    people = _people(trainers)
    course_rows = _courses(courses, people, rng)
    secretariat_user = type(people[0]).objects.get(username="bench-secretariaat")
    calendar = work_calendar_get()
    categories = {v.pk: [c.code for c in v.spec.categories] for v in versions}
    first_day = today - dt.timedelta(days=365 * years)
    span = (today - first_day).days * 86400
    moments = sorted(
        dt.datetime.combine(first_day, dt.time(8), tzinfo=zone)
        + dt.timedelta(seconds=rng.randrange(span))
        for _ in range(complaints)
    )
    first_open = complaints - round(complaints * open_share)
    counters: dict[int, int] = {}
    due_cache: dict = {}
    closed_outcomes = [Outcome.SOLUTION_APPROVED, Outcome.FINDINGS_ACCEPTED, Outcome.UNFOUNDED]
    open_states = [State.NEW, State.IN_PROGRESS, State.IN_PROGRESS, State.AWAITING_APPROVAL]
    events = 0
    for start in range(0, complaints, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, complaints)):
            received = moments[i]
            year = received.year
            counters[year] = counters.get(year, 0) + 1
            version = versions[i % len(versions)]
            course = rng.choice(course_rows)
            complaint = Complaint(
                number=f"K-{year}-{counters[year]:04d}",
                channel=rng.choice(["web", "web", "email", "post", "phone"]),
                received_at=received,
                procedure_version=version,
                complainant_name=f"Klager {i}",
                complainant_email=f"klager{i}@example.org",
                course=course,
                complaint_date=received.date() - dt.timedelta(days=rng.randrange(30)),
                description="Een gegenereerde klacht over de gang van zaken in de les. " * 3,
                category=rng.choice(categories[version.pk] or [""]),
                registered_by=secretariat_user,
            )
            key = (version.pk, received.astimezone(zone).date())
            if key not in due_cache:
                deadlines_compute(complaint, calendar)
                due_cache[key] = (
                    complaint.acknowledge_due,
                    complaint.first_contact_due,
                    complaint.settle_due,
                )
            (complaint.acknowledge_due, complaint.first_contact_due, complaint.settle_due) = (
                due_cache[key]
            )
            is_open = i >= first_open
            complaint.state = rng.choice(open_states) if is_open else State.SETTLED
            if complaint.state != State.NEW:
                complaint.handler = rng.choice(people)
                complaint.acknowledged_at = received + dt.timedelta(hours=rng.randrange(4, 30))
                complaint.first_contact_at = received + dt.timedelta(days=rng.randrange(1, 6))
                complaint.first_contact_method = "phone"
            if not is_open:
                settled = received + dt.timedelta(days=rng.randrange(8, 40))
                complaint.settled_at = min(settled, timezone.now())
                if rng.random() < 0.05:
                    complaint.state, complaint.outcome = State.WITHDRAWN, Outcome.WITHDRAWN
                else:
                    complaint.outcome = rng.choice(closed_outcomes)
            complaint.next_due = next_due(complaint)
            rows.append(complaint)
        with transaction.atomic():
            _complaints_insert(rows)
            chains = [
                _history(
                    c,
                    secretariat_user,
                    rng,
                    extra=LONG_HISTORY if (start + n) % LONG_EVERY == LONG_EVERY // 2 else 0,
                )
                for n, c in enumerate(rows)
            ]
            batch = [event for chain in chains for event in chain.rows]
            _events_insert(batch)
            events += len(batch)
            # The annual report's roll-up, in bulk as well (what the services queue).
            facts_compute([c.pk for c in rows], calendar=calendar)
        say(f"  {start + len(rows):>9} complaints, {events:>10} events")
    for year, last in counters.items():
        ComplaintCounter.objects.update_or_create(year=year, defaults={"last": last})
    # Statistics of the bulk-loaded tables, as an archive that grew has them: without them
    # PostgreSQL guesses about 140 events per complaint and finds a complaint's last event
    # by scanning every event backwards (70 ms for an old complaint instead of 0.05).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result = history_checkpoint()
    if not result.ok:
        raise SystemExit(f"The generated history does not verify: {result.problems[:3]}")
    made = {
        "complaints": complaints,
        "events": events,
        "open": complaints - first_open,
        "trainers": trainers,
        "courses": courses,
        "seconds": round(time.monotonic() - started, 1),
    }
    say(f"generated: {made}")
    return made


def _history(complaint, secretariat_user, rng: random.Random, *, extra: int = 0) -> _Chain:
    """About eight events for a closed complaint, fewer for an open one; `extra` notes more
    (a long history) from the day after receipt on, ten minutes apart."""
    chain = _Chain(complaint)
    at = complaint.received_at
    chain.add(
        at,
        "registered",
        f"Klacht {complaint.number} geregistreerd.",
        actor=secretariat_user,
        after={"deadlines": {"settle": str(complaint.settle_due)}},
    )
    for n in range(extra):
        chain.add(
            at + dt.timedelta(days=1, minutes=10 * n),
            "note",
            f"Notitie {n + 1}: contact gehad en vastgelegd.",
            actor=secretariat_user,
            after={"note": f"Gesprek {n + 1}"},
        )
    if complaint.acknowledged_at:
        chain.add(complaint.acknowledged_at, "acknowledged", "Ontvangst bevestigd.")
    if complaint.handler_id:
        chain.add(
            at + dt.timedelta(hours=1),
            "handler_assigned",
            f"Behandelaar: {complaint.handler.username}.",
            actor=secretariat_user,
            after={"handler": complaint.handler_id},
        )
    if complaint.first_contact_at:
        chain.add(
            complaint.first_contact_at,
            "first_contact",
            "Eerste contact: telefonisch.",
            actor=complaint.handler,
        )
    if complaint.settled_at:
        for n in range(rng.randrange(2, 4)):
            chain.add(
                complaint.first_contact_at + dt.timedelta(days=n + 1),
                "note",
                "Gesprek gevoerd en vastgelegd.",
                actor=complaint.handler,
            )
        chain.add(
            complaint.settled_at - dt.timedelta(days=1),
            "solution_proposed",
            "Oplossing voorgesteld.",
            actor=complaint.handler,
        )
        chain.add(
            complaint.settled_at,
            "settled",
            f"Afgehandeld: {complaint.get_outcome_display()}.",
            actor=complaint.handler,
            after={"state": complaint.state},
        )
    return chain


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--open-share",
        type=float,
        default=0.10,
        help="the share of the complaints still open (the most recent); default 0.10",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.open_share <= 1:
        parser.error("--open-share is a share between 0 and 1")
    setup_django()
    archive_generate(complaints=args.complaints, seed=args.seed, open_share=args.open_share)


if __name__ == "__main__":
    main()
