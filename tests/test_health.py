"""/gezond/: what a monitor reads, the database and how long mail and tasks have waited."""

import datetime as dt
import json

import pytest
import time_machine
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.notifications.tasks import deliver_message

pytestmark = pytest.mark.django_db


def health(client=None):
    response = (client or Client()).get("/gezond/")
    return response.status_code, json.loads(response.content)


def test_a_healthy_installation_with_nothing_waiting_reports_no_ages():
    assert health() == (
        200,
        {
            "database": "ok",
            "oldest_waiting_message_seconds": None,
            "oldest_waiting_task_seconds": None,
        },
    )


def test_the_age_of_the_oldest_waiting_message_is_reported(settings):
    now = timezone.now()
    for minutes in (3, 10):
        OutboxMessage.objects.create(
            kind="test",
            to="iemand@example.org",
            subject="Test",
            body="Test",
            status=OutboxStatus.PENDING,
            next_attempt_at=now - dt.timedelta(minutes=minutes),
        )
    OutboxMessage.objects.create(  # waits for a later retry: not late yet
        kind="test",
        subject="Later",
        body="Later",
        status=OutboxStatus.PENDING,
        next_attempt_at=now + dt.timedelta(minutes=30),
    )
    OutboxMessage.objects.create(  # sent long ago: not waiting
        kind="test",
        subject="Verzonden",
        body="Verzonden",
        status=OutboxStatus.SENT,
        next_attempt_at=now - dt.timedelta(days=3),
    )

    status, body = health()

    assert status == 200
    assert 600 <= body["oldest_waiting_message_seconds"] < 660


def test_the_age_of_the_oldest_task_the_worker_has_not_picked_up_is_reported(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=7)):
        deliver_message.enqueue(1)

    status, body = health()

    assert status == 200
    assert 420 <= body["oldest_waiting_task_seconds"] < 480


def test_a_database_that_does_not_answer_gives_503(monkeypatch):
    from config import health as module

    class Broken:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(module, "connection", Broken())

    status, body = health()

    assert (status, body) == (503, {"database": "error"})
