"""The deadline watcher: reminders, missed deadlines, LIVP-9 no agreement, the weekly digest.

Dates in March/April 2026: Monday 2 March is the day of receipt, so the LIVP deadlines are
acknowledge Tuesday 3 March, first contact Monday 9 March and settlement Monday 30 March.
"""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from klachtroute.cases.models import Complaint, DeadlineNotice, Event, RespondentType
from klachtroute.cases.services import (
    complaint_register,
    first_contact_record,
    respondent_set,
    settlement_extend,
    solution_propose,
)
from klachtroute.cases.watch import deadlines_watch
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=AMS)


def watch_on(day: dt.datetime):
    with time_machine.travel(day, tick=False):
        return deadlines_watch()


def messages(kind: str, to: str | None = None):
    qs = OutboxMessage.objects.filter(kind=kind)
    return qs.filter(to=to) if to is not None else qs


def missed_events(complaint):
    return Event.objects.filter(complaint=complaint, kind="deadline_missed")


@pytest.fixture
def livp_complaint(organisation, course, trainers):
    """A web complaint received Monday 2 March 2026, assigned automatically to Theo."""
    with time_machine.travel(at(2026, 3, 2), tick=False):
        complaint = complaint_register(**complaint_data(course=course))
    assert complaint.handler == trainers[2]
    return complaint


@pytest.fixture
def contacted(livp_complaint, trainers):
    """The same complaint with the first contact recorded on time, so only settlement is open."""
    with time_machine.travel(at(2026, 3, 4), tick=False):
        return first_contact_record(
            complaint=livp_complaint,
            actor=trainers[2],
            method="phone",
            contacted_at=at(2026, 3, 4, 9),
        )


def test_livp_3_reminder_before_acknowledgement_deadline_goes_to_the_secretariat(
    organisation, secretariat, trainers
):
    organisation.auto_assign = False
    organisation.save()
    with time_machine.travel(at(2026, 3, 2), tick=False):
        complaint = complaint_register(**complaint_data(channel="post", actor=secretariat))
    assert complaint.state == State.NEW and complaint.acknowledge_due == dt.date(2026, 3, 3)

    report = watch_on(at(2026, 3, 2, 11))

    reminder = messages("deadline_reminder").get()
    assert reminder.to == secretariat.email
    assert reminder.complaint == complaint
    assert complaint.number in reminder.subject + reminder.body
    assert report.reminders == 1
    # The handlers are not reminded of what is the secretariat's job.
    assert not messages("deadline_reminder").exclude(to=secretariat.email).exists()


def test_livp_5_handler_reminded_one_working_day_before_first_contact_deadline(
    livp_complaint, trainers
):
    handler = trainers[2]
    watch_on(at(2026, 3, 5))  # Thursday: two working days left
    assert not messages("deadline_reminder").exists()

    watch_on(at(2026, 3, 6))  # Friday: one working day left (Monday 9 March)
    reminder = messages("deadline_reminder").get()
    assert reminder.to == handler.email
    assert reminder.complaint == livp_complaint


def test_reminder_is_sent_once_when_the_watcher_runs_twice(livp_complaint, trainers):
    first = watch_on(at(2026, 3, 6, 9))
    second = watch_on(at(2026, 3, 6, 9, 5))
    third = watch_on(at(2026, 3, 9, 8))  # the due day itself: still the same reminder
    assert (first.reminders, second.reminders, third.reminders) == (1, 0, 0)
    assert messages("deadline_reminder", to=trainers[2].email).count() == 1
    assert DeadlineNotice.objects.filter(complaint=livp_complaint, kind="reminder").count() == 1


def test_a_reminder_another_run_already_claimed_is_not_sent_again(livp_complaint):
    # A run at the same moment that got there first left its notice row.
    DeadlineNotice.objects.create(
        complaint=livp_complaint,
        deadline="first_contact",
        due=livp_complaint.first_contact_due,
        kind=DeadlineNotice.Kind.REMINDER,
    )
    report = watch_on(at(2026, 3, 6))
    assert report.reminders == 0
    assert not messages("deadline_reminder").exists()


def test_lsr_7b_missed_settlement_deadline_is_recorded_and_director_told(
    lsr_organisation, secretariat, director
):
    with time_machine.travel(at(2026, 3, 2), tick=False):
        complaint = complaint_register(**complaint_data(channel="post", actor=secretariat))
    assert complaint.settle_due == dt.date(2026, 3, 30)

    on_the_day = watch_on(at(2026, 3, 30, 17))
    assert on_the_day.missed == 0 and not missed_events(complaint).exists()

    report = watch_on(at(2026, 3, 31, 8))
    assert report.missed == 1
    event = missed_events(complaint).get()
    assert event.actor is None
    assert event.after == {"deadline": "settle", "due": "2026-03-30"}
    told = messages("deadlines_overdue").get()
    assert told.to == director.email
    assert complaint.number in told.body

    again = watch_on(at(2026, 3, 31, 8, 5))
    assert again.missed == 0
    assert missed_events(complaint).count() == 1
    assert messages("deadlines_overdue").count() == 1
    # LSR escalates to the director, not a third party: the watcher does not close the talks.
    assert Complaint.objects.get(pk=complaint.pk).state == State.NEW


