"""What the watcher writes for a batch is what it writes for each complaint alone: a batch
moved to no agreement in one update keeps each complaint's own next deadline, and events
recorded together whose summary names something of their complaint name their own."""

import copy
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
from klachtroute.procedures.models import ProcedureVersion
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
    """A summary naming the complaint's category is written in the words of that
    complaint's procedure version, not taken over from another event of the batch with the
    same message and arguments."""
    in_force = ProcedureVersion.objects.get(procedure__organisation=organisation)

    def version_naming(label: str, day: int) -> ProcedureVersion:
        definition = copy.deepcopy(in_force.definition)
        definition["categories"] = [
            {
                "code": "x",
                "route": "director",
                "respondent_role": None,
                "label": {"nl": label, "en": label},
            }
        ]
        return ProcedureVersion.objects.create(
            procedure=in_force.procedure,
            label=label,
            effective_from=dt.date(2020, 1, day),
            definition=definition,
        )

    made = [complaint_register(**complaint_data(course=course, channel="post")) for _ in range(3)]
    versions = [version_naming("Lesinhoud", 1), version_naming("Bejegening", 2), in_force]
    for complaint, version in zip(made, versions, strict=True):
        Complaint.objects.filter(pk=complaint.pk).update(procedure_version=version)
    first, second, third = (Complaint.objects.get(pk=c.pk) for c in made)
    same = Phrase(
        "Ontvankelijk; categorie: %(category)s; doorgeleid naar %(to)s.",
        category=category_name("x"),
        to="Theo",
    )
    events_record_many(
        items=[(c, EventKind.ADMISSIBLE, same, {}) for c in (first, second, third, first)]
    )
    summaries = list(
        Event.objects.filter(kind=EventKind.ADMISSIBLE)
        .order_by("pk")
        .values_list("complaint", "summary")
    )
    assert summaries == [
        (first.pk, "Ontvankelijk; categorie: Lesinhoud; doorgeleid naar Theo."),
        (second.pk, "Ontvankelijk; categorie: Bejegening; doorgeleid naar Theo."),
        (third.pk, "Ontvankelijk; categorie: x; doorgeleid naar Theo."),
        (first.pk, "Ontvankelijk; categorie: Lesinhoud; doorgeleid naar Theo."),
    ]
    assert history_verify_result().ok
