"""A year of demo history: about a hundred complaints spread over the past twelve months,
taken through the real services and actions at the moments they happened, so that the
history chain, the deadlines and the reports are what they would be.

Every service reads the time from Django's clock, `django.utils.timezone.now()` (DESIGN.md;
`test_the_application_reads_the_time_only_from_djangos_clock` keeps it so). The demo sets
that one clock to the moment of each step (`_clock_at`); it needs no time-travel library at
run time, and the services need no extra argument for the moment.

Each complaint follows a story; steps that would lie in the future are not taken, so the
recent complaints are still open in every stage. A few are late on purpose."""

import datetime as dt
import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from klachtroute.accounts.models import User
from klachtroute.cases.actions import action_perform
from klachtroute.cases.models import Complaint
from klachtroute.cases.services import complaint_register, complaint_withdraw
from klachtroute.cases.workflow import TransitionError
from klachtroute.deadlines.periods import add_working_days
from klachtroute.organisation.models import Course
from klachtroute.organisation.selectors import work_calendar_get
from klachtroute.portal.services import satisfaction_answer, satisfaction_invitations_send

logger = logging.getLogger(__name__)
AMS = ZoneInfo("Europe/Amsterdam")
TEXT = "Een toelichting van voldoende lengte voor de demo."

FIRST_NAMES = [
    "Petra",
    "Karim",
    "Sanne",
    "Youssef",
    "Linda",
    "Mehmet",
    "Joost",
    "Aylin",
    "Ruud",
    "Fatima",
    "Bart",
    "Noor",
    "Hanneke",
    "Sven",
    "Ilse",
    "Dewi",
]
LAST_NAMES = [
    "Willems",
    "El Amrani",
    "de Groot",
    "Yilmaz",
    "Vos",
    "Bos",
    "Hoekstra",
    "Kramer",
    "van Dijk",
    "Mertens",
    "Schouten",
    "Verbeek",
]
SUBJECTS = [
    "De lesdag werd zonder bericht afgelast; ik had er een vrije dag voor opgenomen.",
    "Het lesmateriaal is niet toegestuurd, ondanks twee verzoeken.",
    "De trainer maakte in de groep een kwetsende opmerking over mijn achtergrond.",
    "Mijn praktijkopdracht is na vijf weken nog steeds niet beoordeeld.",
    "De factuur klopt niet: ik betaal twee keer voor dezelfde module.",
    "De toets ging over stof die niet in de lessen is behandeld.",
    "De trainer kwam drie keer te laat en gaf geen uitleg.",
    "Ik kreeg geen antwoord op mijn vraag over vrijstelling.",
]


def _ten_working_days_later(due: dt.date) -> str:
    """A new date for an extension that is a working day (two weeks, holidays skipped)."""
    return add_working_days(due, 10, work_calendar_get()).isoformat()


@contextmanager
def _clock_at(when: dt.datetime) -> Iterator[None]:
    """Django's clock stands still at `when` while one step of a story is taken (the demo
    runs in one thread, in its own management command)."""
    real, moment = timezone.now, when.astimezone(dt.UTC)  # as Django's clock gives it: UTC
    timezone.now = lambda: moment  # type: ignore[assignment]
    try:
        yield
    finally:
        timezone.now = real  # type: ignore[assignment]


def _working_morning(day: dt.date, hour: int = 10) -> dt.datetime:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMS)


class _Story:
    def __init__(self, complaint: Complaint, people: dict, start: dt.datetime, now):
        self.complaint = complaint
        self.people = people
        self.start = start
        self.now = now

    def at(self, days: float) -> dt.datetime | None:
        when = _working_morning((self.start + dt.timedelta(days=days)).date(), 11)
        return when if when < self.now else None

    def act(self, days: float, who: str, action: str, data: dict) -> bool:
        when = self.at(days)
        if when is None:
            return False
        with _clock_at(when):
            self.complaint.refresh_from_db()
            actor = self.complaint.handler if who == "handler" else self.people[who]
            try:
                with transaction.atomic():
                    # The demo's script is the person confirming each step it takes.
                    action_perform(
                        complaint=self.complaint,
                        action=action,
                        actor=actor,
                        data=data,
                        confirmed=True,
                    )
            except (TransitionError, ValidationError) as error:
                logger.info("demo: %s %s skipped: %s", self.complaint.number, action, error)
                return False
        return True

    def call(self, days: float, function, **kwargs) -> bool:
        when = self.at(days)
        if when is None:
            return False
        with _clock_at(when):
            self.complaint.refresh_from_db()
            try:
                with transaction.atomic():
                    function(complaint=self.complaint, **kwargs)
            except (TransitionError, ValidationError) as error:
                logger.info("demo: %s %s skipped: %s", self.complaint.number, function, error)
                return False
        return True

    def satisfaction(self, days: float, rng: random.Random) -> None:
        when = self.at(days)
        if when is None:
            return
        with _clock_at(when):
            satisfaction_invitations_send()
        self.call(
            days + 1,
            satisfaction_answer,
            handling_score=rng.choice([3, 4, 4, 5, 5, 2]),
            informed_on_time=rng.choice(["yes", "yes", "yes", "partly", "no"]),
            taken_seriously_score=rng.choice([3, 4, 5, 5, 4]),
        )


