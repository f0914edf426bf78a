"""What a page costs does not grow with the archive: the worklist of every role under every
filter on its first, next, last and previous page, the record page with a long history and
its older events, and the API list each make as many queries with 60 complaints of long
histories as with 5 complaints of short ones; a complaint sent with the public form costs
as many statements with 60 complaints stored as with 5, and reads the organisation and its
procedure version once."""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from klachtroute.cases.models import Complaint, DefenceRequest, Event
from klachtroute.cases.phrases import Phrase, category_name, moment
from klachtroute.cases.workflow import State
from klachtroute.testing.factories import organisation_create

pytestmark = pytest.mark.django_db
# A note of the test's own (a name, so that the catalogue does not collect it).
NOTE = "Notitie %(n)s over %(category)s, %(at)s."

WORKLIST = "/werk/"
ROLES = ["secretariat", "director", "handler", "exam_committee", "staff_member", "respondent"]
FILTERS = [
    {},
    {"state": "new"},
    {"course": "COURSE"},
    {"handler": "HANDLER"},
    {"q": "Klager"},
    {"overdue": "on"},
    {"waiting": "on"},
]
# The complaints of the worklist tests go round these stages, so that some wait for each
# role and the worklist marks them (and `waiting` finds them) on every page.
STAGES = [State.NEW, State.IN_PROGRESS, State.WITH_DIRECTOR, State.AWAITING_DEFENCE]


def _get(client, url: str, params: dict | None = None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]*)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _history(complaints, n: int) -> None:
    """`n` events more for each complaint (bulk: the count matters here, not the chain),
    each a phrase with a category and a moment, shown in the reader's language."""
    now = timezone.now()

    def event(complaint, i: int) -> Event:
        message, args = Phrase(
            NOTE,
            n=i,
            category=category_name(complaint.category or "onderwijs"),
            at=moment(now),
        ).stored()
        return Event(
            complaint=complaint,
            at=now - dt.timedelta(minutes=i),
            actor_label="Systeem",
            kind="note",
            summary=f"Notitie {i}.",
            message=message,
            message_args=args,
            after={"note": f"Gesprek {i}", "category": complaint.category or "onderwijs"},
        )

    Event.objects.bulk_create(
        [event(complaint, i) for complaint in complaints for i in range(n)], batch_size=500
    )


def _worklist_costs(client, params: dict) -> list[int]:
    """Queries of the first, next, last and previous page (25 to a page, 2 here)."""
    first, html = _get(client, WORKLIST, params)
    costs = [first]
    following = _link(html, "next")
    costs.append(_get(client, WORKLIST + following)[0] if following else None)
    last, html = _get(client, WORKLIST, {**params, "laatste": "1"})
    costs.append(last)
    before = _link(html, "prev")
    costs.append(_get(client, WORKLIST + before)[0] if before else None)
    return costs


@pytest.fixture
def small_pages(monkeypatch):
    # Two complaints to a page, so that a few complaints already make a next and last page.
    from klachtroute.cases import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)


@pytest.mark.parametrize("role", ROLES)
def test_worklist_of_each_role_under_each_filter_costs_as_many_queries_for_60_as_for_5(
    login, complaints_bulk, people, course, role, small_pages
):
    handler = people["handler"]
    in_view = {"respondent": {"respondent": people["respondent"]}}.get(role, {})

    def make(n: int, start: int) -> list[Complaint]:
        made = complaints_bulk(n, start=start, handler=handler, **in_view)
        for i, stage in enumerate(STAGES):
            Complaint.objects.filter(pk__in=[c.pk for c in made[i :: len(STAGES)]]).update(
                state=stage
            )
        if role == "respondent":
            DefenceRequest.objects.bulk_create(
                [
                    DefenceRequest(
                        complaint=c,
                        requested_at=timezone.now(),
                        question="Uw reactie?",
                        due=timezone.localdate(),
                    )
                    for c in made
                ]
            )
        return made

    client = login(people[role])
    filters = [
        {
            key: str(course.pk)
            if value == "COURSE"
            else str(handler.pk)
            if value == "HANDLER"
            else value
            for key, value in f.items()
        }
        for f in FILTERS
    ]
    _history(make(5, 1), 2)
    with_5 = [_worklist_costs(client, f) for f in filters]
    _history(make(55, 6), 30)
    assert Complaint.objects.count() == 60
    with_60 = [_worklist_costs(client, f) for f in filters]
    # Where a page exists at both sizes, it costs the same; the first and last always do.
    for small, large in zip(with_5, with_60, strict=True):
        assert [s for s, _l in zip(small, large, strict=True) if s is not None] == [
            lg for s, lg in zip(small, large, strict=True) if s is not None
        ]


def test_record_page_costs_as_many_queries_with_a_history_of_500_as_with_a_short_one(
    login, posted_complaint, complaints_bulk, secretariat
):
    url = f"/zaken/{posted_complaint.number}/"
    client = login(secretariat)
    _history(complaints_bulk(4, start=101), 3)
    with_short, html = _get(client, url)
    assert _link(html, "prev") is None  # the whole history on one page
    _history(complaints_bulk(55, start=201), 20)
    _history([posted_complaint], 500)
    with_long, html = _get(client, url)
    assert with_long == with_short
    assert "Notitie 1 over" in html  # the events' phrases are rendered, without a query each
    older, _html = _get(client, url + _link(html, "prev"))
    assert older == with_short


