"""Measures: the director's overview, updates by the owner, reminders (LIVP-8, LSR-8c)."""

import datetime as dt
from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from klachtroute.cases.actions import ACTIONS, _bind
from klachtroute.cases.models import DeadlineNotice
from klachtroute.cases.services import complaint_register
from klachtroute.cases.workflow import TRANSITIONS_BY_ACTION
from klachtroute.deadlines import working_days_left
from klachtroute.measures.models import Measure
from klachtroute.measures.services import measure_propose, measure_update
from klachtroute.measures.watch import measure_reminders_send
from klachtroute.notifications.models import OutboxMessage
from klachtroute.operations.periodic import periodic_run
from klachtroute.organisation.selectors import work_calendar_get
from klachtroute.testing.factories import complaint_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaints(organisation, course, secretariat):
    return [
        complaint_register(
            **complaint_data(actor=secretariat, course=course, complainant_name=f"Klager {i}")
        )
        for i in (1, 2)
    ]


def measure_make(*, complaints, owner, due_date, status=Measure.Status.AGREED, text="Maatregel"):
    measure = Measure.objects.create(
        description=text, owner=owner, due_date=due_date, status=status
    )
    measure.complaints.set(complaints)
    return measure


def test_lsr_8c_director_overview_marks_overdue_measures(complaints, director, trainers, login):
    today = timezone.localdate()
    measure_make(
        complaints=[complaints[0]],
        owner=trainers[0],
        due_date=today - dt.timedelta(days=3),
        text="Roosters voortaan een week vooraf",
    )
    measure_make(
        complaints=[complaints[1]],
        owner=trainers[1],
        due_date=today - dt.timedelta(days=3),
        status=Measure.Status.DONE,
        text="Lokaal vast reserveren",
    )
    measure_make(
        complaints=[complaints[1]],
        owner=trainers[1],
        due_date=today + dt.timedelta(days=20),
        text="Evaluatieformulier aanpassen",
    )
    response = login(director).get(reverse("measures:overview"))
    assert response.status_code == 200
    page = response.text
    assert "1 maatregel is over de datum" in page
    rows = page.split("<tr")
    late_row = next(r for r in rows if "Roosters voortaan" in r)
    assert 'class="overdue"' in late_row and "over de datum" in late_row
    assert complaints[0].number in late_row
    done_row = next(r for r in rows if "Lokaal vast reserveren" in r)
    assert "overdue" not in done_row  # done measures are never overdue
    assert 'class="overdue"' not in next(r for r in rows if "Evaluatieformulier" in r)

    only_late = login(director).get(reverse("measures:overview"), {"status": "overdue"}).text
    assert "Roosters voortaan" in only_late and "Evaluatieformulier" not in only_late
    only_done = login(director).get(reverse("measures:overview"), {"status": "done"}).text
    assert "Lokaal vast reserveren" in only_done and "Roosters voortaan" not in only_done


def test_lsr_8c_trainer_sees_only_own_measures_without_hidden_complaints(
    complaints, trainers, login
):
    today = timezone.localdate()
    own = measure_make(
        complaints=[complaints[0]], owner=trainers[0], due_date=today, text="Eigen maatregel"
    )
    measure_make(
        complaints=[complaints[1]], owner=trainers[1], due_date=today, text="Andermans maatregel"
    )
    client = login(trainers[0])
    page = client.get(reverse("measures:overview")).text
    assert "Eigen maatregel" in page
    assert "Andermans maatregel" not in page
    assert complaints[0].handler != trainers[0]
    assert complaints[0].number not in page  # not a complaint they may see: no number
    assert "1 klacht" in page
    other = Measure.objects.get(description="Andermans maatregel")
    assert client.get(reverse("measures:update", args=[other.pk])).status_code == 404
    assert client.get(reverse("measures:update", args=[own.pk])).status_code == 200


