"""Retention (LIVP-10, AVG): after the retention period a closed complaint keeps only the
anonymous facts for statistics; a legal hold keeps it whole until lifted.

Dates: complaints are closed on Monday 1 March 2021 (or 2022); with five years' retention
the 2021 complaint is kept through 1 March 2026 and purged from 2 March 2026 on.
"""

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from klachtroute.cases.history import history_verify
from klachtroute.cases.models import Complaint, Document, Event, Extension, Solution
from klachtroute.cases.services import (
    complaint_assign_handler,
    complaint_register,
    complaint_withdraw,
    first_contact_record,
    settlement_extend,
    solution_propose,
)
from klachtroute.links.models import PrivateLink
from klachtroute.operations.periodic import periodic_run
from klachtroute.privacy.selectors import complaints_due_for_purge, complaints_purge_preview
from klachtroute.privacy.services import (
    anonymised_summary_set,
    complaint_legal_hold_set,
    complaint_purge,
    retention_purge_due,
)
from klachtroute.reports.selectors import annual_report
from klachtroute.testing.factories import complaint_data, letter_parts

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db

NAME = "Annelies Vermeulen-Bakker"
EMAIL = "annelies.vermeulen@example.org"
PHONE = "0687654321"
ADDRESS = "Kerkstraat 12\n9999 ZZ Uithoorn"
DESCRIPTION = "Mevrouw Vermeulen werd door de trainer uitgelachen tijdens de les."
SOLUTION = "Excuses aan mevrouw Vermeulen en een gesprek met de trainer."
NOTE = "Gebeld met Annelies op haar mobiele nummer."
EXTENSION = "Wachten op de verklaring van mevrouw Vermeulen."
PERSONAL = (NAME, EMAIL, PHONE, "Kerkstraat", "Vermeulen", "Annelies")


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=AMS)


def closed_complaint(year: int, *, course, secretariat, trainers) -> Complaint:
    """A complaint with personal data everywhere, withdrawn on Monday 1 March of `year`."""
    with time_machine.travel(at(year, 2, 15), tick=False):
        complaint = complaint_register(
            **complaint_data(
                actor=secretariat,
                channel="post",
                course=course,
                complainant_name=NAME,
                complainant_email=EMAIL,
                complainant_phone=PHONE,
                complainant_address=ADDRESS,
                representative_name="Peter Vermeulen",
                description=DESCRIPTION,
                remedy_sought="Excuses van de trainer.",
                respondent_type="organisation",
                respondent_description="Trainer Kees",
                document=SimpleUploadedFile(
                    "klacht Vermeulen.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
                ),
            )
        )
        if complaint.handler_id is None:
            complaint = complaint_assign_handler(
                complaint=complaint, handler=trainers[2], actor=secretariat
            )
    handler = complaint.handler
    assert handler is not None
    with time_machine.travel(at(year, 2, 17), tick=False):
        first_contact_record(
            complaint=complaint,
            actor=handler,
            method="phone",
            contacted_at=at(year, 2, 17, 9),
            note=NOTE,
        )
        settlement_extend(
            complaint=complaint,
            actor=secretariat,
            new_due=dt.date(year, 4, 29),
            reason=EXTENSION,
        )
    with time_machine.travel(at(year, 2, 22), tick=False):
        solution_propose(
            complaint=Complaint.objects.get(pk=complaint.pk),
            actor=handler,
            text=SOLUTION,
            **letter_parts("solution"),
        )
    with time_machine.travel(at(year, 3, 1), tick=False):
        complaint = complaint_withdraw(
            complaint=Complaint.objects.get(pk=complaint.pk),
            actor=secretariat,
            reason="Mevrouw Vermeulen wil verder met haar leven.",
        )
    return Complaint.objects.get(pk=complaint.pk)


@pytest.fixture
def old(organisation, course, secretariat, trainers):
    """Closed 1 March 2021: past its five years on 2 March 2026."""
    return closed_complaint(2021, course=course, secretariat=secretariat, trainers=trainers)


@pytest.fixture
def recent(organisation, course, secretariat, trainers):
    """Closed 1 March 2022: four years old on 2 March 2026."""
    return closed_complaint(2022, course=course, secretariat=secretariat, trainers=trainers)


