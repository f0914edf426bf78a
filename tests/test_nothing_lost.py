"""ISSUE-5.8: nothing lost — against the real database, views, commands and services.

Covered elsewhere (klachtroute/notifications/tests/test_delivery.py): the mail server down
(retries with back-off, failed after N tries, shown and resent, never sent twice) and a
message left 'sending' by a killed worker, recovered by `deliver_mail` and sent once.
Here: the deadline watcher interrupted mid-run, two people saving the same complaint, a
real race on PostgreSQL, and the database failing in the middle of a registration.
"""

import datetime as dt
import json
import re
import threading
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from klachtroute.accounts.models import ApiToken
from klachtroute.cases import watch
from klachtroute.cases.models import Approval, Complaint, DeadlineNotice, Event, Solution
from klachtroute.cases.services import (
    complaint_register,
    first_contact_record,
    respondent_set,
    solution_decide,
    solution_propose,
)
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.factories import complaint_data, letter_parts

AMS = ZoneInfo("Europe/Amsterdam")
REFUSED = "Iemand anders heeft deze klacht intussen gewijzigd"


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=AMS)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def version_on_page(client: Client, number: str, action: str) -> str:
    """The hidden `version` of the action's form, as a browser would submit it."""
    page = client.get(reverse("cases:detail", args=[number])).content.decode()
    form = re.search(rf'action="/zaken/{re.escape(number)}/acties/{action}/".*?</form>', page, re.S)
    assert form, f"the record offers no {action} form"
    return re.search(r'name="version" value="([^"]+)"', form.group(0)).group(1)


def act(number: str, action: str) -> str:
    return reverse("cases:action", args=[number, action])


@pytest.fixture
def handled(organisation, course, trainers):
    """A web complaint, assigned automatically to Theo, the first contact recorded."""
    received = timezone.now() - dt.timedelta(hours=1)
    complaint = complaint_register(**complaint_data(course=course, received_at=received))
    handler = complaint.handler
    assert handler == trainers[2]
    return first_contact_record(
        complaint=complaint,
        actor=handler,
        method="phone",
        contacted_at=timezone.now() - dt.timedelta(minutes=5),
    )


# The worker killed in the middle of a task ----------------------------------------------


@pytest.mark.django_db
def test_an_interrupted_deadline_watch_sends_every_reminder_once_when_rerun(
    organisation, course, trainers, monkeypatch
):
    with time_machine.travel(at(2026, 3, 2), tick=False):
        first = complaint_register(**complaint_data(course=course))
        second = complaint_register(**complaint_data(course=course))

    real_users_tell_many = watch.users_tell_many
    # The reminders go out a batch at a time, and a failed batch again one complaint at a
    # time: the worker dies in both attempts of the first complaint.
    broken = {"left": 2}

    def users_tell_many_dying(items, *args, **kwargs):
        if any(complaint.pk == first.pk for complaint, *_rest in items) and broken["left"]:
            broken["left"] -= 1
            raise OperationalError("the worker died here")
        return real_users_tell_many(items, *args, **kwargs)

    monkeypatch.setattr(watch, "users_tell_many", users_tell_many_dying)
    with time_machine.travel(at(2026, 3, 6, 9), tick=False):
        with pytest.raises(CommandError, match="1 item"):
            call_command("watch_deadlines", stdout=StringIO())
        # The interrupted reminder left nothing behind: no claim, no half a message.
        assert not DeadlineNotice.objects.filter(complaint=first).exists()
        assert not OutboxMessage.objects.filter(complaint=first, kind="deadline_reminder")
        assert OutboxMessage.objects.filter(complaint=second, kind="deadline_reminder").count()

        call_command("watch_deadlines", stdout=StringIO())  # the rerun: no error now
        call_command("watch_deadlines", stdout=StringIO())  # and once more: nothing new

    for complaint in (first, second):
        reminders = OutboxMessage.objects.filter(complaint=complaint, kind="deadline_reminder")
        assert reminders.count() == 1, complaint.number
        assert reminders.get().to == complaint.handler.email
        assert DeadlineNotice.objects.filter(complaint=complaint, kind="reminder").count() == 1


# Two people saving the same complaint at once -------------------------------------------


@pytest.mark.django_db
def test_two_people_setting_the_respondent_the_second_is_refused(handled, secretariat, trainers):
    number = handled.number
    handler, desk = logged_in(trainers[2]), logged_in(secretariat)
    # Both open the record and read the same state.
    handler_version = version_on_page(handler, number, "set_respondent")
    desk_version = version_on_page(desk, number, "set_respondent")
    assert handler_version == desk_version

    first = handler.post(
        act(number, "set_respondent"),
        {"respondent_type": "person", "respondent": trainers[0].pk, "version": handler_version},
    )
    assert first.status_code == 302
    second = desk.post(
        act(number, "set_respondent"),
        {"respondent_type": "organisation", "version": desk_version},
    )

    assert second.status_code == 409
    assert REFUSED in second.content.decode()
    handled.refresh_from_db()
    assert handled.respondent == trainers[0]  # the first one's choice stands
    assert handled.events.filter(kind="respondent_set").count() == 1
    # Looking again gives a new version, with which the change is accepted.
    fresh = version_on_page(desk, number, "set_respondent")
    assert fresh != desk_version
    again = desk.post(
        act(number, "set_respondent"), {"respondent_type": "organisation", "version": fresh}
    )
    assert again.status_code == 302


