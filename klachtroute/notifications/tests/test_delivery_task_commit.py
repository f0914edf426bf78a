"""A message and its delivery task are written in one transaction when the tasks are kept in
the project's own database: the worker never finds a task without its message, a
registration commits once, and a task that cannot be written loses no message."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from klachtroute.cases.models import Complaint
from klachtroute.cases.services import complaint_register
from klachtroute.notifications import tasks
from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.testing.factories import complaint_data

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_registration_commits_its_acknowledgement_and_its_delivery_task_together(
    smtp_server, organisation, course, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    with CaptureQueriesContext(connection) as queries:
        complaint = complaint_register(**complaint_data(course=course))

    statements = [q["sql"].upper() for q in queries.captured_queries]
    if connection.vendor == "postgresql":  # SQLite's driver logs no COMMIT
        assert [n for n, sql in enumerate(statements) if sql.startswith("COMMIT")] == [
            len(statements) - 1
        ], "one commit, the last statement: the delivery tasks are written before it"
    assert any("DBTASKRESULT" in sql and sql.startswith("INSERT") for sql in statements)
    messages = OutboxMessage.objects.filter(complaint=complaint).exclude(to="")
    assert messages.filter(kind="acknowledgement").exists()
    tasks_written = sorted(t.args_kwargs["args"][0] for t in DBTaskResult.objects.all())
    assert tasks_written == sorted(m.pk for m in messages)

    call_command("db_worker", batch=True, interval=0, startup_delay=False, stdout=StringIO())
    assert set(messages.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert len(smtp_server.inbox) == messages.count()


@pytest.mark.django_db(transaction=True)
def test_a_registration_undone_leaves_neither_a_message_nor_a_task(organisation, course, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    with pytest.raises(RuntimeError), transaction.atomic():
        complaint_register(**complaint_data(course=course))
        raise RuntimeError("the request failed after the registration")

    assert not Complaint.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_delivery_task_that_cannot_be_written_loses_neither_the_complaint_nor_its_message(
    smtp_server, organisation, course, settings, monkeypatch, caplog
):
    settings.TASKS = DATABASE_TASKS

    def refused(*args, **kwargs):
        # A database error inside the registration's transaction.
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table_of_tasks")

    monkeypatch.setattr(tasks, "deliver_message", SimpleNamespace(enqueue=refused))
    complaint = complaint_register(**complaint_data(course=course))

    messages = OutboxMessage.objects.filter(complaint=complaint).exclude(to="")
    assert messages.filter(kind="acknowledgement", status=OutboxStatus.PENDING).exists()
    assert "Could not enqueue delivery" in caplog.text
    # The periodic delivery sends what no task did.
    call_command("deliver_mail", stdout=StringIO())
    assert set(messages.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert len(smtp_server.inbox) == messages.count()