def test_directors_get_one_overdue_message_per_run_naming_every_newly_overdue_complaint(
    lsr_organisation, secretariat, director
):
    other_director = UserFactory(username="directeur2", is_director=True)
    with time_machine.travel(at(2026, 3, 2), tick=False):
        first = complaint_register(**complaint_data(channel="post", actor=secretariat))
        second = complaint_register(**complaint_data(channel="post", actor=secretariat))
    watch_on(at(2026, 3, 31))
    for person in (director, other_director):
        told = messages("deadlines_overdue", to=person.email).get()
        assert first.number in told.body and second.number in told.body


def test_livp_9_after_four_weeks_without_approved_solution_no_agreement_starts(contacted):
    complaint = contacted
    watch_on(at(2026, 3, 30, 16))  # the last day: not yet
    assert Complaint.objects.get(pk=complaint.pk).state == State.IN_PROGRESS

    report = watch_on(at(2026, 3, 31, 8))

    complaint.refresh_from_db()
    assert report.no_agreement == 1
    assert complaint.state == State.NO_AGREEMENT
    assert complaint.no_agreement_notified_at is not None
    notice = messages("no_agreement_notice").get()
    assert notice.to == complaint.complainant_email
    assert Event.objects.filter(complaint=complaint, kind="no_agreement", actor=None).exists()

    again = watch_on(at(2026, 3, 31, 8, 5))
    assert again.no_agreement == 0
    assert messages("no_agreement_notice").count() == 1


def test_livp_9_also_when_a_solution_still_awaits_approval(contacted, trainers):
    with time_machine.travel(at(2026, 3, 20), tick=False):
        respondent_set(
            complaint=contacted, actor=trainers[2], respondent_type=RespondentType.ORGANISATION
        )
        solution_propose(
            complaint=contacted,
            actor=trainers[2],
            text="Excuses en een gesprek.",
            **letter_parts("solution"),
        )
    assert Complaint.objects.get(pk=contacted.pk).state == State.AWAITING_APPROVAL
    watch_on(at(2026, 3, 31))
    assert Complaint.objects.get(pk=contacted.pk).state == State.NO_AGREEMENT


def test_lsr_5d_extension_before_the_deadline_moves_the_missed_mark_and_livp_9(
    contacted, trainers, director
):
    complaint, handler = contacted, trainers[2]
    watch_on(at(2026, 3, 27))  # Friday: reminded of Monday 30 March
    assert messages("deadline_reminder", to=handler.email).count() == 1
    with time_machine.travel(at(2026, 3, 27, 11), tick=False):
        settlement_extend(
            complaint=complaint,
            actor=handler,
            reason="De beklaagde is twee weken afwezig.",
            new_due=dt.date(2026, 4, 13),
        )

    report = watch_on(at(2026, 3, 31))  # past the old date
    complaint.refresh_from_db()
    assert report.missed == 0 and report.no_agreement == 0
    assert complaint.state == State.IN_PROGRESS
    assert not missed_events(complaint).exists()
    assert not messages("deadlines_overdue").exists()

    watch_on(at(2026, 4, 10))  # Friday before the new date: a new reminder for it
    assert messages("deadline_reminder", to=handler.email).count() == 2

    report = watch_on(at(2026, 4, 14))  # past the new date
    complaint.refresh_from_db()
    assert report.missed == 1 and report.no_agreement == 1
    assert missed_events(complaint).get().after["due"] == "2026-04-13"
    assert complaint.state == State.NO_AGREEMENT
    assert messages("deadlines_overdue", to=director.email).count() == 1


def test_lsr_6e_respondent_reminded_of_the_defence_deadline(
    lsr_organisation, secretariat, director, trainers
):
    respondent = trainers[0]
    with time_machine.travel(at(2026, 3, 2), tick=False):
        complaint = complaint_register(**complaint_data(channel="post", actor=secretariat))
    Complaint.objects.filter(pk=complaint.pk).update(
        state=State.AWAITING_DEFENCE,
        respondent_type=RespondentType.PERSON,
        respondent=respondent,
        defence_due=dt.date(2026, 3, 20),
    )
    watch_on(at(2026, 3, 17))  # Tuesday: three working days left, LSR reminds two ahead
    assert not messages("deadline_reminder", to=respondent.email).exists()
    watch_on(at(2026, 3, 18))
    assert messages("deadline_reminder", to=respondent.email).count() == 1

    report = watch_on(at(2026, 3, 23))
    assert report.missed == 1
    assert missed_events(complaint).get().after["deadline"] == "defence"