def _livp(story: _Story, kind: str, rng: random.Random) -> None:
    c = story.complaint
    late = kind == "late"
    if kind == "withdrawn":
        story.call(3, complaint_withdraw, party="complainant")
        return
    contact = 1 if kind == "awaiting" else 9 if late else rng.choice([1, 2, 3])
    story.act(
        contact,
        "handler",
        "record_first_contact",
        {
            "method": "phone",
            "contacted_at": (story.at(contact) or story.now).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    story.act(contact + 1, "handler", "set_respondent", {"respondent_type": "organisation"})
    if kind == "extended":
        c.refresh_from_db()
        if c.settle_due:
            story.act(
                contact + 2,
                "handler",
                "extend",
                {
                    "reason": "De trainer is met verlof; het gesprek volgt na terugkomst.",
                    "new_due": _ten_working_days_later(c.settle_due),
                },
            )
    proposed = contact + (1 if kind == "awaiting" else 4)
    story.act(
        proposed,
        "handler",
        "propose_solution",
        {
            "text": "Een inhaaldag en excuses.",
            "reasons": "Twee lessen vielen uit zonder bericht.",
            "remedy_due": _weeks_after(story, proposed),
        },
    )
    if kind == "awaiting":
        return
    if kind in ("binding_advice", "no_appeal"):
        story.act(
            contact + 8,
            "secretariat",
            "reject_solution",
            {"party": "complainant", "reason": "Dit lost mijn probleem niet op."},
        )
        story.act(contact + 10, "handler", "declare_no_agreement", {"reason": TEXT})
        if kind == "no_appeal":
            story.act(contact + 24, "secretariat", "close_without_appeal", {"note": ""})
            return
        story.act(contact + 14, "secretariat", "appeal_to_third_party", {"note": TEXT})
        if story.act(
            contact + 30,
            "secretariat",
            "record_binding_advice",
            {
                "advice": "De klacht is gegrond. Het instituut biedt een kosteloze herhaling aan.",
                "follow_ups": "Kosteloze herhaling aanbieden\nExcuses per brief",
                "remedy_due": _weeks_after(story, contact + 30),
            },
        ):
            # Each point gets an owner and a date first; only a planned point is ticked off.
            c.refresh_from_db()
            ruling = c.rulings.last()
            for follow_up in ruling.follow_ups.all() if ruling else ():
                story.act(
                    contact + 31,
                    "secretariat",
                    "plan_follow_up",
                    {
                        "follow_up": follow_up.pk,
                        "owner": story.people["director"].pk,
                        "due_date": _weeks_after(story, contact + 31),
                    },
                )
            for offset in (40, 45):
                c.refresh_from_db()
                ruling = c.rulings.last()
                follow_up = ruling and ruling.follow_ups.filter(done_at__isnull=True).first()
                if follow_up:
                    story.act(
                        offset, "secretariat", "complete_follow_up", {"follow_up": follow_up.pk}
                    )
        return
    story.act(contact + 7, "secretariat", "approve_solution", {"party": "complainant"})
    story.act(contact + 8, "secretariat", "approve_solution", {"party": "respondent"})
    if kind == "measure":
        story.act(
            contact + 9,
            "secretariat",
            "propose_measure",
            {
                "description": "Lesuitval voortaan uiterlijk twee dagen vooraf melden.",
                "owner": story.people["director"].pk,
                "due_date": ((story.at(contact + 9) or story.now) + dt.timedelta(days=60))
                .date()
                .isoformat(),
            },
        )
    story.satisfaction(contact + 10, rng)


def _lsr(story: _Story, kind: str, rng: random.Random) -> None:
    people = story.people
    if kind == "withdrawn":
        story.call(3, complaint_withdraw, party="complainant")
        return
    if kind == "inadmissible":
        story.act(
            2, "secretariat", "judge_inadmissible", {"ground": "handled_before", "reason": TEXT}
        )
        story.act(6, "handler", "answer_inadmissible", {"answer": TEXT})
        story.act(10, "secretariat", "close_inadmissible", {})
        return
    trainer = people[rng.choice(["trainer.anna", "trainer.bram", "trainer.carla"])]
    category = "exam" if kind == "exam" else "trainer"
    if not story.act(
        2,
        "secretariat",
        "judge_admissible",
        {"category": category, "respondent_type": "person", "respondent": trainer.pk},
    ):
        return
    if kind == "exam":
        story.act(16, "exam", "record_exam_ruling", {"decision": "unfounded", "motivation": TEXT})
        return
    criteria = story.complaint.procedure_version.spec.criteria_for(category)
    late = kind == "late"
    findings = {
        "summary": "De afspraken zijn niet nagekomen; de trainer erkent dat.",
        "proposed_solution": "Een extra begeleidingsgesprek.",
        "remedy_due": _weeks_after(story, 40 if late else 15),
        **{f"criterion_{c.code}": "in_order" for c in criteria},
    }
    if kind == "extended":
        story.complaint.refresh_from_db()
        if story.complaint.settle_due:
            story.act(
                10,
                "handler",
                "extend",
                {
                    "reason": "Een getuige is pas over twee weken bereikbaar.",
                    "new_due": _ten_working_days_later(story.complaint.settle_due),
                },
            )
    if not story.act(40 if late else 15, "handler", "share_findings", findings):
        return
    if kind == "ruling":
        story.act(20, "secretariat", "reject_findings", {"party": "complainant", "reason": TEXT})
        story.act(21, "secretariat", "send_procedure", {"note": ""})
        story.act(24, "secretariat", "escalate_to_director", {"party": "complainant", "note": ""})
        story.act(
            25,
            "director",
            "request_defence",
            {
                "question": TEXT,
                "due": ((story.at(25) or story.now) + dt.timedelta(days=14)).date().isoformat(),
                "due_reason": "De beklaagde is een week afwezig.",
            },
        )
        story.act(32, "secretariat", "submit_defence", {"party": "respondent", "defence": TEXT})
        decision = rng.choice(["founded", "partly_founded", "unfounded"])
        criteria = story.complaint.procedure_version.spec.criteria_for(story.complaint.category)
        # The director judges each criterion; the verdict follows: unfounded when all is
        # in order, otherwise the first criterion (delivery conditions) was not.
        judgements = {
            f"criterion_{c.code}": (
                "not_in_order" if decision != "unfounded" and i == 0 else "in_order"
            )
            for i, c in enumerate(criteria)
        }
        story.act(
            40,
            "director",
            "rule",
            {
                **judgements,
                "decision": decision,
                "motivation": TEXT,
                "remedy": "De organisatie bespreekt de uitspraak met het team.",
                "remedy_due": _weeks_after(story, 40),
            },
        )
        return
    story.act(20, "secretariat", "accept_findings", {"party": "complainant"})
    if kind == "measure":
        story.act(
            21,
            "secretariat",
            "propose_measure",
            {
                "description": "Beoordelingstermijn van praktijkopdrachten bewaken.",
                "owner": people["director"].pk,
                "due_date": ((story.at(21) or story.now) + dt.timedelta(days=45))
                .date()
                .isoformat(),
            },
        )
    story.satisfaction(22, rng)


LIVP_STORIES = [
    "solved",
    "solved",
    "measure",
    "extended",
    "binding_advice",
    "no_appeal",
    "solved",
    "withdrawn",
    "late",
    "solved",
    "phone",
]
LSR_STORIES = [
    "accepted",
    "accepted",
    "measure",
    "ruling",
    "inadmissible",
    "extended",
    "exam",
    "withdrawn",
    "late",
    "accepted",
    "phone",
]


def demo_history_load(*, preset: str, count: int = 100, seed: int = 2026) -> int:
    """Register `count` complaints over the past year and take each through its story."""
    rng = random.Random(seed)
    now = timezone.now()
    people = {u.username: u for u in User.objects.all()}
    people["secretariat"] = people["secretariaat"]
    people["director"] = people["directeur"]
    people["exam"] = people["examencommissie"]
    courses = list(Course.objects.order_by("pk"))
    stories = LSR_STORIES if preset == "lsr" else LIVP_STORIES
    first = now - dt.timedelta(days=365)
    for i in range(count):
        start = _working_morning((first + dt.timedelta(days=i * 363 / count)).date(), 9 + i % 6)
        if start >= now:
            break
        kind = stories[i % len(stories)]
        if preset == "livp" and i == count - 1:
            # The newest complaint waits for the approval of its solution, whatever today's
            # date does to the spacing of the others: received a week ago, proposed since.
            kind = "awaiting"
            start = _working_morning((now - dt.timedelta(days=7)).date(), 9)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        email = name.lower().replace(" ", ".") + "@example.org"
        oral = kind == "phone"
        with _clock_at(start):
            complaint = complaint_register(
                actor=people["secretariat"] if oral else None,
                channel="phone" if oral else "web",
                received_at=timezone.now(),
                complainant_name=name,
                complainant_email=email,
                complainant_phone="0612345678",
                course=rng.choice(courses),
                complaint_date=timezone.localdate() - dt.timedelta(days=rng.randint(1, 20)),
                description=rng.choice(SUBJECTS),
                settled_on_the_spot=oral,
            )
        if oral:
            continue
        story = _Story(complaint, people, start, now)
        if preset == "livp":
            complaint.refresh_from_db()
            if complaint.handler_id is None:
                handler = (
                    people["trainer.daan"]
                    if complaint.course.trainers.filter(username="trainer.anna").exists()
                    else people["trainer.anna"]
                )
                story.act(0.1, "secretariat", "assign_handler", {"handler": handler.pk})
            _livp(story, kind, rng)
        else:
            _lsr(story, kind, rng)
    return Complaint.objects.count()


def _weeks_after(story, days: float) -> str:
    """Two weeks after the step taken `days` into a story: when what it promises is done."""
    return ((story.at(days) or story.now) + dt.timedelta(days=14)).date().isoformat()
