"""Issue 5, point 7: a tamper-evident history.

Every event carries a hash of its content chained to the previous event of the same
complaint; `manage.py verify_history` checks every chain and names the first broken link.
The tampering here goes straight to the database (QuerySet.update/delete bypass the
model's append-only save), as someone with database access would.
"""

import datetime as dt
import hashlib
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from klachtroute.cases.events import event_record
from klachtroute.cases.history import history_verify
from klachtroute.cases.models import Event
from klachtroute.cases.services import complaint_register
from klachtroute.testing.factories import complaint_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def histories(organisation, course, secretariat):
    """Two complaints, each with its registration events plus four more."""
    complaints = []
    for name in ["Petra Willems", "Karel de Vries"]:
        complaint = complaint_register(
            **complaint_data(
                actor=secretariat, channel="post", course=course, complainant_name=name
            )
        )
        for i in range(4):
            event_record(
                complaint=complaint,
                actor=secretariat,
                kind=f"note_{i}",
                summary=f"Notitie {i} over {name}",
                before={"state": "new", "n": i},
                after={"state": "new", "n": i + 1, "remark": "één € twee"},
            )
        complaints.append(complaint)
    return complaints


def events_of(complaint) -> list[Event]:
    return list(Event.objects.filter(complaint=complaint).order_by("id"))


def test_every_event_carries_a_content_hash_chained_to_the_previous_event(histories):
    for complaint in histories:
        events = events_of(complaint)
        assert len(events) >= 5
        previous = ""
        for event in events:
            assert event.content_hash == event.content_hash_compute()
            expected = hashlib.sha256((previous + event.content_hash).encode()).hexdigest()
            assert event.chain_hash == expected
            previous = event.chain_hash


def test_an_untouched_history_verifies(histories):
    assert history_verify() == []


def test_an_event_edited_in_the_database_is_found_and_named(histories):
    complaint = histories[1]
    edited = events_of(complaint)[2]
    Event.objects.filter(pk=edited.pk).update(summary="Er is niets gebeurd.")

    problems = history_verify()

    assert len(problems) == 1
    problem = problems[0]
    assert problem.complaint_number == complaint.number
    assert problem.event_id == edited.pk
    assert problem.kind == edited.kind
    assert problem.at == edited.at
    assert "content changed" in problem.reason


def test_an_edited_before_or_after_value_is_found(histories):
    edited = events_of(histories[0])[-1]
    Event.objects.filter(pk=edited.pk).update(after={**edited.after, "n": 99})

    assert [p.event_id for p in history_verify()] == [edited.pk]


def test_an_event_deleted_from_the_middle_is_found(histories):
    complaint = histories[0]
    events = events_of(complaint)
    Event.objects.filter(pk=events[2].pk).delete()

    problems = history_verify()

    assert len(problems) == 1
    # The gap shows at the event right after the removed one.
    assert problems[0].complaint_number == complaint.number
    assert problems[0].event_id == events[3].pk
    assert "chain broken" in problems[0].reason


def test_a_changed_time_is_found(histories):
    event = events_of(histories[0])[1]
    Event.objects.filter(pk=event.pk).update(at=event.at - dt.timedelta(days=3))

    problems = history_verify()

    assert [p.event_id for p in problems] == [event.pk]


def test_two_events_swapped_with_their_hashes_are_found(histories):
    events = events_of(histories[0])
    first, second = events[2], events[3]
    columns = ["at", "actor", "actor_label", "kind", "summary", "before", "after"]
    columns += ["content_hash", "chain_hash"]
    for target, source in [(first, second), (second, first)]:
        Event.objects.filter(pk=target.pk).update(**{c: getattr(source, c) for c in columns})

    problems = history_verify()

    assert [p.event_id for p in problems] == [first.pk]
    assert "chain broken" in problems[0].reason


def test_an_edit_with_recomputed_hashes_still_breaks_the_next_link(histories):
    events = events_of(histories[0])
    forged = events[2]
    forged.summary = "Een andere lezing."
    content_hash = forged.content_hash_compute()
    previous = events[1].chain_hash
    chain_hash = hashlib.sha256((previous + content_hash).encode()).hexdigest()
    Event.objects.filter(pk=forged.pk).update(
        summary=forged.summary, content_hash=content_hash, chain_hash=chain_hash
    )

    assert [p.event_id for p in history_verify()] == [events[3].pk]


def test_a_redacted_event_still_verifies(histories):
    redacted = events_of(histories[0])[2]
    Event.objects.filter(pk=redacted.pk).update(
        redacted_at=timezone.now(), before={}, after={}, summary="[verwijderd]"
    )

    assert history_verify() == []


def test_a_redacted_event_with_an_edited_hash_is_found(histories):
    redacted = events_of(histories[0])[2]
    Event.objects.filter(pk=redacted.pk).update(
        redacted_at=timezone.now(), summary="[verwijderd]", content_hash="0" * 64
    )

    assert [p.event_id for p in history_verify()] == [redacted.pk]


def test_new_events_continue_the_chain_after_a_redaction(histories):
    complaint = histories[0]
    redacted = events_of(complaint)[-1]
    Event.objects.filter(pk=redacted.pk).update(redacted_at=timezone.now(), before={}, after={})
    event_record(complaint=complaint, actor=None, kind="later", summary="Later.")

    assert history_verify() == []


def test_an_event_without_hashes_is_found(histories):
    event = events_of(histories[1])[0]
    Event.objects.filter(pk=event.pk).update(content_hash="", chain_hash="")

    problems = history_verify()

    assert [p.event_id for p in problems] == [event.pk]
    assert "no hash" in problems[0].reason


def test_the_command_reports_ok_and_exits_0(histories, capsys):
    total = Event.objects.count()

    call_command("verify_history")

    assert capsys.readouterr().out.strip() == f"OK: {total} events in 2 complaints"


def test_the_command_names_the_first_broken_link_and_exits_1(histories, capsys):
    complaint = histories[1]
    edited = events_of(complaint)[3]
    Event.objects.filter(pk=edited.pk).update(summary="Aangepast.")

    with pytest.raises(CommandError) as raised:
        call_command("verify_history")

    assert raised.value.returncode == 1
    message = str(raised.value)
    when = timezone.localtime(edited.at).strftime("%Y-%m-%d %H:%M:%S")
    for part in [complaint.number, f"event {edited.pk}", when, edited.kind]:
        assert part in message
    assert f"BROKEN: complaint {complaint.number}: event {edited.pk}" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_to_one_complaint_keep_a_single_chain(organisation, course, secretariat):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks between connections (PostgreSQL)")
    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="post", course=course)
    )
    writers, rounds = 6, 8
    barrier = threading.Barrier(writers)
    errors = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(rounds):
                with transaction.atomic():
                    event_record(
                        complaint=complaint, actor=None, kind="parallel", summary=f"{n}.{i}"
                    )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Event.objects.filter(kind="parallel").count() == writers * rounds
    assert history_verify() == []