def test_lsr_7a_weekly_digest_once_per_week(lsr_organisation, secretariat, director):
    other_director = UserFactory(username="directeur2", is_director=True)
    with time_machine.travel(at(2026, 3, 4), tick=False):  # Wednesday of week 10
        complaint = complaint_register(**complaint_data(channel="post", actor=secretariat))

    first = watch_on(at(2026, 3, 9, 0, 5))  # Monday of week 11, just after midnight
    second = watch_on(at(2026, 3, 9, 0, 10))
    later_that_week = watch_on(at(2026, 3, 12))
    assert (first.digest_sent, second.digest_sent, later_that_week.digest_sent) == (
        True,
        False,
        False,
    )
    for person in (director, other_director):
        digest = messages("weekly_digest", to=person.email).get()
        assert complaint.number in digest.body  # received last week

    assert watch_on(at(2026, 3, 16, 7)).digest_sent  # the next Monday: another
    for person in (director, other_director):
        assert messages("weekly_digest", to=person.email).count() == 2
    assert not messages("weekly_digest").exclude(to__in=[director.email, other_director.email])


def test_settled_complaints_are_ignored(organisation, secretariat, director):
    with time_machine.travel(at(2026, 3, 2), tick=False):
        complaint = complaint_register(
            **complaint_data(channel="phone", actor=secretariat, settled_on_the_spot=True)
        )
    assert complaint.state == State.SETTLED and complaint.settle_due is not None

    for day in (at(2026, 3, 2, 11), at(2026, 3, 27), at(2026, 4, 1)):
        report = watch_on(day)
        assert (report.reminders, report.missed, report.no_agreement) == (0, 0, 0)
    assert not messages("deadline_reminder").exists()
    assert not messages("deadlines_overdue").exists()
    assert not missed_events(complaint).exists()
    assert Complaint.objects.get(pk=complaint.pk).state == State.SETTLED


def test_watch_deadlines_command_prints_a_summary(contacted):
    out = StringIO()
    with time_machine.travel(at(2026, 3, 31), tick=False):
        call_command("watch_deadlines", stdout=out)
    assert out.getvalue().strip() == (
        "reminders: 0, missed: 1, no-agreement started: 1, digest: sent"
    )


def test_a_run_that_loses_the_race_for_a_notice_sends_nothing_and_carries_on(
    livp_complaint, monkeypatch
):
    # The other run inserted its row after this run looked: the INSERT fails on the unique
    # constraint inside a savepoint, and the rest of the run goes on normally.
    DeadlineNotice.objects.create(
        complaint=livp_complaint,
        deadline="first_contact",
        due=livp_complaint.first_contact_due,
        kind=DeadlineNotice.Kind.REMINDER,
    )
    monkeypatch.setattr("django.db.models.QuerySet.exists", lambda self: False)
    report = watch_on(at(2026, 3, 6))
    assert report.reminders == 0 and report.errors == 0
    assert not messages("deadline_reminder").exists()
    assert report.digest_sent  # the same run still sent what was due


def _overdue_bulk(complaints_bulk, n: int, *, start: int = 1):
    """`n` open complaints whose settlement was due on consecutive days from 1 March 2026."""
    made = complaints_bulk(n, start=start)
    for i, complaint in enumerate(made):
        due = dt.date(2026, 3, 1) + dt.timedelta(days=(start + i) % 25)
        Complaint.objects.filter(pk=complaint.pk).update(settle_due=due, next_due=due)
    return made


def test_lsr_7b_overdue_notice_of_a_large_backlog_names_the_20_most_overdue_and_links_the_rest(
    complaints_bulk, director
):
    _overdue_bulk(complaints_bulk, 25)
    report = deadlines_watch(today=dt.date(2026, 4, 1))
    assert report.missed == 25
    told = messages("deadlines_overdue", to=director.email).get()
    assert told.subject == "25 klachten met een verstreken termijn"
    by_due = Complaint.objects.order_by("settle_due", "number").values_list("number", flat=True)
    named = [number for number in by_due if f"- {number}:" in told.body]
    assert named == list(by_due[:20])
    assert "- en nog 5 termijnen" in told.body
    assert "/werk/?overdue=on" in told.body


def test_the_directors_are_told_by_the_next_run_when_a_run_stopped_after_marking(
    complaints_bulk, director, monkeypatch
):
    _overdue_bulk(complaints_bulk, 3)

    def fails():
        raise RuntimeError("the mail queue is down")

    monkeypatch.setattr("klachtroute.cases.watch.directors_tell_missed", fails)
    first = deadlines_watch(today=dt.date(2026, 4, 1))
    assert first.errors == 1
    # The marks of the batch stand, each once, though the message could not be written.
    assert Event.objects.filter(kind="deadline_missed").count() == 3
    assert not messages("deadlines_overdue").exists()
    monkeypatch.undo()
    second = deadlines_watch(today=dt.date(2026, 4, 1))
    assert second.missed == 0 and second.errors == 0
    told = messages("deadlines_overdue", to=director.email).get()
    assert told.subject == "3 klachten met een verstreken termijn"
    assert deadlines_watch(today=dt.date(2026, 4, 1)).errors == 0
    assert messages("deadlines_overdue").count() == 1


