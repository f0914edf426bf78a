"""Keeping the complainant informed: a procedure may set a progress-update period; the
worklist shows "update due", the watcher reminds the handler once, a sent update resets it."""

import copy
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from klachtroute.cases.models import Complaint
from klachtroute.cases.services import complaint_assign_handler, complaint_register
from klachtroute.cases.watch import deadlines_watch
from klachtroute.cases.workflow import TransitionError, transition_check
from klachtroute.notifications.models import OutboxMessage
from klachtroute.procedures.models import ProcedureVersion
from klachtroute.testing.factories import complaint_data

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def at(year, month, day, hour=12):
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=AMS), tick=False)


@pytest.fixture
def every_ten_working_days(organisation):
    """The organisation's LIVP version, changed to ask for an update every 10 working days."""
    version = ProcedureVersion.objects.get()
    definition = copy.deepcopy(version.definition)
    definition["periods"]["progress_update"] = "10 working_days"
    version.definition = definition
    version.save()
    return version


@pytest.fixture
def complaint(every_ten_working_days, course, secretariat, trainers):
    with at(2026, 3, 2, 9):  # Monday
        complaint = complaint_register(**complaint_data(received_at=dt.datetime.now(tz=AMS)))
        complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)
    complaint.refresh_from_db()
    return complaint


def worklist_of(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("cases:worklist")).content.decode()


def test_progress_update_is_due_one_period_after_receipt(complaint):
    # Ten working days after Monday 2 March 2026.
    assert complaint.progress_update_due == dt.date(2026, 3, 16)


def test_worklist_shows_update_due_once_the_day_has_come(complaint, trainers, client):
    with at(2026, 3, 13):
        assert "Voortgangsbericht nodig" not in worklist_of(client, trainers[2])
    with at(2026, 3, 16):
        assert "Voortgangsbericht nodig" in worklist_of(client, trainers[2])


def test_watcher_reminds_the_handler_once_per_due_date(complaint, trainers):
    def reminders():
        return OutboxMessage.objects.filter(kind="progress_update_due", to=trainers[2].email)

    with at(2026, 3, 13, 7):
        deadlines_watch()
    assert not reminders().exists()
    with at(2026, 3, 16, 7):
        deadlines_watch()
        deadlines_watch()
    assert reminders().count() == 1
    assert complaint.number in reminders().get().subject


def test_a_sent_update_reaches_the_complainant_resets_the_date_and_is_in_history(
    complaint, trainers, client
):
    client.force_login(trainers[2])
    with at(2026, 3, 16):
        response = client.post(
            reverse("cases:action", args=[complaint.number, "send_progress_update"]),
            {"text": "De trainer is gesproken; volgende week hoort u meer."},
        )
        assert response.status_code == 302
        assert "Voortgangsbericht nodig" not in worklist_of(client, trainers[2])
    complaint.refresh_from_db()
    assert complaint.progress_update_due == dt.date(2026, 3, 30)
    message = OutboxMessage.objects.get(kind="progress_update")
    assert message.to == complaint.complainant_email
    assert "De trainer is gesproken; volgende week hoort u meer." in message.body
    event = complaint.events.get(kind="progress_update_sent")
    assert "De trainer is gesproken" in event.summary
    with at(2026, 3, 30, 7):
        deadlines_watch()
    assert OutboxMessage.objects.filter(kind="progress_update_due").count() == 1


def test_an_empty_update_is_refused_with_a_message(complaint, trainers, client):
    client.force_login(trainers[2])
    with at(2026, 3, 16):
        response = client.post(
            reverse("cases:action", args=[complaint.number, "send_progress_update"]), {"text": ""}
        )
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.content.decode()
    assert not complaint.events.filter(kind="progress_update_sent").exists()


def test_a_procedure_without_the_period_offers_no_progress_update(
    organisation, course, secretariat
):
    with at(2026, 3, 2, 9):
        complaint = complaint_register(**complaint_data(received_at=dt.datetime.now(tz=AMS)))
    assert complaint.progress_update_due is None
    with pytest.raises(TransitionError):
        transition_check(secretariat, Complaint.objects.get(), "send_progress_update")


