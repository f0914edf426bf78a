"""Issue 5, point 7: a tamper-evident history.

Every event carries a hash of its content chained to the previous event of the same
complaint; `manage.py verify_history` checks every chain and names the first broken link.
The tampering here goes straight to the database (QuerySet.update/delete bypass the
model's append-only save), as someone with database access would.
"""

import datetime as dt
import hashlib
import hmac
import importlib
import json
import threading
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from klachtroute.cases.events import event_record
from klachtroute.cases.history import history_verify, history_verify_result
from klachtroute.cases.models import Complaint, Event
from klachtroute.cases.phrases import Phrase as Note
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
                summary=Note(f"Notitie {i} over {name}"),
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
            expected = hmac.new(
                settings.HISTORY_KEY.encode(),
                (previous + event.content_hash).encode(),
                hashlib.sha256,
            ).hexdigest()
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
    columns = ["at", "actor", "actor_label", "kind", "summary", "message", "message_args"]
    columns += ["before", "after"]
    columns += ["content_hash", "chain_hash"]
    for target, source in [(first, second), (second, first)]:
        Event.objects.filter(pk=target.pk).update(**{c: getattr(source, c) for c in columns})

    problems = history_verify()

    assert [p.event_id for p in problems] == [first.pk]
    assert "chain broken" in problems[0].reason