def test_livp_8_owner_updates_measure_and_each_complaint_records_it(complaints, trainers, login):
    measure = measure_make(complaints=complaints, owner=trainers[0], due_date=timezone.localdate())
    response = login(trainers[0]).post(
        reverse("measures:update", args=[measure.pk]),
        {"status": "done", "evaluation": "Rooster staat nu een week vooraf online."},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == Measure.Status.DONE
    assert measure.evaluation == "Rooster staat nu een week vooraf online."
    for complaint in complaints:
        event = complaint.events.get(kind="measure_updated")
        assert event.actor == trainers[0]
        assert "Uitgevoerd" in event.summary


def test_livp_8_done_without_evaluation_is_refused(complaints, trainers, login):
    measure = measure_make(complaints=complaints, owner=trainers[0], due_date=timezone.localdate())
    response = login(trainers[0]).post(
        reverse("measures:update", args=[measure.pk]), {"status": "done", "evaluation": ""}
    )
    assert response.status_code == 400
    assert 'id="id_evaluation_error"' in response.text
    measure.refresh_from_db()
    assert measure.status == Measure.Status.AGREED
    assert not complaints[0].events.filter(kind="measure_updated").exists()


def test_lsr_8c_someone_else_cannot_update_a_measure(complaints, trainers):
    measure = measure_make(complaints=complaints, owner=trainers[0], due_date=timezone.localdate())
    with pytest.raises(PermissionError):
        measure_update(measure=measure, actor=trainers[1], status="cancelled", evaluation="")


def test_lsr_8c_director_can_update_any_measure(complaints, trainers, director):
    measure = measure_make(complaints=complaints, owner=trainers[0], due_date=timezone.localdate())
    measure_update(measure=measure, actor=director, status="cancelled", evaluation="")
    measure.refresh_from_db()
    assert measure.status == Measure.Status.CANCELLED


def test_lsr_8c_owner_is_reminded_once_before_the_due_date(complaints, trainers):
    today = timezone.localdate()
    calendar = work_calendar_get()
    ahead = complaints[0].procedure_version.spec.reminder_working_days
    far = today + dt.timedelta(days=30)
    due = today
    while working_days_left(today, due, calendar) < ahead:
        due += dt.timedelta(days=1)
    near = measure_make(complaints=complaints, owner=trainers[0], due_date=due, text="Bijna")
    measure_make(complaints=complaints, owner=trainers[0], due_date=far, text="Nog lang niet")
    measure_make(
        complaints=complaints,
        owner=trainers[0],
        due_date=due,
        status=Measure.Status.DONE,
        text="Al klaar",
    )
    before = OutboxMessage.objects.filter(kind="measure_reminder").count()
    assert measure_reminders_send(today) == (1, 0)
    assert measure_reminders_send(today) == (0, 0)  # run twice: nothing twice
    reminders = OutboxMessage.objects.filter(kind="measure_reminder")
    assert reminders.count() == before + 1
    reminder = reminders.get()
    assert reminder.to == trainers[0].email
    assert "Bijna" in reminder.body
    assert reverse("measures:update", args=[near.pk]) in reminder.body
    assert DeadlineNotice.objects.filter(deadline=f"measure:{near.pk}", due=due).count() == 1


def test_lsr_8c_deadline_watcher_sends_measure_reminders(complaints, trainers):

    today = timezone.localdate()
    measure_make(complaints=complaints, owner=trainers[0], due_date=today, text="Vandaag klaar")
    periodic_run(today=today)
    periodic_run(today=today)
    assert OutboxMessage.objects.filter(kind="measure_reminder").count() == 1


def test_measures_link_in_navigation_for_director_only(complaints, director, trainers, login):
    link = reverse("measures:overview")
    assert f'href="{link}"' in login(director).get(reverse("cases:worklist")).text
    assert f'href="{link}"' not in login(trainers[0]).get(reverse("cases:worklist")).text


def test_livp_8_the_propose_measure_action_runs_the_measures_service():
    assert ACTIONS["propose_measure"].service is measure_propose


@pytest.mark.parametrize(
    "service", ["klachtroute.measures.services.no_such_service", "no_such_service"]
)
def test_a_transition_naming_a_service_that_does_not_exist_stops_the_start(service):
    transition = replace(TRANSITIONS_BY_ACTION["propose_measure"], service=service)
    with pytest.raises(ImproperlyConfigured, match="no service"):
        _bind(transition)


def test_lsr_8c_measure_reminders_cost_the_same_queries_for_5_and_25_measures(complaints):
    """Set-based: the measures due for a reminder, each of its own owner (some who may see
    the complaints, some who may not), are claimed and told at once, in a number of queries
    that grows with neither the measures nor the owners; each reminder links the record
    page only for an owner who may see it."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from klachtroute.testing.factories import UserFactory

    today = timezone.localdate()

    def due_today(n: int, start: int) -> list[Measure]:
        owners = [
            UserFactory(username=f"eigenaar{start + i}", is_director=i % 2 == 0) for i in range(n)
        ]
        return [
            measure_make(complaints=complaints, owner=owner, due_date=today, text=f"Maatregel {i}")
            for i, owner in enumerate(owners)
        ]

    def reminder_queries(n: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert measure_reminders_send(today) == (n, 0)
        return len(queries)

    due_today(5, 1)
    with_5 = reminder_queries(5)
    made = due_today(25, 100)
    assert reminder_queries(25) == with_5
    assert measure_reminders_send(today) == (0, 0)  # each once
    record = f"{settings.SITE_URL}/zaken/{complaints[0].number}/"
    for measure in made:
        [reminder] = OutboxMessage.objects.filter(kind="measure_reminder", to=measure.owner.email)
        assert reverse("measures:update", args=[measure.pk]) in reminder.body
        assert f"Naar aanleiding van klacht {complaints[1].number}" in reminder.body
        assert (record in reminder.body) == measure.owner.is_director


def test_lsr_8c_a_measure_reminder_another_run_claimed_meanwhile_leaves_the_rest_reminded_once(
    complaints, trainers, monkeypatch
):
    """A run at the same moment claims one measure of the batch after this run read it:
    the batch's claims fail on the unique key and it is done one measure at a time."""
    from klachtroute.measures import watch

    today = timezone.localdate()
    made = [
        measure_make(complaints=complaints, owner=trainers[i], due_date=today, text=f"M{i}")
        for i in range(3)
    ]
    real = watch._remind_batch

    def claimed_meanwhile(batch, *args):
        if len(batch) > 1:
            DeadlineNotice.objects.create(
                complaint=complaints[0],
                deadline=f"measure:{made[1].pk}",
                due=today,
                kind=DeadlineNotice.Kind.REMINDER,
            )
        return real(batch, *args)

    monkeypatch.setattr(watch, "_remind_batch", claimed_meanwhile)
    assert measure_reminders_send(today) == (2, 0)
    reminded = OutboxMessage.objects.filter(kind="measure_reminder")
    assert sorted(reminded.values_list("to", flat=True)) == sorted(
        [trainers[0].email, trainers[2].email]
    )


def test_lsr_8c_a_measure_reminder_that_fails_keeps_none_of_its_batch_from_theirs(
    complaints, trainers, monkeypatch
):
    from klachtroute.measures import watch

    today = timezone.localdate()
    made = [
        measure_make(complaints=complaints, owner=trainers[i], due_date=today, text=f"M{i}")
        for i in range(3)
    ]
    real = watch.messages_send_many

    def fails_for_the_second(*, items):
        if any(item.context["measure"].pk == made[1].pk for item in items):
            raise RuntimeError("a broken message text")
        return real(items=items)

    monkeypatch.setattr(watch, "messages_send_many", fails_for_the_second)
    assert measure_reminders_send(today) == (2, 1)
    monkeypatch.undo()
    # Its claim was undone with it: the next run reminds of it, once.
    assert measure_reminders_send(today) == (1, 0)
    assert measure_reminders_send(today) == (0, 0)
    reminded = OutboxMessage.objects.filter(kind="measure_reminder")
    assert sorted(reminded.values_list("to", flat=True)) == sorted(t.email for t in trainers[:3])