@pytest.mark.django_db
def test_a_solution_proposed_twice_from_the_same_page_keeps_the_first(handled, trainers):
    number = handled.number
    respondent_set(
        complaint=handled, actor=trainers[2], respondent_type="person", respondent=trainers[0]
    )
    tab_one, tab_two = logged_in(trainers[2]), logged_in(trainers[2])
    version = version_on_page(tab_one, number, "propose_solution")
    assert version_on_page(tab_two, number, "propose_solution") == version

    first = tab_one.post(
        act(number, "propose_solution"),
        {
            "text": "Excuses en een extra les.",
            "reasons": "Te laat.",
            "remedy_due": "2030-01-31",
            "version": version,
        },
    )
    second = tab_two.post(
        act(number, "propose_solution"),
        {
            "text": "Geld terug.",
            "reasons": "Gemist.",
            "remedy_due": "2030-01-31",
            "version": version,
        },
    )

    assert first.status_code == 302
    # Refused by the state (a solution awaits approval) before the version is even compared.
    assert second.status_code == 409
    assert "Deze actie is niet uitgevoerd" in second.content.decode()
    handled.refresh_from_db()
    assert handled.state == State.AWAITING_APPROVAL
    assert list(handled.solutions.values_list("text", "status")) == [
        ("Excuses en een extra les.", Solution.Status.PENDING)
    ]


@pytest.mark.django_db
def test_the_api_refuses_a_stale_version_with_409(handled, secretariat, trainers):
    _token, raw = ApiToken.objects.create_token(user=trainers[2], name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/complaints/{handled.number}/actions/set_respondent"
    stale = handled.updated_at.isoformat()
    respondent_set(
        complaint=handled, actor=secretariat, respondent_type="person", respondent=trainers[0]
    )

    response = api.post(
        url,
        json.dumps({"respondent_type": "organisation", "version": stale}),
        content_type="application/json",
    )

    assert response.status_code == 409
    assert REFUSED in response.json()["detail"]
    handled.refresh_from_db()
    assert handled.respondent == trainers[0]
    # Without `version` the API works as before.
    response = api.post(
        url, json.dumps({"respondent_type": "organisation"}), content_type="application/json"
    )
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_both_parties_approving_at_the_same_moment_are_serialised(handled, secretariat, trainers):
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL's row locks; SQLite serialises all writes")
    respondent_set(
        complaint=handled, actor=trainers[2], respondent_type="person", respondent=trainers[0]
    )
    solution_propose(
        complaint=handled,
        actor=trainers[2],
        text="Excuses en een extra les.",
        **letter_parts("solution"),
    )
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def approve(party: str) -> None:
        try:
            start.wait(timeout=10)
            solution_decide(complaint=handled, actor=secretariat, party=party, approve=True)
        except BaseException as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(p,)) for p in ("complainant", "respondent")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    handled.refresh_from_db()
    # Without the lock both would see one approval and neither would settle the complaint.
    assert handled.state == State.SETTLED
    solution = handled.solutions.get()
    assert solution.status == Solution.Status.APPROVED
    assert set(solution.approvals.values_list("party", "decision")) == {
        ("complainant", Approval.Decision.APPROVED),
        ("respondent", Approval.Decision.APPROVED),
    }
    kinds = list(handled.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-1] == "solution_approved" and kinds.count("solution_approved") == 1


# The database gone during a request -----------------------------------------------------


@pytest.mark.django_db
def test_database_failing_mid_registration_gives_a_clean_page_and_saves_nothing(
    organisation, secretariat, monkeypatch
):
    from klachtroute.cases.services import registration

    def database_gone(**kwargs):
        # Called right after the complaint row was written.
        assert Complaint.objects.filter(pk=kwargs["complaint"].pk).exists()
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(registration, "event_record", database_gone)
    desk = Client(raise_request_exception=False)
    desk.force_login(secretariat)
    received = timezone.localtime() - dt.timedelta(hours=1)

    response = desk.post(
        "/registreren/",
        {
            "channel": "post",
            "received_at": received.strftime("%Y-%m-%dT%H:%M"),
            "complainant_name": "Maria de Groot",
            "complainant_email": "maria@example.org",
            "complainant_language": "nl",
            "complaint_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
            "description": "Mijn examen is zonder bericht verplaatst.",
            "respondent_type": "organisation",
        },
    )

    assert response.status_code == 500
    page = response.content.decode()
    assert "Er ging iets mis" in page and "Er is niets half opgeslagen." in page
    assert "OperationalError" not in page and "Traceback" not in page
    assert not Complaint.objects.exists()
    assert not Event.objects.exists() and not OutboxMessage.objects.exists()