def _unkeyed_content_hash(event, number) -> str:
    # What someone with database access but without the history key can compute.
    payload = {
        "complaint": number,
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "kind": event.kind,
        "summary": event.summary,
        "before": event.before,
        "after": event.after,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_an_edit_rehashed_without_the_key_is_found_and_named(histories):
    complaint = histories[0]
    events = events_of(complaint)
    forged = events[2]
    forged.summary = "Een andere lezing."
    content_hash = _unkeyed_content_hash(forged, complaint.number)
    previous = events[1].chain_hash
    chain_hash = hashlib.sha256((previous + content_hash).encode()).hexdigest()
    Event.objects.filter(pk=forged.pk).update(
        summary=forged.summary, content_hash=content_hash, chain_hash=chain_hash
    )

    problems = history_verify()

    assert [p.event_id for p in problems] == [forged.pk]
    assert "content changed" in problems[0].reason
    assert "history key" in problems[0].reason


def test_removed_last_events_are_found_against_the_checkpoint(histories, capsys):
    call_command("verify_history")  # anchors the heads outside the database
    complaint = histories[1]
    events = events_of(complaint)
    Event.objects.filter(pk=events[-1].pk).delete()
    # Without the checkpoint the shorter chain is still a valid chain.
    assert history_verify_result(checkpoint=None).ok

    with pytest.raises(CommandError):
        call_command("verify_history")

    err = capsys.readouterr().err
    assert f"BROKEN: complaint {complaint.number}" in err
    assert "last events removed" in err
    assert f"holds {len(events)} events, the database {len(events) - 1}" in err
    # The checkpoint was not moved: the removal stays visible on the next run.
    with pytest.raises(CommandError):
        call_command("verify_history")


def test_a_removed_complaint_is_found_against_the_checkpoint(histories, capsys):
    call_command("verify_history")
    gone = histories[0]
    Complaint.objects.filter(pk=gone.pk).delete()

    with pytest.raises(CommandError):
        call_command("verify_history")

    err = capsys.readouterr().err
    assert f"complaint {gone.number}: complaint removed with its history" in err


def test_a_last_event_replaced_by_another_is_found_against_the_anchored_head(histories):
    call_command("verify_history")
    complaint = histories[0]
    last = events_of(complaint)[-1]
    Event.objects.filter(pk=last.pk).delete()
    event_record(complaint=complaint, actor=None, kind="other", summary=Note("Iets anders."))

    problems = history_verify()

    assert [p.complaint_number for p in problems] == [complaint.number]
    assert "differs from the head anchored" in problems[0].reason


def _checkpoint_lines(path) -> tuple[dict, dict[str, list], dict]:
    """The checkpoint file read as its format says: a header, one line per complaint
    ([id, number, events, head]), a trailer."""
    header, *complaints, trailer = (json.loads(line) for line in path.read_text().splitlines())
    return header, {number: [pk, events, head] for pk, number, events, head in complaints}, trailer


def test_a_checkpoint_edited_by_hand_is_refused(histories, history_checkpoint_file):
    call_command("verify_history")
    number = histories[0].number
    lines = history_checkpoint_file.read_text().splitlines(keepends=True)
    pk, _, head = _checkpoint_lines(history_checkpoint_file)[1][number]
    edited = [
        json.dumps([pk, number, 1, head]) + "\n" if f'"{number}"' in line else line
        for line in lines
    ]
    assert edited != lines
    history_checkpoint_file.write_text("".join(edited))

    with pytest.raises(CommandError) as raised:
        call_command("verify_history")

    assert "not signed with the history key" in str(raised.value)


def test_a_checkpoint_with_a_complaint_left_out_is_refused(histories, history_checkpoint_file):
    call_command("verify_history")
    header, *complaints, trailer = history_checkpoint_file.read_text().splitlines(keepends=True)
    history_checkpoint_file.write_text("".join([header, *complaints[1:], trailer]))

    with pytest.raises(CommandError, match="not signed with the history key"):
        call_command("verify_history")


def test_the_checkpoint_holds_each_complaints_count_and_head(histories, history_checkpoint_file):
    call_command("watch_deadlines")
    header, anchored, trailer = _checkpoint_lines(history_checkpoint_file)
    assert header["format"] == "klachtroute-history-checkpoint/2"
    for complaint in histories:
        events = events_of(complaint)
        assert anchored[complaint.number] == [complaint.pk, len(events), events[-1].chain_hash]
    # One line per complaint, in the order the walk meets them, so that neither the
    # walk nor the checkpoint needs to be held in memory.
    assert [pk for pk, _, _ in anchored.values()] == sorted(c.pk for c in histories)
    assert trailer["complaints"] == len(histories)
    assert "HISTORY_KEY" not in history_checkpoint_file.read_text()
    assert [p.name for p in history_checkpoint_file.parent.iterdir()] == [
        history_checkpoint_file.name
    ]


def test_a_broken_history_leaves_the_checkpoint_and_no_partial_file(
    histories, history_checkpoint_file
):
    call_command("verify_history")
    anchored = history_checkpoint_file.read_bytes()
    Event.objects.filter(pk=events_of(histories[0])[1].pk).update(summary="Anders.")

    with pytest.raises(CommandError):
        call_command("verify_history")

    assert history_checkpoint_file.read_bytes() == anchored
    assert [p.name for p in history_checkpoint_file.parent.iterdir()] == [
        history_checkpoint_file.name
    ]


def _checkpoint_of_the_earlier_format(histories) -> dict:
    """A checkpoint as the earlier version wrote it: one signed JSON document of every
    complaint's count and head by number."""
    body = {
        "format": "klachtroute-history-checkpoint/1",
        "written_at": timezone.now().isoformat(),
        "complaints": {
            c.number: {"events": len(events_of(c)), "head": events_of(c)[-1].chain_hash}
            for c in histories
        },
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    signature = hmac.new(
        settings.HISTORY_KEY.encode(), b"checkpoint:" + canonical, hashlib.sha256
    ).hexdigest()
    return {**body, "signature": signature}


def test_a_checkpoint_of_the_earlier_format_still_finds_removed_last_events(
    histories, history_checkpoint_file, capsys
):
    history_checkpoint_file.write_text(
        json.dumps(_checkpoint_of_the_earlier_format(histories), indent=1, sort_keys=True)
    )
    complaint = histories[1]
    Event.objects.filter(pk=events_of(complaint)[-1].pk).delete()

    with pytest.raises(CommandError):
        call_command("verify_history")

    assert f"BROKEN: complaint {complaint.number}" in capsys.readouterr().err


def test_a_checkpoint_of_the_earlier_format_is_replaced_by_the_present_one(
    histories, history_checkpoint_file
):
    history_checkpoint_file.write_text(
        json.dumps(_checkpoint_of_the_earlier_format(histories), indent=1, sort_keys=True)
    )
    Complaint.objects.filter(pk=histories[0].pk).delete()
    with pytest.raises(CommandError, match="complaint removed with its history"):
        call_command("verify_history")

    history_checkpoint_file.write_text(
        json.dumps(_checkpoint_of_the_earlier_format(histories[1:]), indent=1, sort_keys=True)
    )
    call_command("verify_history", stdout=StringIO())

    header, anchored, _ = _checkpoint_lines(history_checkpoint_file)
    assert header["format"] == "klachtroute-history-checkpoint/2"
    assert list(anchored) == [histories[1].number]


def test_verify_streams_the_events_in_a_bounded_number_of_queries(
    histories, organisation, course, django_assert_max_num_queries
):
    for _ in range(10):
        complaint_register(**complaint_data(course=course))
    with django_assert_max_num_queries(4):
        result = history_verify_result()
    assert result.complaints == 12
    assert result.ok


def test_verify_finds_an_edited_event_and_a_removed_one_in_as_many_queries_for_22_as_for_2(
    histories, organisation, course
):
    """The walk is one streamed read whatever the size of the archive, and still names the
    first broken link of each complaint: an edited summary and an event removed from the
    middle of another history."""
    from django.test.utils import CaptureQueriesContext

    edited = events_of(histories[0])[2]
    Event.objects.filter(pk=edited.pk).update(summary="Niets aan de hand.")
    removed, after_gap = events_of(histories[1])[3:5]
    Event.objects.filter(pk=removed.pk).delete()

    def walk():
        with CaptureQueriesContext(connection) as queries:
            problems = history_verify_result().problems
        return problems, len(queries)

    problems, with_2 = walk()
    assert with_2 <= 4
    found = {p.complaint_number: (p.event_id, p.reason) for p in problems}
    assert found[histories[0].number][0] == edited.pk
    assert "content changed" in found[histories[0].number][1]
    assert found[histories[1].number][0] == after_gap.pk
    assert "chain broken" in found[histories[1].number][1]
    for _ in range(20):
        complaint_register(**complaint_data(course=course))
    problems, with_22 = walk()
    assert with_22 == with_2
    assert sorted(p.event_id for p in problems) == sorted([edited.pk, after_gap.pk])


def test_existing_unkeyed_chains_are_rekeyed_and_broken_ones_stay_broken(histories):
    from django.apps import apps

    rekey = importlib.import_module(
        "klachtroute.cases.migrations.0007_event_keyed_hash_chain"
    ).rekey_chains
    # Put both histories back as the unkeyed chain of before (when events kept only their
    # summary, no phrase), the second one tampered with.
    for complaint in histories:
        previous = ""
        for event in events_of(complaint):
            content = _unkeyed_content_hash(event, complaint.number)
            chain = hashlib.sha256((previous + content).encode()).hexdigest()
            Event.objects.filter(pk=event.pk).update(
                content_hash=content, chain_hash=chain, message="", message_args={}
            )
            previous = chain
    tampered = events_of(histories[1])[3]
    Event.objects.filter(pk=tampered.pk).update(summary="Later aangepast.")
    assert len(history_verify()) == 2

    rekey(apps, None)

    problems = history_verify()
    assert [p.event_id for p in problems] == [tampered.pk]


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
    event_record(complaint=complaint, actor=None, kind="later", summary=Note("Later."))

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

    assert capsys.readouterr().out.startswith(f"OK: {total} events in 2 complaints")


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
                        complaint=complaint, actor=None, kind="parallel", summary=Note(f"{n}.{i}")
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


def test_watch_deadlines_walks_the_histories_at_most_once_per_interval(
    histories, history_checkpoint_file, settings
):
    settings.HISTORY_VERIFY_EVERY_MINUTES = 60
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False):
        call_command("watch_deadlines", stdout=StringIO())
        written = history_checkpoint_file.stat().st_mtime_ns
    Event.objects.filter(pk=events_of(histories[0])[0].pk).update(summary="Anders.")
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC), tick=False):
        call_command("watch_deadlines", stdout=StringIO())  # the last walk is recent
    assert history_checkpoint_file.stat().st_mtime_ns == written
    with time_machine.travel(dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        with pytest.raises(CommandError, match="History tampered with in 1 complaints"):
            call_command("watch_deadlines", stdout=StringIO())


def _reference_content_hash(event: Event, number: str) -> str:
    """The keyed content hash as events have always been hashed: the canonical JSON of
    the content by json.dumps with sorted keys, the phrase's share only when there is one."""
    payload = {
        "complaint": number,
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "kind": event.kind,
        "summary": event.summary,
        "before": event.before,
        "after": event.after,
    }
    if event.message:
        payload |= {"message": event.message, "message_args": event.message_args or {}}
    canonical = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    key = settings.HISTORY_KEY.encode("utf-8")
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("microsecond", [0, 1, 250_000])
def test_events_are_hashed_over_the_same_canonical_json_as_ever(
    organisation, course, secretariat, microsecond
):
    """Stored hashes stay valid: the content hash is still the HMAC of the canonical JSON
    of before, for a phrase with arguments, nested and non-ASCII values, and a time with
    and without microseconds (which the ISO text leaves out when zero)."""
    moment = dt.datetime(2026, 3, 29, 1, 30, 5, microsecond, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        complaint = complaint_register(**complaint_data(actor=secretariat, course=course))
        event_record(
            complaint=complaint,
            actor=secretariat,
            kind="note",
            summary=Note("Gesprek met %(name)s: “één” € twee.", name="Zoë d'Arc"),
            before={"z": [1, {"b": 2, "a": None}], "a": 'x\ny"z'},
            after={"n": 1.5, "ok": True, "leeg": {}},
        )
    events = events_of(complaint)
    assert any(event.message_args for event in events)
    for event in events:
        assert event.at == moment
        assert event.content_hash == _reference_content_hash(event, complaint.number)
    assert history_verify() == []


def test_the_database_gives_an_events_time_as_the_hash_writes_it(histories):
    from klachtroute.cases.hashing import EventAtText, event_at_text

    amsterdam = dt.timezone(dt.timedelta(hours=2))
    times = [
        dt.datetime(2026, 7, 1, 0, 0, 0, 0, tzinfo=amsterdam),
        dt.datetime(2026, 7, 1, 0, 0, 0, 1, tzinfo=amsterdam),
        dt.datetime(1999, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 2, 3, 4, 5, 60_000, tzinfo=dt.UTC),
    ]
    events = events_of(histories[0])[: len(times)]
    for event, at in zip(events, times, strict=True):
        Event.objects.filter(pk=event.pk).update(at=at)
    texts = dict(
        Event.objects.filter(pk__in=[e.pk for e in events]).values_list("pk", EventAtText("at"))
    )
    assert [texts[e.pk] for e in events] == [event_at_text(at) for at in times]
    assert event_at_text(times[0]) == "2026-06-30T22:00:00+00:00"


def test_a_time_moved_by_one_microsecond_is_found(histories):
    event = events_of(histories[1])[2]
    Event.objects.filter(pk=event.pk).update(at=event.at + dt.timedelta(microseconds=1))

    problems = history_verify()

    assert [(p.event_id, p.at) for p in problems] == [
        (event.pk, event.at + dt.timedelta(microseconds=1))
    ]
    assert "content changed" in problems[0].reason


def test_an_edited_phrase_or_phrase_argument_is_found(histories):
    first, second = events_of(histories[0])[-2:]
    Event.objects.filter(pk=first.pk).update(message="Iets anders.")
    Event.objects.filter(pk=second.pk).update(message_args={"name": "Iemand anders"})
    third = events_of(histories[1])[-1]
    Event.objects.filter(pk=third.pk).update(actor_label="Iemand anders")

    problems = history_verify()

    assert sorted(p.event_id for p in problems) == [first.pk, third.pk]
    assert all("content changed" in p.reason for p in problems)
    Event.objects.filter(pk=first.pk).update(message=first.message)
    assert [p.event_id for p in history_verify()] == [second.pk, third.pk]


def test_an_event_moved_to_another_complaints_history_is_found(histories):
    """Moving an event with its hashes into another history breaks both chains: its
    content names the other complaint, and its old place misses it."""
    moved = events_of(histories[0])[2]
    Event.objects.filter(pk=moved.pk).update(complaint=histories[1])

    problems = {p.complaint_number: p for p in history_verify()}

    assert problems[histories[0].number].event_id == events_of(histories[0])[2].pk
    assert "chain broken" in problems[histories[0].number].reason
    assert problems[histories[1].number].event_id == moved.pk
    assert "content changed" in problems[histories[1].number].reason


def test_the_command_runs_in_as_many_queries_for_12_complaints_as_for_2(
    histories, organisation, course, capsys
):
    from django.test.utils import CaptureQueriesContext

    def command_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            call_command("verify_history")
        assert capsys.readouterr().out.startswith("OK: ")
        return len(queries)

    with_2 = command_queries()
    for _ in range(10):
        complaint_register(**complaint_data(course=course))
    assert command_queries() == with_2 <= 2


@pytest.mark.parametrize("key", ["k", "sleutel-" * 8, "x" * 65, "geheim-€-" * 30])
def test_the_chain_digest_is_hmac_sha256_under_keys_of_any_length(settings, key):
    from klachtroute.cases.hashing import event_chain_hash

    settings.HISTORY_KEY = key
    previous, content = "a" * 64, "b" * 64

    expected = hmac.new(key.encode(), (previous + content).encode(), hashlib.sha256).hexdigest()
    assert event_chain_hash(previous=previous, content_hash=content) == expected
