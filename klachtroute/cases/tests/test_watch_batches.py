"""What the watcher writes for a batch is what it writes for each complaint alone: a batch
moved to no agreement in one update keeps each complaint's own next deadline, and events
recorded together whose summary names something of their complaint name their own."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from klachtroute.cases.events import events_record_many
from klachtroute.cases.history import history_verify_result
from klachtroute.cases.models import Complaint, Event
from klachtroute.cases.phrases import Phrase, category_name
from klachtroute.cases.services import complaint_register, first_contact_record
from klachtroute.cases.watch import no_agreement_start
from klachtroute.cases.workflow import EventKind, State
from klachtroute.testing.factories import complaint_data

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def _settlement_running(n: int, *, course) -> list[Complaint]:
    """`n` LIVP complaints received Monday 2 March 2026, first contact two days later."""
    received = dt.datetime(2026, 3, 2, 10, tzinfo=AMS)
    made = []
    for _ in range(n):
        with time_machine.travel(received, tick=False):
            complaint = complaint_register(**complaint_data(course=course))
        contacted = received + dt.timedelta(days=2)
        with time_machine.travel(contacted, tick=False):
            made.append(
                first_contact_record(
                    complaint=complaint,
                    actor=complaint.handler,
                    method="phone",
                    contacted_at=contacted,
                )
            )
    return made


def test_livp_9_a_batch_keeps_each_complaints_own_next_deadline(organisation, course, trainers):
    """The batch's new state is one update; the next deadline still to be met after it (here
    an acknowledgement still owed, on a different day for each) is each complaint's own."""
    made = _settlement_running(4, course=course)
    owed = {
        made[0].pk: dt.date(2026, 4, 3),
        made[1].pk: dt.date(2026, 4, 9),
        made[2].pk: dt.date(2026, 4, 3),
    }
    for pk, due in owed.items():
        Complaint.objects.filter(pk=pk).update(acknowledged_at=None, acknowledge_due=due)
    with time_machine.travel(dt.datetime(2026, 3, 31, 8, tzinfo=AMS), tick=False):
        assert no_agreement_start(today=dt.date(2026, 3, 31)) == (4, 0)
    after = dict(Complaint.objects.filter(pk__in=[c.pk for c in made]).values_list("pk", "state"))
    assert set(after.values()) == {State.NO_AGREEMENT}
    next_due = dict(
        Complaint.objects.filter(pk__in=[c.pk for c in made]).values_list("pk", "next_due")
    )
    assert next_due == {**owed, made[3].pk: None}
    assert history_verify_result().ok


def test_events_recorded_together_name_each_complaints_own_category(organisation, course):
    """A summary naming the complaint's category is written for each complaint, not taken
    over from another event of the batch with the same message and arguments."""

    class Labels:
        def __init__(self, text: str) -> None:
            self.text = text

        def category_label(self, code: str, language: str) -> str:
            return self.text

    first, second = (
        complaint_register(**complaint_data(course=course, channel="post")) for _ in range(2)
    )
    first, second = (Complaint.objects.get(pk=c.pk) for c in (first, second))
    # Each complaint's own procedure version, as if their definitions named it differently.
    first.procedure_version.spec = Labels("Lesinhoud")
    second.procedure_version.spec = Labels("Bejegening")
    same = Phrase("Ontvankelijk; categorie: %(category)s.", category=category_name("x"))
    events_record_many(
        items=[
            (first, EventKind.ADMISSIBLE, same, {}),
            (second, EventKind.ADMISSIBLE, same, {}),
        ]
    )
    summaries = dict(
        Event.objects.filter(kind=EventKind.ADMISSIBLE).values_list("complaint", "summary")
    )
    assert summaries == {
        first.pk: "Ontvankelijk; categorie: Lesinhoud.",
        second.pk: "Ontvankelijk; categorie: Bejegening.",
    }
    assert history_verify_result().ok