def test_a_watch_run_makes_as_many_queries_for_40_open_complaints_as_for_5(
    complaints_bulk, director
):
    """Set-based: a sweep reads the complaints that need something, not every open one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def sweep_queries() -> int:
        deadlines_watch(today=dt.date(2026, 4, 1))  # marks what is new
        with CaptureQueriesContext(connection) as queries:
            report = deadlines_watch(today=dt.date(2026, 4, 1))  # nothing due any more
        assert (report.reminders, report.missed, report.errors) == (0, 0, 0)
        return len(queries)

    def later(made):
        for complaint in made:
            Complaint.objects.filter(pk=complaint.pk).update(
                settle_due=dt.date(2026, 6, 1), next_due=dt.date(2026, 6, 1)
            )

    _overdue_bulk(complaints_bulk, 3)
    later(complaints_bulk(2, start=100))
    with_5 = sweep_queries()
    _overdue_bulk(complaints_bulk, 17, start=200)
    later(complaints_bulk(18, start=300))
    assert Complaint.objects.count() == 40
    assert sweep_queries() == with_5


def test_marking_a_backlog_takes_as_many_queries_for_25_late_complaints_as_for_5_and_chains(
    organisation, secretariat, director
):
    """Several deadlines missed at once on each complaint: every mark is in its history,
    chained in order (the history verifies), in a number of queries that does not grow."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from klachtroute.cases.history import history_verify_result

    def register(n):
        with time_machine.travel(at(2026, 3, 2), tick=False):
            for _ in range(n):
                complaint_register(**complaint_data(channel="post", actor=secretariat))

    def marking_queries(day) -> int:
        with CaptureQueriesContext(connection) as queries:
            report = deadlines_watch(today=day)
        assert report.errors == 0
        return len(queries)

    from django.utils import timezone

    from klachtroute.notifications.models import DigestSent

    DigestSent.objects.create(week="2026-W14", sent_at=timezone.now())  # this week's is out
    register(5)
    with_5 = marking_queries(dt.date(2026, 4, 1))
    assert Event.objects.filter(kind="deadline_missed").count() == 5 * 3
    # (SQLite splits an insert of more than about 90 events in two; PostgreSQL does not.)
    register(20)
    assert marking_queries(dt.date(2026, 4, 2)) == with_5
    assert Event.objects.filter(kind="deadline_missed").count() == 25 * 3
    assert history_verify_result().ok


def test_lsr_7a_weekly_digest_of_a_large_backlog_counts_names_the_first_20_and_links_the_rest(
    complaints_bulk, director
):
    """However many complaints came in or are late, the digest stays readable: the counts,
    the first 20 of each by number, and a link to the full list in the worklist."""
    from klachtroute.cases.watch import weekly_digest_send

    def digest_for(n: int, start: int) -> str:
        made = _overdue_bulk(complaints_bulk, n, start=start)
        Complaint.objects.filter(pk__in=[c.pk for c in made]).update(
            received_at=at(2026, 3, 25)  # the week before Monday 30 March
        )
        assert weekly_digest_send(today=dt.date(2026, 4, 1))
        body = messages("weekly_digest", to=director.email).latest("pk").body
        named = [c.number for c in Complaint.objects.all() if f"{c.number}" in body]
        return body, named

    body, named = digest_for(60, 1)
    assert "Nieuw binnengekomen: 60 klachten" in body and "- en nog 40 klachten" in body
    assert "Termijn verstreken: 60 klachten" in body
    assert len(named) <= 40 and "/werk/?overdue=on" in body
    # Three times as many: the same message with other counts, not a longer one.
    from klachtroute.notifications.models import DigestSent

    DigestSent.objects.all().delete()
    bigger, named_bigger = digest_for(120, 100)
    assert "Nieuw binnengekomen: 180 klachten" in bigger and "- en nog 160 klachten" in bigger
    assert "Termijn verstreken: 180 klachten" in bigger
    assert len(named_bigger) <= 40
    assert len(bigger) < len(body) + 200


