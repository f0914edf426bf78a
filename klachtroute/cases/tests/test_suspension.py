"""Suspending the settlement clock while the organisation waits for the complainant: a
reason is required and reaches the complainant; nothing is overdue meanwhile; resuming
moves the deadlines by the working days suspended."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from klachtroute.cases.deadlines import Status, deadline_state
from klachtroute.cases.models import Complaint
from klachtroute.cases.services import (
    complaint_assign_handler,
    complaint_register,
    settlement_resume,
    settlement_suspend,
)
from klachtroute.cases.watch import deadlines_watch
from klachtroute.cases.workflow import TransitionError
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.factories import complaint_data

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def at(year, month, day, hour=12):
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=AMS), tick=False)


@pytest.fixture
def complaint(organisation, course, secretariat, trainers):
    """LIVP, received Monday 2 March 2026: first contact due Mon 9 March, settled by Mon 30
    March; handled by Theo."""
    with at(2026, 3, 2, 9):
        complaint = complaint_register(**complaint_data(received_at=dt.datetime.now(tz=AMS)))
        complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)
    complaint.refresh_from_db()
    assert (complaint.first_contact_due, complaint.settle_due) == (
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 30),
    )
    return complaint


def test_suspension_needs_a_reason_and_tells_the_complainant(complaint, trainers, client):
    with at(2026, 3, 4), pytest.raises(ValidationError):
        settlement_suspend(complaint=complaint, actor=trainers[2], reason=" ")
    client.force_login(trainers[2])
    with at(2026, 3, 4):
        response = client.post(
            reverse("cases:action", args=[complaint.number, "suspend"]),
            {"reason": "Wij wachten op de kopie van uw certificaat."},
        )
    assert response.status_code == 302
    message = OutboxMessage.objects.get(kind="suspension_notice")
    assert message.to == complaint.complainant_email
    assert "Wij wachten op de kopie van uw certificaat." in message.body
    event = Complaint.objects.get().events.get(kind="suspended")
    assert "Wij wachten op de kopie van uw certificaat." in event.summary


def test_a_suspended_clock_makes_nothing_overdue(complaint, trainers):
    with at(2026, 3, 4):
        settlement_suspend(complaint=complaint, actor=trainers[2], reason="Kopie certificaat.")
    with at(2026, 3, 12, 7):
        deadlines_watch()
        suspended = Complaint.objects.get()
        state = deadline_state(suspended, "first_contact", dt.date(2026, 3, 12))
    assert state.status == Status.OPEN
    assert not suspended.events.filter(kind="deadline_missed").exists()


def test_resuming_moves_the_deadlines_by_the_working_days_suspended(complaint, trainers):
    with at(2026, 3, 4):  # Wednesday
        settlement_suspend(complaint=complaint, actor=trainers[2], reason="Kopie certificaat.")
    with at(2026, 3, 11):  # the Wednesday after: 5 working days later
        settlement_resume(complaint=Complaint.objects.get(), actor=trainers[2])
    resumed = Complaint.objects.get()
    assert resumed.suspended_since is None
    assert resumed.first_contact_due == dt.date(2026, 3, 16)
    # Monday 30 March plus 5 working days, past Good Friday and Easter Monday.
    assert resumed.settle_due == dt.date(2026, 4, 8)
    event = resumed.events.get(kind="resumed")
    assert "5 werkdagen" in event.summary
    assert event.after["moved"]["settle"] == ["2026-03-30", "2026-04-08"]
    message = OutboxMessage.objects.get(kind="resumption_notice")
    assert "5 werkdagen" in message.body
    assert "8 april 2026" in message.body


def test_resume_only_a_suspended_complaint_and_suspend_only_once(complaint, trainers):
    with at(2026, 3, 4):
        with pytest.raises(TransitionError):
            settlement_resume(complaint=complaint, actor=trainers[2])
        settlement_suspend(complaint=complaint, actor=trainers[2], reason="Kopie certificaat.")
        with pytest.raises(TransitionError):
            settlement_suspend(complaint=Complaint.objects.get(), actor=trainers[2], reason="x")


def test_the_status_page_shows_the_complainant_why_the_clock_stands_still(
    complaint, trainers, client
):
    from urllib.parse import urlparse

    from klachtroute.links.models import Purpose
    from klachtroute.links.tokens import link_create

    with at(2026, 3, 4):
        settlement_suspend(complaint=complaint, actor=trainers[2], reason="Kopie certificaat.")
        url = link_create(complaint=complaint, party="complainant", purpose=Purpose.STATUS)
        page = client.get(urlparse(url).path).content.decode()
    assert "Sinds 4 maart 2026 wachten wij op u" in page
    assert "Kopie certificaat." in page
