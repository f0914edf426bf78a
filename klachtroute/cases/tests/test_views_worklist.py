"""The worklist: who sees what, filters, search, paging, deadlines."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klachtroute.cases.models import WORKLIST_ORDER, Complaint
from klachtroute.cases.services import complaint_register
from klachtroute.cases.templatetags.deadlines import days_left
from klachtroute.cases.workflow import State
from klachtroute.deadlines import WorkCalendar
from klachtroute.testing.factories import CourseFactory, complaint_data

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db
WORKLIST = "/werk/"


def numbers_on(response) -> list[str]:
    return re.findall(
        r'<th scope="row"><a href="/zaken/(K-\d{4}-\d{4})/">', response.content.decode()
    )


def test_worklist_address_and_login_required(client):
    assert reverse("cases:worklist") == WORKLIST
    response = client.get(WORKLIST)
    assert response.status_code == 302
    assert response.url.startswith("/inloggen/?next=/werk/")


def test_livp_4_handler_sees_only_the_complaints_assigned_to_them(
    login, complaints_bulk, trainers, secretariat, director
):
    complaints_bulk(2, start=1, handler=trainers[2])
    complaints_bulk(3, start=3, handler=trainers[0])
    complaints_bulk(1, start=6)

    assert sorted(numbers_on(login(trainers[2]).get(WORKLIST))) == ["K-2026-0001", "K-2026-0002"]
    assert len(numbers_on(login(trainers[0]).get(WORKLIST))) == 3
    assert len(numbers_on(login(secretariat).get(WORKLIST))) == 6
    assert len(numbers_on(login(director).get(WORKLIST))) == 6


def test_trainer_not_involved_sees_nothing_and_gets_404_on_the_address(
    login, complaints_bulk, trainers
):
    complaints_bulk(2, handler=trainers[2])
    outsider = login(trainers[1])
    response = outsider.get(WORKLIST)
    assert response.status_code == 200
    assert numbers_on(response) == []
    assert "Er zijn geen klachten voor u." in response.content.decode()
    assert outsider.get("/zaken/K-2026-0001/").status_code == 404


def test_worklist_nearest_deadline_first_without_deadline_last(login, complaints_bulk, secretariat):
    today = timezone.localdate()
    complaints_bulk(1, start=1, next_due=today + dt.timedelta(days=9))
    complaints_bulk(1, start=2, next_due=None)
    complaints_bulk(1, start=3, next_due=today + dt.timedelta(days=1))
    complaints_bulk(1, start=4, next_due=today - dt.timedelta(days=3))
    assert numbers_on(login(secretariat).get(WORKLIST)) == [
        "K-2026-0004",
        "K-2026-0003",
        "K-2026-0001",
        "K-2026-0002",
    ]


def test_worklist_filters_by_state_course_and_handler(
    login, complaints_bulk, secretariat, trainers
):
    other_course = CourseFactory(name="Vervolgopleiding")
    complaints_bulk(2, start=1, state=State.NEW)
    complaints_bulk(1, start=3, state=State.IN_PROGRESS, handler=trainers[2])
    complaints_bulk(1, start=4, state=State.SETTLED, course=other_course)
    client = login(secretariat)

    assert numbers_on(client.get(WORKLIST, {"state": "new"})) == ["K-2026-0001", "K-2026-0002"]
    assert numbers_on(client.get(WORKLIST, {"course": other_course.pk})) == ["K-2026-0004"]
    assert numbers_on(client.get(WORKLIST, {"handler": trainers[2].pk})) == ["K-2026-0003"]
    both = client.get(WORKLIST, {"state": "in_progress", "course": other_course.pk})
    assert numbers_on(both) == []
    assert "Geen klachten gevonden die aan deze filters voldoen." in both.content.decode()


def test_worklist_ignores_nonsense_filter_values(login, complaints_bulk, secretariat):
    complaints_bulk(2)
    response = login(secretariat).get(WORKLIST, {"state": "bogus", "course": "x", "handler": "99"})
    assert response.status_code == 200
    assert len(numbers_on(response)) == 2


def test_worklist_searches_by_number_and_by_complainant_name(login, complaints_bulk, secretariat):
    complaints_bulk(12)
    Complaint.objects.filter(number="K-2026-0007").update(complainant_name="Fatima Bakker")
    client = login(secretariat)
    assert numbers_on(client.get(WORKLIST, {"q": "K-2026-0011"})) == ["K-2026-0011"]
    assert numbers_on(client.get(WORKLIST, {"q": "bakker"})) == ["K-2026-0007"]
    assert numbers_on(client.get(WORKLIST, {"q": "niemand"})) == []


def test_worklist_search_stays_within_what_the_handler_may_see(login, complaints_bulk, trainers):
    complaints_bulk(1, start=1, handler=trainers[2])
    complaints_bulk(1, start=2, handler=trainers[0])
    assert numbers_on(login(trainers[2]).get(WORKLIST, {"q": "K-2026-0002"})) == []


def link(response, rel: str) -> str | None:
    """The address of the page link `rel` (first, prev, next, last), or None."""
    found = re.search(rf'rel="{rel}" href="([^"]*)"', response.content.decode())
    return found.group(1).replace("&amp;", "&") if found else None


def test_worklist_is_paged_by_25_with_first_previous_next_and_last_keeping_the_filters(
    login, complaints_bulk, secretariat
):
    complaints_bulk(60, state=State.NEW)
    complaints_bulk(3, start=101, state=State.IN_PROGRESS)
    client = login(secretariat)
    first = client.get(WORKLIST, {"state": "new"})
    assert len(numbers_on(first)) == 25 and "60 klachten" in first.content.decode()
    assert link(first, "prev") is None and link(first, "first") is None
    assert link(first, "next").startswith("?state=new&na=")
    assert link(first, "last") == "?state=new&laatste=1"
    second = client.get(WORKLIST + link(first, "next"))
    third = client.get(WORKLIST + link(second, "next"))
    assert (len(numbers_on(second)), len(numbers_on(third))) == (25, 10)
    assert link(third, "next") is None and link(third, "last") is None
    pages = numbers_on(first) + numbers_on(second) + numbers_on(third)
    # Every complaint of the filter once, in the worklist's order.
    expected = Complaint.objects.filter(state=State.NEW).order_by(*WORKLIST_ORDER)
    assert pages == [c.number for c in expected]
    # The last page is the one paging forward ends on; back from it, the same pages.
    last = client.get(WORKLIST + link(first, "last"))
    assert numbers_on(last) == numbers_on(third)
    back = client.get(WORKLIST + link(last, "prev"))
    assert numbers_on(back) == numbers_on(second)
    assert numbers_on(client.get(WORKLIST + link(back, "prev"))) == numbers_on(first)
    assert link(back, "first") == "?state=new"


def test_worklist_ignores_a_cursor_it_did_not_give(login, complaints_bulk, secretariat):
    complaints_bulk(30)
    client = login(secretariat)
    first = numbers_on(client.get(WORKLIST))
    for cursor in ["x", "bm90IGpzb24", "WzEsMiwzXQ", "W251bGwsIjIwMjYtMDEtMDEiLDFd"]:
        assert numbers_on(client.get(WORKLIST, {"na": cursor})) == first
        assert numbers_on(client.get(WORKLIST, {"voor": cursor})) == first


def _queries_for_worklist(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        if isinstance(params, str):  # a page link: "?q=...&na=..."
            response = client.get(WORKLIST + params)
        else:
            response = client.get(WORKLIST, params or {})
    assert response.status_code == 200
    return len(queries)


def test_worklist_makes_as_many_queries_for_500_complaints_as_for_10(
    login, complaints_bulk, secretariat, trainers
):
    client = login(secretariat)
    complaints_bulk(10, start=1, handler=trainers[2])
    with_10 = _queries_for_worklist(client)
    filtered_10 = _queries_for_worklist(client, {"q": "Klager"})
    complaints_bulk(490, start=11, handler=trainers[0])
    assert Complaint.objects.count() == 500
    assert _queries_for_worklist(client) == with_10
    assert _queries_for_worklist(client, {"q": "Klager"}) == filtered_10
    second = link(client.get(WORKLIST, {"q": "Klager"}), "next")
    assert _queries_for_worklist(client, second) == filtered_10


def test_worklist_of_a_handler_makes_as_many_queries_for_500_as_for_10(
    login, complaints_bulk, trainers
):
    client = login(trainers[2])
    complaints_bulk(10, start=1, handler=trainers[2])
    with_10 = _queries_for_worklist(client)
    complaints_bulk(490, start=11, handler=trainers[2])
    assert _queries_for_worklist(client) == with_10


def test_livp_3_worklist_marks_overdue_complaints(login, organisation, course, secretariat):
    # Received Friday 6 March 2026: acknowledgement due Monday 9 March (LIVP-3).
    received = dt.datetime(2026, 3, 6, 10, tzinfo=AMS)
    with time_machine.travel(received, tick=False):
        late = complaint_register(
            **complaint_data(actor=secretariat, channel="post", received_at=received)
        )
    with time_machine.travel(dt.datetime(2026, 3, 11, 12, tzinfo=AMS), tick=False):
        fresh = complaint_register(
            **complaint_data(actor=secretariat, channel="phone", complainant_name="Nieuw")
        )
        html = login(secretariat).get(WORKLIST).content.decode()
        # The filter "only with a passed deadline" shows the late one alone.
        only_late = login(secretariat).get(WORKLIST, {"overdue": "on"})
    assert numbers_on(only_late) == [late.number]
    found = re.findall(r'<tr class="([^"]*)">\s*<th scope="row"><a href="/zaken/([^/]+)/', html)
    rows = {number: cls for cls, number in found}
    assert late.acknowledge_due == dt.date(2026, 3, 9)
    assert rows[late.number] == "overdue"
    assert rows[fresh.number] == ""
    assert "Te laat" in html
    assert "2 werkdagen te laat" in html  # Tuesday and Wednesday after Monday's deadline
    assert "nog 1 werkdag" in html  # the fresh one: due Thursday


@pytest.mark.parametrize(
    "today, due, text",
    [
        (dt.date(2026, 3, 11), dt.date(2026, 3, 11), "vandaag"),
        (dt.date(2026, 3, 11), dt.date(2026, 3, 12), "nog 1 werkdag"),
        (dt.date(2026, 3, 11), dt.date(2026, 3, 16), "nog 3 werkdagen"),
        (dt.date(2026, 3, 11), dt.date(2026, 3, 9), "2 werkdagen te laat"),
        (dt.date(2026, 3, 10), dt.date(2026, 3, 9), "1 werkdag te laat"),
        (dt.date(2026, 3, 14), dt.date(2026, 3, 13), "verlopen"),  # Saturday after Friday
        (dt.date(2026, 4, 24), dt.date(2026, 4, 28), "nog 1 werkdag"),  # King's Day between
    ],
)
def test_days_left_counts_working_days(today, due, text):
    with time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=AMS), tick=False):
        assert days_left(due, WorkCalendar()) == text


def test_days_left_uses_the_organisations_closing_days():
    closed = WorkCalendar(closing_days={dt.date(2026, 3, 12)})
    with time_machine.travel(dt.datetime(2026, 3, 11, 12, tzinfo=AMS), tick=False):
        assert days_left(dt.date(2026, 3, 13), closed) == "nog 1 werkdag"
        assert days_left(None, closed) == ""


@pytest.mark.parametrize(
    "role", ["secretariat", "director", "handler", "exam_committee", "staff_member"]
)
def test_worklist_of_each_role_makes_as_many_queries_for_40_complaints_as_for_5(
    login, complaints_bulk, people, role
):
    client = login(people[role])
    complaints_bulk(5, start=1, handler=people["handler"])
    with_5 = _queries_for_worklist(client)
    filters = {"state": "new", "course": "", "q": "Klager"}
    filtered_5 = _queries_for_worklist(client, filters)
    complaints_bulk(35, start=6, handler=people["handler"])
    assert _queries_for_worklist(client) == with_5
    assert _queries_for_worklist(client, filters) == filtered_5


def test_worklist_handler_filter_offers_the_people_who_may_handle_without_reading_complaints(
    login, secretariat, director, trainers
):
    from klachtroute.testing.factories import UserFactory

    UserFactory(username="mw", first_name="Mara", last_name="Werk", is_staff_member=True)
    UserFactory(username="weg", first_name="Wim", last_name="Weg", is_trainer=True, is_active=False)
    with CaptureQueriesContext(connection) as queries:
        page = login(secretariat).get(WORKLIST).content.decode()
    handler_select = page.split('name="handler"')[1].split("</select>")[0]
    # Trainers, staff members and directors, though none handles a complaint yet.
    for person in [*trainers, director]:
        assert person.display_name in handler_select
    assert "Mara Werk" in handler_select
    assert "Wim Weg" not in handler_select and secretariat.display_name not in handler_select
    people_queries = [
        q["sql"] for q in queries.captured_queries if 'FROM "accounts_user"' in q["sql"]
    ]
    assert people_queries and not any("cases_complaint" in sql for sql in people_queries)


def test_worklist_counts_exactly_up_to_the_cap_and_says_more_than_beyond_it(
    login, complaints_bulk, secretariat, monkeypatch
):
    from klachtroute.cases import views

    monkeypatch.setattr(views, "COUNT_CAP", 30)
    complaints_bulk(30)
    client = login(secretariat)
    assert "30 klachten" in client.get(WORKLIST).content.decode()
    complaints_bulk(1, start=31)
    first = client.get(WORKLIST)
    assert "meer dan 30 klachten" in first.content.decode()
    second = client.get(WORKLIST + link(first, "next"))
    assert len(numbers_on(second)) == 6
    assert 'rel="next"' not in second.content.decode()
    # Beyond the cap the last page is a full page: the last 25 of the list; back from it
    # lie fewer than a page, so "previous" shows the first page.
    last = client.get(WORKLIST + link(first, "last"))
    assert numbers_on(last) == (numbers_on(first) + numbers_on(second))[-25:]
    assert numbers_on(client.get(WORKLIST + link(last, "prev"))) == numbers_on(first)
    with_english = client.get("/en" + WORKLIST).content.decode()
    assert "more than 30 complaints" in with_english


def waiting_on(response) -> list[str]:
    """The numbers of the rows marked "Wacht op u", in the order of the list."""
    rows = response.content.decode().split("<tr")[1:]
    return [
        re.search(r"/zaken/(K-\d{4}-\d{4})/", row).group(1)
        for row in rows
        if 'class="badge waiting"' in row
    ]


@pytest.fixture
def complaints_in_every_stage(complaints_bulk, trainers):
    """One complaint in each stage that matters here: K-2026-0001 with the director,
    0002 following up a binding advice, 0003 in progress with trainer 3, 0004 new,
    0005 awaiting the respondent's defence, 0006 settled."""
    complaints_bulk(1, start=1, state=State.WITH_DIRECTOR)
    complaints_bulk(1, start=2, state=State.ADVICE_FOLLOW_UP)
    complaints_bulk(1, start=3, state=State.IN_PROGRESS, handler=trainers[2])
    complaints_bulk(1, start=4, state=State.NEW)
    complaints_bulk(1, start=5, state=State.AWAITING_DEFENCE, respondent=trainers[1])
    complaints_bulk(1, start=6, state=State.SETTLED)