def test_the_administrator_sets_the_progress_update_period_in_beheer(
    organisation, administrator, client
):
    from klachtroute.procedures.tests.test_admin import _form_data

    version = ProcedureVersion.objects.get()
    client.force_login(administrator)
    response = client.post(
        f"/beheer/procedures/procedureversion/{version.pk}/change/",
        _form_data(version, progress_update_amount="10", progress_update_unit="working_days"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version.refresh_from_db()
    assert version.definition["periods"]["progress_update"] == "10 working_days"
    assert version.spec.period("progress_update") is not None


def test_progress_update_reminders_cost_the_same_queries_for_5_and_25_complaints(
    complaints_bulk, secretariat, trainers
):
    """Set-based: the due progress updates of a batch (some to the handler, the rest to the
    secretariat while there is no handler) are claimed and told at once, each reminder
    linking the record page, in a number of queries that does not grow with the batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from klachtroute.cases.progress_watch import progress_update_reminders_send
    from klachtroute.cases.workflow import State

    today = dt.date(2026, 4, 1)
    handler = trainers[2]

    def due(n: int, start: int) -> list[Complaint]:
        fields = {"state": State.IN_PROGRESS, "progress_update_due": today}
        made = complaints_bulk(2, start=start, handler=handler, **fields)
        return made + complaints_bulk(n - 2, start=start + 2, **fields)

    def reminder_queries(n: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert progress_update_reminders_send(today=today) == (n, 0)
        return len(queries)

    due(5, 1)
    with_5 = reminder_queries(5)
    made = due(25, 100)
    assert reminder_queries(25) == with_5
    assert progress_update_reminders_send(today=today) == (0, 0)  # each once
    reminders = OutboxMessage.objects.filter(kind="progress_update_due", complaint__in=made)
    assert reminders.filter(to=handler.email).count() == 2
    assert reminders.filter(to=secretariat.email).count() == 23
    for message in reminders:
        assert message.complaint.number in message.subject
        assert f"/zaken/{message.complaint.number}/" in message.body


def test_a_progress_reminder_another_run_claimed_meanwhile_is_sent_once_and_the_rest_of_its_batch_too(
    complaints_bulk, trainers, monkeypatch
):
    """A run at the same moment claims one complaint of the batch after this run read it:
    the batch's claims fail on the unique key and it is done one complaint at a time,
    leaving that one to the other run."""
    from klachtroute.cases import progress_watch
    from klachtroute.cases.models import DeadlineNotice
    from klachtroute.cases.workflow import State

    today = dt.date(2026, 4, 1)
    made = complaints_bulk(
        3, handler=trainers[2], state=State.IN_PROGRESS, progress_update_due=today
    )
    real = progress_watch._remind_batch

    def claimed_meanwhile(batch):
        if len(batch) > 1:
            DeadlineNotice.objects.create(
                complaint=made[1], deadline="progress_update", due=today, kind="reminder"
            )
        return real(batch)

    monkeypatch.setattr(progress_watch, "_remind_batch", claimed_meanwhile)
    assert progress_watch.progress_update_reminders_send(today=today) == (2, 0)
    reminded = OutboxMessage.objects.filter(kind="progress_update_due")
    assert sorted(reminded.values_list("complaint", flat=True)) == [made[0].pk, made[2].pk]


def test_a_progress_reminder_that_fails_keeps_none_of_its_batch_from_theirs_and_is_tried_again(
    complaints_bulk, trainers, monkeypatch
):
    from klachtroute.cases import progress_watch
    from klachtroute.cases.workflow import State

    today = dt.date(2026, 4, 1)
    made = complaints_bulk(
        3, handler=trainers[2], state=State.IN_PROGRESS, progress_update_due=today
    )
    real = progress_watch.users_tell_many

    def fails_for_the_second(items):
        if any(complaint.pk == made[1].pk for complaint, *_rest in items):
            raise RuntimeError("a broken message text")
        return real(items)

    monkeypatch.setattr(progress_watch, "users_tell_many", fails_for_the_second)
    assert progress_watch.progress_update_reminders_send(today=today) == (2, 1)
    reminded = OutboxMessage.objects.filter(kind="progress_update_due")
    assert sorted(reminded.values_list("complaint", flat=True)) == [made[0].pk, made[2].pk]
    monkeypatch.undo()
    # Its claim was undone with it: the next run reminds of it, once.
    assert progress_watch.progress_update_reminders_send(today=today) == (1, 0)
    assert reminded.filter(complaint=made[1]).count() == 1