@pytest.fixture
def purge_on(django_capture_on_commit_callbacks):
    """purge_on(moment) -> the purge report of a run at that moment, its commit hooks run."""

    def _purge(day: dt.datetime, **kwargs):
        with (
            time_machine.travel(day, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return retention_purge_due(day.date(), **kwargs)

    return _purge


def stored_files(settings) -> set:
    return {p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()}


def everything_stored_about(complaint: Complaint) -> str:
    """The complaint's rows and those of its steps, messages, links and history as text."""
    complaint = Complaint.objects.get(pk=complaint.pk)
    parts = [
        json.dumps(
            {f.attname: str(getattr(complaint, f.attname)) for f in Complaint._meta.concrete_fields}
        )
    ]
    for qs in (
        complaint.solutions.values(),
        complaint.extensions.values(),
        complaint.documents.values(),
        complaint.messages.values(),
        complaint.links.values(),
        complaint.events.values(),
    ):
        parts.extend(json.dumps(row, default=str) for row in qs)
    return "\n".join(parts)


def test_livp_10_fixture_holds_personal_data_before_the_purge(old):
    text = everything_stored_about(old)
    for value in PERSONAL:
        assert value in text
    assert old.documents.count() == 1
    assert old.messages.exists()
    assert old.links.exists()


def test_livp_10_complaint_closed_five_years_and_a_day_ago_is_purged(
    old, recent, settings, purge_on
):
    document_file = settings.MEDIA_ROOT / old.documents.get().file.name
    assert document_file.exists()
    facts_before = (
        Complaint.objects.filter(pk=old.pk)
        .values(
            "number",
            "received_at",
            "settled_at",
            "channel",
            "course",
            "category",
            "state",
            "outcome",
            "settle_due",
            "acknowledge_due",
            "procedure_version",
            "handler",
        )
        .get()
    )

    report = purge_on(at(2026, 3, 2, 3))

    assert report.purged == [old.number]
    old = Complaint.objects.get(pk=old.pk)
    assert old.purged_at is not None
    assert old.complainant_name == "[verwijderd]"
    for name in (
        "complainant_email",
        "complainant_phone",
        "complainant_address",
        "representative_name",
        "description",
        "remedy_sought",
        "respondent_description",
        "first_contact_note",
    ):
        assert getattr(old, name) == "", name
    # Nothing personal left anywhere on the complaint, its steps, messages or history.
    text = everything_stored_about(old)
    for value in PERSONAL:
        assert value not in text, value
    assert Solution.objects.get(complaint=old).text == ""
    assert Extension.objects.get(complaint=old).reason == ""
    # Documents: rows and files gone; messages kept but empty; links gone.
    assert not Document.objects.filter(complaint=old).exists()
    assert not document_file.exists()
    assert old.messages.exists()
    assert set(
        old.messages.values_list("to", "subject", "body", "recipient_name", "postal_address")
    ) == {("", "", "", "", "")}
    assert not PrivateLink.objects.filter(complaint=old).exists()
    # The anonymous facts for the statistics are unchanged.
    facts_after = Complaint.objects.filter(pk=old.pk).values(*facts_before).get()
    assert facts_after == facts_before
    # The history still verifies, and records the purge without the data.
    assert history_verify() == []
    purged = old.events.get(kind="purged")
    assert purged.redacted_at is None
    assert {
        "complainant_details",
        "complaint_texts",
        "documents",
        "message_contents",
        "private_links",
        "step_texts",
        "history_details",
    } <= set(purged.after["removed"])
    assert all(e.summary == "[verwijderd]" for e in old.events.exclude(kind="purged"))
    # The four-year-old complaint is untouched.
    recent = Complaint.objects.get(pk=recent.pk)
    assert recent.purged_at is None
    assert recent.complainant_name == NAME
    assert recent.documents.count() == 1


def test_livp_10_complaint_is_kept_through_its_last_day(old, purge_on):
    assert purge_on(at(2026, 3, 1, 23, 30)).purged == []
    assert Complaint.objects.get(pk=old.pk).complainant_name == NAME


def test_livp_10_complaint_closed_four_years_ago_is_not_purged(recent, purge_on):
    assert purge_on(at(2026, 3, 2, 3)).purged == []
    recent = Complaint.objects.get(pk=recent.pk)
    assert recent.purged_at is None
    assert recent.description == DESCRIPTION


def test_livp_10_retention_years_come_from_the_procedure_version(old, purge_on):
    version = old.procedure_version
    version.definition = {**version.definition, "retention_years": 7}
    version.save()
    assert purge_on(at(2026, 3, 2, 3)).purged == []
    assert purge_on(at(2028, 3, 2, 3)).purged == [old.number]


def test_livp_10_complaint_under_legal_hold_is_kept_until_the_hold_is_lifted(
    old, director, purge_on
):
    complaint_legal_hold_set(complaint=old, actor=director, hold=True, reason="Lopende rechtszaak.")
    assert purge_on(at(2026, 3, 2, 3)).purged == []
    with pytest.raises(ValidationError):
        complaint_purge(complaint=old)
    assert Complaint.objects.get(pk=old.pk).complainant_name == NAME

    complaint_legal_hold_set(complaint=old, actor=director, hold=False, reason="")
    assert purge_on(at(2026, 3, 3, 3)).purged == [old.number]
    old = Complaint.objects.get(pk=old.pk)
    assert old.complainant_name == "[verwijderd]"
    assert old.legal_hold_reason == ""
    kinds = list(old.events.values_list("kind", flat=True))
    assert "legal_hold_set" in kinds and "legal_hold_lifted" in kinds


def test_livp_10_legal_hold_needs_a_reason_and_the_secretariat_or_director(old, trainers):
    with pytest.raises(ValidationError):
        complaint_legal_hold_set(complaint=old, actor=trainers[0], hold=True, reason="Rechtszaak")
    with pytest.raises(ValidationError):
        complaint_legal_hold_set(complaint=old, actor=None, hold=True, reason="Rechtszaak")
    assert not Complaint.objects.get(pk=old.pk).legal_hold


def test_livp_10_running_twice_purges_once(old, purge_on):
    assert purge_on(at(2026, 3, 2, 3)).purged == [old.number]
    assert purge_on(at(2026, 3, 2, 4)).purged == []
    complaint_purge(complaint=old)
    assert Event.objects.filter(complaint=old, kind="purged").count() == 1
    assert history_verify() == []


def test_livp_10_open_complaint_is_never_purged(organisation, course, purge_on):
    with time_machine.travel(at(2020, 3, 2), tick=False):
        complaint = complaint_register(**complaint_data(course=course))
    assert purge_on(at(2026, 3, 2, 3)).purged == []
    with pytest.raises(ValidationError):
        complaint_purge(complaint=complaint)


def test_livp_10_dry_run_changes_nothing(old, settings):
    files = stored_files(settings)
    before = everything_stored_about(old)
    out = StringIO()
    with time_machine.travel(at(2026, 3, 2, 3), tick=False):
        call_command("purge_expired", "--dry-run", stdout=out)
    assert f"would purge: {old.number}" in out.getvalue()
    assert everything_stored_about(old) == before
    assert stored_files(settings) == files

    out = StringIO()
    with time_machine.travel(at(2026, 3, 2, 3), tick=False):
        call_command("purge_expired", stdout=out)
    assert f"purged: {old.number}" in out.getvalue()
    assert Complaint.objects.get(pk=old.pk).purged_at is not None


def test_livp_10_deadline_watcher_runs_the_purge(old):
    with time_machine.travel(at(2026, 3, 2, 3), tick=False):
        report = periodic_run()
    assert report.errors == 0
    assert Complaint.objects.get(pk=old.pk).purged_at is not None


def test_livp_10_files_stay_when_the_purge_rolls_back(
    old, settings, monkeypatch, django_capture_on_commit_callbacks
):
    document_file = settings.MEDIA_ROOT / old.documents.get().file.name
    from klachtroute.privacy import services as retention

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(retention, "events_record_many", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        complaint_purge(complaint=old)
    assert document_file.exists()
    old = Complaint.objects.get(pk=old.pk)
    assert old.complainant_name == NAME
    assert old.documents.count() == 1
    assert history_verify() == []


def test_livp_10_preview_lists_what_the_next_30_days_purge(old, recent, director):
    old_number, recent_number = old.number, recent.number
    # The 2021 complaint is purged on 2 March 2026: 31 days after 30 January, 30 after 31.
    assert list(complaints_purge_preview(today=dt.date(2026, 1, 30))) == []
    assert [c.number for c in complaints_purge_preview(today=dt.date(2026, 1, 31))] == [old_number]
    assert list(complaints_purge_preview(today=dt.date(2026, 1, 31), days=29)) == []
    assert [c.number for c in complaints_purge_preview(today=dt.date(2026, 2, 2))] == [old_number]
    complaint_legal_hold_set(complaint=old, actor=director, hold=True, reason="Rechtszaak.")
    # A held complaint is listed (so the hold can be reviewed) but not due.
    assert [c.number for c in complaints_purge_preview(today=dt.date(2026, 2, 2))] == [old_number]
    assert list(complaints_due_for_purge(today=dt.date(2026, 3, 2))) == []
    assert [c.number for c in complaints_purge_preview(today=dt.date(2027, 2, 15))] == [
        old_number,
        recent_number,
    ]


def test_livp_10_preview_page_for_the_administrator_without_personal_data(
    old, administrator, trainers
):
    client = Client()
    client.force_login(administrator)
    with time_machine.travel(at(2026, 2, 10), tick=False):
        response = client.get("/bewaartermijn/")
    assert response.status_code == 200
    html = response.content.decode()
    assert old.number in html
    assert "2 maart 2026" in html
    for value in PERSONAL:
        assert value not in html
    # A trainer does not get the page.
    client.force_login(trainers[0])
    assert client.get("/bewaartermijn/").status_code == 404


def test_livp_10_record_page_sets_and_lifts_a_legal_hold(old, director, secretariat):
    client = Client()
    client.force_login(director)
    page = client.get(f"/zaken/{old.number}/").content.decode()
    assert f"/zaken/{old.number}/bewaarplicht/" in page
    response = client.post(
        f"/zaken/{old.number}/bewaarplicht/", {"hold": "1", "reason": "Lopende rechtszaak."}
    )
    assert response.status_code == 302
    old = Complaint.objects.get(pk=old.pk)
    assert old.legal_hold and old.legal_hold_reason == "Lopende rechtszaak."
    assert "Lopende rechtszaak." in client.get(f"/zaken/{old.number}/").content.decode()
    client.post(f"/zaken/{old.number}/bewaarplicht/", {"hold": "0"})
    assert not Complaint.objects.get(pk=old.pk).legal_hold


def test_livp_10_handler_cannot_set_a_legal_hold(old):
    client = Client()
    client.force_login(old.handler)
    response = client.post(f"/zaken/{old.number}/bewaarplicht/", {"hold": "1", "reason": "x"})
    assert response.status_code == 404
    assert not Complaint.objects.get(pk=old.pk).legal_hold


def test_lsr_8b_secretariat_writes_the_anonymised_summary_which_survives_the_purge(
    old, secretariat, director, purge_on
):
    client = Client()
    client.force_login(secretariat)
    url = f"/zaken/{old.number}/samenvatting/"
    assert client.get(url).status_code == 200
    summary = "Een cursist voelde zich tijdens de les niet serieus genomen."
    assert client.post(url, {"summary": summary}).status_code == 302
    assert Complaint.objects.get(pk=old.pk).anonymised_summary == summary
    client.force_login(director)
    assert client.get(url).status_code == 404

    purge_on(at(2026, 3, 2, 3))
    assert Complaint.objects.get(pk=old.pk).anonymised_summary == summary


def test_livp_10_anonymised_summary_only_by_the_secretariat(old, director):
    with pytest.raises(ValidationError):
        anonymised_summary_set(complaint=old, actor=director, summary="Samenvatting")


def test_livp_10_annual_report_still_counts_a_purged_complaint(old, purge_on):
    before = annual_report(start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31))
    purge_on(at(2026, 3, 2, 3))
    after = annual_report(start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31))
    assert before.total == after.total == 1
    assert after.closed == 1
    for key in ("category", "channel", "outcome"):
        try:
            rows_before = before.breakdown(key).rows
            rows_after = after.breakdown(key).rows
        except StopIteration:
            continue
        assert rows_after == rows_before


def test_livp_10_a_complaint_whose_purge_fails_leaves_the_others_of_its_batch_purged(
    organisation, course, secretariat, trainers, settings, monkeypatch, purge_on
):
    """The purge commits a batch of complaints together; one that fails is undone alone
    (its data and its file stay, its history verifies) and is counted as an error."""
    from klachtroute.privacy import services as retention

    made = [
        closed_complaint(2021, course=course, secretariat=secretariat, trainers=trainers)
        for _ in range(3)
    ]
    failing = made[1]
    failing_file = settings.MEDIA_ROOT / failing.documents.get().file.name
    real = retention.events_record_many

    def record(**kwargs):
        if any(complaint.pk == failing.pk for complaint, *_rest in kwargs["items"]):
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(retention, "events_record_many", record)
    report = purge_on(at(2026, 3, 2, 3))
    assert report.errors == 1
    assert sorted(report.purged) == sorted([made[0].number, made[2].number])
    for complaint in (made[0], made[2]):
        assert Complaint.objects.get(pk=complaint.pk).purged_at is not None
        assert not Document.objects.filter(complaint=complaint).exists()
    kept = Complaint.objects.get(pk=failing.pk)
    assert kept.purged_at is None and kept.complainant_name == NAME
    assert kept.documents.count() == 1 and failing_file.exists()
    assert history_verify() == []


def test_purge_expired_queries_do_not_grow_with_the_archive(
    organisation, course, secretariat, trainers, purge_on
):
    """A batch of complaints is purged (texts, documents and their files, messages, links,
    history) in a number of queries that does not grow with the batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def made(year: int, n: int) -> list[Complaint]:
        return [
            closed_complaint(year, course=course, secretariat=secretariat, trainers=trainers)
            for _ in range(n)
        ]

    def purge_queries(day: dt.datetime, purged: list[Complaint]) -> int:
        with CaptureQueriesContext(connection) as queries:
            report = purge_on(day)
        assert (sorted(report.purged), report.errors) == (sorted(c.number for c in purged), 0)
        return len(queries)

    first = made(2021, 3)
    with_3 = purge_queries(at(2026, 3, 2, 3), first)
    second = made(2022, 12)
    assert purge_queries(at(2027, 3, 2, 3), second) == with_3
    assert Complaint.objects.filter(purged_at__isnull=False).count() == 15
    assert not Document.objects.exists() and not PrivateLink.objects.exists()
    assert history_verify() == []


def test_livp_10_a_batch_is_purged_exactly_as_each_complaint_alone(
    organisation, course, secretariat, trainers, purge_on
):
    """Each complaint of a batch loses the same data, and its history records the same
    counts of what went, as when it is purged alone."""
    from klachtroute.privacy.services import complaints_purge_many

    def made() -> list[Complaint]:
        return [
            closed_complaint(2021, course=course, secretariat=secretariat, trainers=trainers)
            for _ in range(3)
        ]

    batch, alone = made(), made()
    # Not all alike: one has no documents left and a message more.
    for twins in (batch, alone):
        Document.objects.filter(complaint=twins[1]).delete()
        message = twins[2].messages.first()
        message.pk = None
        message.save()
    stored = {c.pk: (c.events.count(), c.messages.count(), c.links.count()) for c in batch + alone}

    def outcome(complaint: Complaint) -> tuple:
        complaint = Complaint.objects.get(pk=complaint.pk)
        purged = complaint.events.get(kind="purged")
        events = complaint.events.exclude(kind="purged").order_by("pk")
        return (
            complaint.complainant_name,
            complaint.description,
            purged.actor_id,
            purged.after,
            list(events.values_list("kind", "actor_label", "summary", "message", "before")),
            list(complaint.messages.values_list("kind", "to", "subject", "body")),
            complaint.documents.count(),
            complaint.links.count(),
        )

    with time_machine.travel(at(2026, 3, 2, 3), tick=False):
        for complaint in alone:
            complaint_purge(complaint=complaint)
        complaints_purge_many(complaints=batch)
    for mine, twin in zip(batch, alone, strict=True):
        assert outcome(mine) == outcome(twin)
    for complaint in batch:
        events, messages, links = stored[complaint.pk]
        counts = Complaint.objects.get(pk=complaint.pk).events.get(kind="purged").after["counts"]
        assert counts["history_details"] == events
        assert counts["message_contents"] == messages
        assert counts["private_links"] == links
    counts = [
        Complaint.objects.get(pk=c.pk).events.get(kind="purged").after["counts"] for c in batch
    ]
    assert [c.get("documents") for c in counts] == [1, None, 1]
    assert counts[2]["message_contents"] == counts[0]["message_contents"] + 1
    assert history_verify() == []