def test_director_worklist_marks_complaints_waiting_for_the_director(
    login, complaints_in_every_stage, director
):
    response = login(director).get(WORKLIST)
    assert len(numbers_on(response)) == 6
    # The director's steps: the ruling (and the defence asked first), and the binding
    # advice carried out; nothing else is theirs to take.
    assert sorted(waiting_on(response)) == ["K-2026-0001", "K-2026-0002"]


def test_a_director_who_handles_a_complaint_sees_it_waits_for_them_as_handler(
    login, complaints_bulk, director
):
    complaints_bulk(1, start=1, state=State.IN_PROGRESS, handler=director)
    complaints_bulk(1, start=2, state=State.IN_PROGRESS)
    assert waiting_on(login(director).get(WORKLIST)) == ["K-2026-0001"]


def test_waiting_filter_shows_only_what_waits_for_the_user(
    login, complaints_in_every_stage, director, secretariat, trainers
):
    director_sees = login(director).get(WORKLIST, {"waiting": "on"})
    assert sorted(numbers_on(director_sees)) == ["K-2026-0001", "K-2026-0002"]
    assert 'name="waiting" id="id_waiting" checked' in director_sees.content.decode()
    handler_sees = login(trainers[2]).get(WORKLIST, {"waiting": "on"})
    assert numbers_on(handler_sees) == ["K-2026-0003"]
    # The secretariat drives the other stages: registering, routing, the advice, the defence.
    assert sorted(numbers_on(login(secretariat).get(WORKLIST, {"waiting": "on"}))) == [
        "K-2026-0002",
        "K-2026-0003",
        "K-2026-0004",
        "K-2026-0005",
    ]
    # Every row the filter shows is marked, and with the filter off the list is whole again.
    assert waiting_on(director_sees) == numbers_on(director_sees)
    assert len(numbers_on(login(director).get(WORKLIST))) == 6