def test_livp_9_a_complaint_that_fails_does_not_undo_the_no_agreement_of_its_batch(
    organisation, course, trainers, monkeypatch
):
    """The no-agreement procedure commits a batch of complaints together; one that fails
    is undone alone and counted, the others are in no agreement with their letter."""
    from klachtroute.cases.services import livp

    made = []
    for _ in range(3):
        with time_machine.travel(at(2026, 3, 2), tick=False):
            complaint = complaint_register(**complaint_data(course=course))
        with time_machine.travel(at(2026, 3, 4), tick=False):
            made.append(
                first_contact_record(
                    complaint=complaint,
                    actor=complaint.handler,
                    method="phone",
                    contacted_at=at(2026, 3, 4, 9),
                )
            )
    failing = made[1]
    real = livp.next_due

    def broken(complaint):
        if complaint.pk == failing.pk:
            raise RuntimeError("a corrupt definition")
        return real(complaint)

    monkeypatch.setattr(livp, "next_due", broken)
    report = watch_on(at(2026, 3, 31))
    assert (report.no_agreement, report.errors) == (2, 1)
    states = dict(Complaint.objects.values_list("pk", "state"))
    assert states[made[0].pk] == states[made[2].pk] == State.NO_AGREEMENT
    assert states[failing.pk] == State.IN_PROGRESS
    assert not Event.objects.filter(complaint=failing, kind="no_agreement").exists()
    assert not messages("no_agreement_notice").filter(complaint=failing).exists()
    for complaint in (made[0], made[2]):
        assert Event.objects.filter(complaint=complaint, kind="no_agreement").count() == 1
        assert messages("no_agreement_notice").filter(complaint=complaint).count() == 1
    # The next run takes the one that failed, once.
    monkeypatch.undo()
    assert watch_on(at(2026, 3, 31)).no_agreement == 1
    assert Complaint.objects.get(pk=failing.pk).state == State.NO_AGREEMENT


def test_lsr_7b_a_complaint_that_cannot_be_marked_keeps_none_of_its_batch_from_the_mark(
    complaints_bulk, director, monkeypatch
):
    from klachtroute.cases import watch

    made = _overdue_bulk(complaints_bulk, 5)
    broken = made[2]
    real = watch.deadlines_watched

    def watched(complaint, today):
        if complaint.pk == broken.pk:
            raise RuntimeError("a corrupt definition")
        return real(complaint, today)

    monkeypatch.setattr(watch, "deadlines_watched", watched)
    report = deadlines_watch(today=dt.date(2026, 4, 1))
    assert (report.missed, report.errors) == (4, 1)
    marked = set(Event.objects.filter(kind="deadline_missed").values_list("complaint", flat=True))
    assert marked == {c.pk for c in made} - {broken.pk}
    told = messages("deadlines_overdue", to=director.email).get()
    assert told.subject == "4 klachten met een verstreken termijn"


def test_lsr_7b_a_handler_with_many_passed_settlements_gets_one_message_naming_the_20_most_overdue(
    lsr_organisation, course, director
):
    """The handlers are told in bulk: one message per handler with the count, the 20 most
    overdue by number and date, and a link to their late complaints; each complaint still
    records in its history that its handler was asked to tell the complainant."""
    busy = UserFactory(username="druk", first_name="Dirk", is_staff_member=True)
    calm = UserFactory(username="rustig", first_name="Ria", is_staff_member=True)
    many = _settlement_passed(25, handler=busy, course=course, start=1)
    [one] = _settlement_passed(1, handler=calm, course=course, start=100)
    report = deadlines_watch(today=dt.date(2026, 4, 1))
    assert report.errors == 0
    [told] = messages("settle_missed_many", to=busy.email)
    assert told.subject == "25 klachten: de afhandeltermijn is verstreken"
    by_due = sorted(many, key=lambda c: (c.settle_due, c.number))
    named = [c.number for c in many if f"- {c.number}:" in told.body]
    assert sorted(named) == sorted(c.number for c in by_due[:20])
    assert "- en nog 5 klachten" in told.body and "/werk/?overdue=on" in told.body
    assert "Klager informeren over de vertraging" in told.body
    [single] = messages("settle_missed", to=calm.email)
    assert one.number in single.subject
    assert not messages("settle_missed", to=busy.email).exists()
    told_events = Event.objects.filter(kind="handler_told_settle_missed")
    assert sorted(told_events.values_list("complaint", flat=True)) == sorted(
        c.pk for c in [*many, one]
    )
    # Told once: the next run tells nobody again.
    deadlines_watch(today=dt.date(2026, 4, 1))
    assert messages("settle_missed_many").count() == 1 and told_events.count() == 26


def test_weekly_digest_lists_the_extensions_of_the_week(contacted, trainers, director):
    """The directors' digest of a week counts and names the extensions recorded in it,
    with both dates and the reason; an extension of another week is in that week's."""
    complaint, handler = contacted, trainers[2]
    with time_machine.travel(at(2026, 3, 4, 11), tick=False):  # Wednesday of week 10
        settlement_extend(
            complaint=complaint,
            actor=handler,
            reason="De beklaagde is twee weken afwezig.",
            new_due=dt.date(2026, 4, 13),
        )
    with time_machine.travel(at(2026, 3, 10, 11), tick=False):  # Tuesday of week 11
        settlement_extend(
            complaint=complaint,
            actor=handler,
            reason="Een getuige is pas in mei terug.",
            new_due=dt.date(2026, 5, 11),
        )

    assert watch_on(at(2026, 3, 9, 0, 5)).digest_sent
    body = " ".join(messages("weekly_digest", to=director.email).get().body.split())
    assert "Verlengingen van de afhandeltermijn: 1" in body
    assert (
        f"- {complaint.number}: van 30 maart 2026 tot en met 13 april 2026, "
        "De beklaagde is twee weken afwezig." in body
    )
    assert f"/zaken/{complaint.number}/" in body
    assert "Een getuige" not in body  # recorded the week after

    assert watch_on(at(2026, 3, 16, 7)).digest_sent
    body = " ".join(messages("weekly_digest", to=director.email).latest("pk").body.split())
    assert "Verlengingen van de afhandeltermijn: 1" in body
    assert "van 13 april 2026 tot en met 11 mei 2026, Een getuige is pas in mei terug." in body
    assert "twee weken afwezig" not in body