@pytest.mark.parametrize("who", ["secretariat", "handler"])
def test_api_list_costs_as_many_queries_for_60_complaints_as_for_5(people, complaints_bulk, who):
    from django.test import Client

    from klachtroute.accounts.models import ApiToken

    _token, raw = ApiToken.objects.create_token(user=people[who], name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.get("/api/v1/complaints")  # a token's first use is recorded once

    def costs() -> list[int]:
        first, body = _get(client, "/api/v1/complaints", {"limit": 2})
        following = re.search(r'"next": "([^"]+)"', body).group(1)
        return [first, _get(client, following)[0]]

    _history(complaints_bulk(5, start=1, handler=people["handler"]), 2)
    with_5 = costs()
    _history(complaints_bulk(55, start=6, handler=people["handler"]), 30)
    assert costs() == with_5


def _public_form_post(course, n: int) -> list[str]:
    """The statements of one complaint sent with the public form (answered with a redirect)."""
    from django.test import Client

    with CaptureQueriesContext(connection) as queries:
        response = Client().post(
            "/klacht/",
            {
                "complainant_name": f"Klager {n}",
                "complainant_phone": "0612345678",
                "complainant_email": f"klager{n}@example.org",
                "complainant_address": "Laan 1\n1234 AB Stad",
                "course": str(course.pk),
                "complaint_date": timezone.localdate().isoformat(),
                "description": "De trainer kwam drie keer te laat en gaf geen uitleg.",
                "submission_token": str(uuid.uuid4()),
            },
        )
    assert response.status_code == 302
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize(
    "preset, auto_assign",
    [("livp", True), ("lsr", False)],
    ids=["assigned-automatically", "acknowledged-at-registration"],
)
def test_a_complaint_from_the_public_form_costs_as_many_statements_with_60_stored_as_with_5(
    course, trainers, preset, auto_assign
):
    organisation = organisation_create(preset=preset, auto_assign=auto_assign)
    version = organisation.active_procedure.versions.first()

    def stored(n: int, start: int) -> None:
        # Open complaints, half of them with a handler: what the automatic pick counts.
        Complaint.objects.bulk_create(
            Complaint(
                number=f"K-1999-{start + i:04d}",
                channel="post",
                received_at=timezone.now() - dt.timedelta(hours=i),
                procedure_version=version,
                complainant_name=f"Eerder {start + i}",
                complaint_date=timezone.localdate() - dt.timedelta(days=1),
                description="Een klacht die al in het archief staat.",
                course=course,
                state=State.IN_PROGRESS if i % 2 else State.NEW,
                handler=trainers[2] if i % 2 else None,
            )
            for i in range(n)
        )

    _public_form_post(course, 0)  # the year's first also creates the year's counter
    stored(4, 1)
    with_5 = _public_form_post(course, 1)
    stored(55, 6)
    with_60 = _public_form_post(course, 2)

    assert len(with_60) == len(with_5)
    for table in ("organisation_organisation", "procedures_procedureversion"):
        reads = [sql for sql in with_60 if sql.startswith("SELECT") and f'FROM "{table}"' in sql]
        assert len(reads) == 1, table


def test_record_page_reads_no_part_the_complaint_has_none_of(login, posted_complaint, secretariat):
    from klachtroute.cases.models import Extension, Findings, Ruling, Solution
    from klachtroute.measures.models import Measure

    tables = [
        model._meta.db_table
        for model in (Solution, Findings, DefenceRequest, Ruling, Extension, Measure)
    ]
    client = login(secretariat)
    _count, html = _get(client, f"/zaken/{posted_complaint.number}/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/zaken/{posted_complaint.number}/")
    reading_parts = [q["sql"] for q in queries if any(f'"{t}"' in q["sql"] for t in tables)]
    # Only the complaint's own query, which says it has none of them.
    assert len(reading_parts) == 1
    assert 'FROM "cases_complaint"' in reading_parts[0]
    assert posted_complaint.number in html


def test_api_list_of_25_costs_what_a_list_of_2_costs_and_says_what_the_complaints_say(
    people, complaints_bulk
):
    import json

    from django.test import Client
    from ninja.responses import NinjaJSONEncoder

    from klachtroute.accounts.models import ApiToken
    from klachtroute.api.schemas import ComplaintSummaryOut

    _token, raw = ApiToken.objects.create_token(user=people["secretariat"], name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.get("/api/v1/complaints")  # a token's first use is recorded once
    complaints_bulk(30, start=1, handler=people["handler"])
    two, _body = _get(client, "/api/v1/complaints", {"limit": 2})
    many, body = _get(client, "/api/v1/complaints", {"limit": 25})
    assert many == two
    items = json.loads(body)["items"]
    assert len(items) == 25
    for item in items:
        complaint = Complaint.objects.get(number=item["number"])  # every column
        full = ComplaintSummaryOut.model_validate(complaint).model_dump()
        assert json.loads(json.dumps(full, cls=NinjaJSONEncoder)) == item