def test_what_waits_for_a_person_stays_within_what_they_may_see(
    complaints_in_every_stage, trainers
):
    """The respondent of 0005 writes the defence, but sees the complaint (and so hears that
    it waits for them) only once the director asked them for it (LSR-6e)."""
    from klachtroute.cases.models import DefenceRequest
    from klachtroute.cases.selectors import complaints_waiting_for

    respondent = trainers[1]
    assert list(complaints_waiting_for(respondent)) == []
    complaint = Complaint.objects.get(number="K-2026-0005")
    DefenceRequest.objects.create(
        complaint=complaint,
        requested_at=timezone.now(),
        question="Uw reactie?",
        due=timezone.localdate(),
    )
    with CaptureQueriesContext(connection) as queries:
        waiting = list(complaints_waiting_for(respondent))
    assert waiting == [complaint]
    assert len(queries) == 1
    # Another trainer handles nothing here: nothing waits for them.
    assert list(complaints_waiting_for(trainers[0])) == []


def test_worklist_filter_lists_are_the_lists_django_would_write(course, trainers):
    """The worklist's one-pass options (courses, states, people) say what Django's widget
    says: the same options in the same order, the chosen one selected, names escaped."""
    from klachtroute.cases.forms import WorklistFilterForm
    from klachtroute.cases.templatetags.select_options import options

    CourseFactory(name="Opleiding <b>& meer</b>")
    CourseFactory(name="Aardrijkskunde")
    for data in (None, {"course": str(course.pk), "state": "new", "handler": str(trainers[1].pk)}):
        form = WorklistFilterForm(data, show_handler=True)
        for name in ("course", "state", "handler"):
            widget = form[name].as_widget()
            inner = re.sub(r"\s*\n\s*", "", widget[widget.index(">") + 1 : widget.rindex("<")])
            assert options(form[name]) == inner