def test_weekly_digest_names_the_first_20_extensions_of_the_week_and_counts_the_rest(
    complaints_bulk, director
):
    from klachtroute.cases.models import Extension
    from klachtroute.cases.watch import weekly_digest_send

    made = complaints_bulk(25)
    Extension.objects.bulk_create(
        Extension(
            complaint=complaint,
            reason=f"Reden {i}.",
            previous_due=dt.date(2026, 3, 30),
            new_due=dt.date(2026, 4, 13),
            at=at(2026, 3, 24, 9) + dt.timedelta(minutes=i),
        )
        for i, complaint in enumerate(made)
    )
    assert weekly_digest_send(today=dt.date(2026, 3, 30))
    body = messages("weekly_digest", to=director.email).get().body
    assert "Verlengingen van de afhandeltermijn: 25" in body
    named = [c.number for c in made if f"- {c.number}: van" in body]
    assert named == [c.number for c in made[:20]]  # the oldest first
    assert "- en nog 5 verlengingen" in body


def _settlement_running(n: int, *, course, received: dt.datetime, **data) -> list[Complaint]:
    """`n` LIVP complaints received on `received`, assigned automatically, first contact
    two days later: only the settlement period runs (four weeks)."""
    made = []
    for _ in range(n):
        with time_machine.travel(received, tick=False):
            complaint = complaint_register(**complaint_data(course=course, **data))
        with time_machine.travel(received + dt.timedelta(days=2), tick=False):
            made.append(
                first_contact_record(
                    complaint=complaint,
                    actor=complaint.handler,
                    method="phone",
                    contacted_at=received + dt.timedelta(days=2),
                )
            )
    return made


def test_livp_9_no_agreement_start_costs_the_same_queries_for_10_and_40_complaints(
    organisation, course, trainers
):
    """Set-based: a batch of complaints goes to no agreement (state, history, withdrawn
    solutions, revoked and new links, letters and e-mails) in a number of queries that does
    not grow with the batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from klachtroute.cases.history import history_verify_result
    from klachtroute.cases.watch import no_agreement_start

    def start_queries(day: dt.datetime, expected: int) -> int:
        with time_machine.travel(day, tick=False), CaptureQueriesContext(connection) as queries:
            assert no_agreement_start(today=day.date()) == (expected, 0)
        return len(queries)

    # Half of them have no e-mail address: they are sent a letter.
    def mixed(n: int, received: dt.datetime) -> None:
        _settlement_running(n // 2, course=course, received=received)
        _settlement_running(
            n - n // 2,
            course=course,
            received=received,
            complainant_email="",
            complainant_address="Dorpsstraat 1\n1234 AB Ergens",
        )

    mixed(10, at(2026, 3, 2))  # settlement due Monday 30 March
    with_10 = start_queries(at(2026, 3, 31), 10)
    mixed(40, at(2026, 3, 9))  # due Tuesday 7 April (Easter Monday is a holiday)
    with_40 = start_queries(at(2026, 4, 8), 40)
    assert with_40 == with_10
    assert Complaint.objects.filter(state=State.NO_AGREEMENT).count() == 50
    assert messages("no_agreement_notice").filter(status="to_post").count() == 25
    assert history_verify_result().ok


def _outcome(complaint: Complaint) -> dict:
    """What the no-agreement procedure left on a complaint, without what differs between
    two complaints alike (their number, ids, the random link)."""
    import re

    from klachtroute.cases.models import Solution
    from klachtroute.links.models import PrivateLink

    complaint = Complaint.objects.get(pk=complaint.pk)

    def plain(text: str) -> str:
        return re.sub(r"/p/[^\s]+", "/p/LINK", text.replace(complaint.number, "NUMBER"))

    event = Event.objects.get(complaint=complaint, kind="no_agreement")
    return {
        "complaint": (complaint.state, complaint.next_due, complaint.no_agreement_notified_at),
        "event": (
            event.actor_id,
            event.actor_label,
            event.before,
            event.after,
            event.summary,
            event.message,
            event.message_args,
        ),
        "messages": [
            (m.to, m.status, plain(m.subject), plain(m.body), m.recipient_name, m.postal_address)
            for m in messages("no_agreement_notice").filter(complaint=complaint).order_by("pk")
        ],
        "links": sorted(
            (link.party, link.purpose, link.revoked_at is not None, link.expires_at)
            for link in PrivateLink.objects.filter(complaint=complaint)
        ),
        "solutions": list(
            Solution.objects.filter(complaint=complaint).order_by("pk").values_list("status")
        ),
    }


def test_livp_9_a_batch_goes_to_no_agreement_exactly_as_each_complaint_alone(
    organisation, course, trainers, django_capture_on_commit_callbacks
):
    """The watcher's batch gives each complaint the same history event, letter or e-mail,
    links and withdrawn solution as declaring it alone; the e-mails of the batch go to one
    delivery task, and the histories verify."""
    from django_tasks import task_backends

    from klachtroute.cases.history import history_verify_result
    from klachtroute.cases.services import no_agreement_declare
    from klachtroute.cases.watch import no_agreement_start
    from klachtroute.notifications.tasks import deliver_messages

    def kinds(received: dt.datetime) -> list[Complaint]:
        """One plain, one by post, one whose solution awaits approval."""
        plain = _settlement_running(1, course=course, received=received)
        by_post = _settlement_running(
            1,
            course=course,
            received=received,
            complainant_email="",
            complainant_address="Dorpsstraat 1\n1234 AB Ergens",
        )
        awaiting = _settlement_running(1, course=course, received=received)
        with time_machine.travel(received + dt.timedelta(days=18), tick=False):
            respondent_set(
                complaint=awaiting[0],
                actor=trainers[2],
                respondent_type=RespondentType.ORGANISATION,
            )
            solution_propose(
                complaint=awaiting[0],
                actor=trainers[2],
                text="Excuses en een gesprek.",
                **letter_parts("solution"),
            )
        return plain + by_post + awaiting

    batch, alone = kinds(at(2026, 3, 2)), kinds(at(2026, 3, 2))
    assert Complaint.objects.get(pk=batch[2].pk).state == State.AWAITING_APPROVAL
    backend = task_backends["default"]
    backend.clear()
    with time_machine.travel(at(2026, 3, 31, 8), tick=False):
        for complaint in alone:
            no_agreement_declare(complaint=complaint, actor=None)
        with django_capture_on_commit_callbacks(execute=True):
            assert no_agreement_start(today=dt.date(2026, 3, 31)) == (3, 0)
    for mine, twin in zip(batch, alone, strict=True):
        assert _outcome(mine) == _outcome(twin)
    plain, by_post, awaiting = (_outcome(c) for c in batch)
    assert plain["complaint"][0] == State.NO_AGREEMENT
    assert plain["event"][:4] == (
        None,
        "Systeem",
        {"state": "in_progress"},
        {"state": "no_agreement", "reason": ""},
    )
    assert awaiting["event"][2] == {"state": "awaiting_approval"}
    assert awaiting["solutions"] == [("withdrawn",)]
    # The approval links stop; the complainant gets a new status link (the first came with
    # the acknowledgement), in the letter too.
    assert [(party, purpose, revoked) for party, purpose, revoked, _e in plain["links"]] == [
        ("complainant", "status", False)
    ] * 2
    assert ("complainant", "approve_solution", True) in {
        (party, purpose, revoked) for party, purpose, revoked, _e in awaiting["links"]
    }
    [(to, status, _s, body, name, _a)] = plain["messages"]
    assert (to, status, name) == ("jan@example.org", "pending", "Jan Jansen") and "/p/LINK" in body
    [(to, status, _s, body, _n, address)] = by_post["messages"]
    assert (to, status, address) == ("", "to_post", "Dorpsstraat 1\n1234 AB Ergens")
    assert "/p/LINK" in body
    delivery = [r for r in backend.results if r.task.func is deliver_messages.func]
    e_mails = messages("no_agreement_notice").filter(complaint__in=batch, status="pending")
    assert [r.args for r in delivery] == [[sorted(e_mails.values_list("pk", flat=True))]]
    assert history_verify_result().ok
    backend.clear()


def test_reminders_of_a_batch_cost_the_same_queries_for_10_and_40_complaints(
    complaints_bulk, secretariat, trainers
):
    """Set-based: the reminders of a batch (half to the handler, half to the secretariat
    while there is no handler) are claimed and written at once, each linking the record page
    its reader may see, in a number of queries that does not grow with the batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from klachtroute.cases.watch import reminders_send
    from klachtroute.organisation.selectors import work_calendar_get

    handler = trainers[2]
    calendar = work_calendar_get()
    today = dt.date(2026, 4, 1)

    def due_tomorrow(n: int, start: int) -> list[Complaint]:
        made = complaints_bulk(n // 2, start=start, handler=handler, state=State.IN_PROGRESS)
        made += complaints_bulk(n - n // 2, start=start + n, state=State.IN_PROGRESS)
        Complaint.objects.filter(pk__in=[c.pk for c in made]).update(
            settle_due=today + dt.timedelta(days=1), next_due=today + dt.timedelta(days=1)
        )
        return made

    def reminder_queries(n: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert reminders_send(today=today, calendar=calendar) == (n, 0)
        return len(queries)

    due_tomorrow(10, 1)
    with_10 = reminder_queries(10)
    made = due_tomorrow(40, 100)
    assert reminder_queries(40) == with_10
    assert reminders_send(today=today, calendar=calendar) == (0, 0)  # each once
    to_handler = messages("deadline_reminder", to=handler.email).filter(complaint__in=made)
    to_secretariat = messages("deadline_reminder", to=secretariat.email).filter(complaint__in=made)
    assert to_handler.count() == to_secretariat.count() == 20
    for message in (to_handler.first(), to_secretariat.first()):
        assert f"/zaken/{message.complaint.number}/" in message.body


def _settlement_passed(n: int, *, handler, course, start: int) -> list[Complaint]:
    """`n` LSR complaints of `handler` in progress, their settlement due in March 2026."""
    from django.utils import timezone

    from klachtroute.procedures.models import ProcedureVersion

    now = timezone.now()
    return Complaint.objects.bulk_create(
        Complaint(
            number=f"K-2026-{start + i:04d}",
            channel="post",
            received_at=now,
            procedure_version=ProcedureVersion.objects.get(procedure__code="lsr"),
            complainant_name=f"Klager {start + i}",
            complaint_date=now.date(),
            description="Een klacht.",
            course=course,
            state=State.IN_PROGRESS,
            handler=handler,
            settle_due=dt.date(2026, 3, 1) + dt.timedelta(days=(i * 7) % 25),
        )
        for i in range(n)
    )


def test_lsr_7b_telling_handlers_costs_the_same_queries_for_5_and_25_handlers(
    lsr_organisation, course, director
):
    """Set-based: the handlers of passed settlements (most with one complaint, one with
    several) are told in one batch, one message each, the claims and history events written
    at once, in a number of queries that grows with neither the handlers nor the
    complaints; each complaint's page is linked for its handler."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from klachtroute.cases.history import history_verify_result
    from klachtroute.cases.watch import settle_missed_tell_handlers

    today = dt.date(2026, 4, 1)

    def handlers_with_passed_settlements(n: int, start: int) -> list:
        people = [
            UserFactory(username=f"behandelaar{start + i}", is_staff_member=True) for i in range(n)
        ]
        for i, person in enumerate(people):
            _settlement_passed(
                3 if i == 0 else 1, handler=person, course=course, start=start + 10 * i
            )
        return people

    def telling_queries(complaints: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert settle_missed_tell_handlers(today=today) == (complaints, 0)
        return len(queries)

    handlers_with_passed_settlements(5, 1000)
    with_5 = telling_queries(3 + 4)
    people = handlers_with_passed_settlements(25, 2000)
    assert telling_queries(3 + 24) == with_5
    assert settle_missed_tell_handlers(today=today) == (0, 0)  # each once
    [many] = messages("settle_missed_many", to=people[0].email)
    assert many.subject == "3 klachten: de afhandeltermijn is verstreken"
    for person in people[1:]:
        [one] = messages("settle_missed", to=person.email)
        [complaint] = Complaint.objects.filter(handler=person)
        assert complaint.number in one.subject
        assert f"/zaken/{complaint.number}/" in one.body
    assert Event.objects.filter(kind="handler_told_settle_missed").count() == 7 + 27
    assert history_verify_result().ok


def test_lsr_7b_a_passed_settlement_another_run_told_of_meanwhile_leaves_the_rest_told_once(
    lsr_organisation, course, director, monkeypatch
):
    """A run at the same moment claims one complaint of the batch after this run read it:
    the batch's claims fail on the unique key and it is done one complaint at a time, so
    that the handler hears of each of the others once, and of that one from the other run."""
    from klachtroute.cases import watch

    today = dt.date(2026, 4, 1)
    handler = UserFactory(username="behandelaar", is_staff_member=True)
    made = _settlement_passed(3, handler=handler, course=course, start=1)
    real = watch._settle_missed_tell_batch

    def claimed_meanwhile(batch, day):
        if len(batch) > 1:
            DeadlineNotice.objects.create(
                complaint=made[1],
                deadline=watch.SETTLE_HANDLER,
                due=made[1].settle_due,
                kind=DeadlineNotice.Kind.MISSED,
            )
        return real(batch, day)

    monkeypatch.setattr(watch, "_settle_missed_tell_batch", claimed_meanwhile)
    assert watch.settle_missed_tell_handlers(today=today) == (2, 0)
    told = messages("settle_missed", to=handler.email)
    assert sorted(told.values_list("complaint", flat=True)) == [made[0].pk, made[2].pk]
    events = Event.objects.filter(kind="handler_told_settle_missed")
    assert sorted(events.values_list("complaint", flat=True)) == [made[0].pk, made[2].pk]
