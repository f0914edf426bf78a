"""Each rule lives in one place: the procedure definition, the deadline module, the letter.

These are the behaviours that went wrong while the same rule was restated in several places.
"""

import copy
import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from klachtroute.cases.deadlines import Status, deadline_state
from klachtroute.cases.models import Complaint, Party
from klachtroute.cases.selectors import complaints_visible_to
from klachtroute.cases.services import admissible_declare, complaint_register, first_contact_record
from klachtroute.cases.watch import deadlines_watch
from klachtroute.cases.workflow import State, actions_for
from klachtroute.links.models import Purpose
from klachtroute.links.tokens import link_create
from klachtroute.notifications.models import MessageTemplate
from klachtroute.procedures.presets import load_presets
from klachtroute.testing.factories import UserFactory, complaint_data
from klachtroute.testing.pdf import pdf_text

AMS = ZoneInfo("Europe/Amsterdam")
ROOT = Path(__file__).resolve().parents[2]


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_renamed_exam_category_still_reaches_the_exam_committee(lsr_organisation, secretariat):
    version = lsr_organisation.active_procedure.versions.get()
    definition = copy.deepcopy(version.definition)
    for category in definition["categories"]:
        if category["route"] == "exam_committee":
            category["code"] = "examen"
    version.definition = definition
    version.save()
    member = UserFactory(username="commissie", is_exam_committee=True)
    complaint = complaint_register(**complaint_data())
    complaint = admissible_declare(
        complaint=complaint, actor=secretariat, category="examen", respondent_type="organisation"
    )
    assert complaint.state == State.WITH_EXAM_COMMITTEE
    assert list(complaints_visible_to(member)) == [complaint]
    assert "record_exam_ruling" in [t.action for t in actions_for(member, complaint)]
    page = _login(member).get(f"/zaken/{complaint.number}/")
    assert page.status_code == 200
    assert "Examen (intake" in page.content.decode()  # the label the definition gives it


def test_added_category_with_its_own_route_routes_and_shows_without_code(
    lsr_organisation, secretariat, director
):
    version = lsr_organisation.active_procedure.versions.get()
    definition = copy.deepcopy(version.definition)
    definition["categories"].append(
        {
            "code": "facilities",
            "route": "director",
            "respondent_role": None,
            "label": {"nl": "Gebouw en faciliteiten", "en": "Building and facilities"},
        }
    )
    version.definition = definition
    version.save()
    complaint = complaint_register(**complaint_data(category="facilities"))
    complaint = admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="facilities",
        respondent_type="organisation",
    )
    assert complaint.handler == director
    page = _login(secretariat).get(f"/zaken/{complaint.number}/")
    assert "Gebouw en faciliteiten" in page.content.decode()


def test_registration_refuses_a_category_the_procedure_does_not_have(lsr_organisation):
    with pytest.raises(Exception) as excinfo:
        complaint_register(**complaint_data(category="weather"))
    assert "categorie bestaat niet" in str(excinfo.value)
    assert not Complaint.objects.exists()


@pytest.fixture
def past_four_weeks(organisation, course, trainers):
    """A LIVP complaint received Monday 2 March 2026, contacted in time, without a solution
    approved when its four weeks ended on Monday 30 March; the watcher ran on 31 March."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=AMS), tick=False):
        complaint = complaint_register(**complaint_data(course=course))
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, tzinfo=AMS), tick=False):
        first_contact_record(
            complaint=complaint,
            actor=complaint.handler,
            method="phone",
            contacted_at=dt.datetime(2026, 3, 4, 9, tzinfo=AMS),
            note="Gebeld.",
        )
    with time_machine.travel(dt.datetime(2026, 3, 31, 8, tzinfo=AMS), tick=False):
        deadlines_watch()
    complaint.refresh_from_db()
    assert complaint.state == State.NO_AGREEMENT
    return complaint


def test_livp_9_settlement_deadline_is_over_not_missed_once_no_agreement_starts(
    past_four_weeks, secretariat
):
    complaint = past_four_weeks
    with time_machine.travel(dt.datetime(2026, 4, 6, 10, tzinfo=AMS), tick=False):
        assert deadline_state(complaint, "settle", dt.date(2026, 4, 6)).status == Status.OVER
        html = _login(secretariat).get(f"/zaken/{complaint.number}/").content.decode()
        row = re.search(r'<tr class="deadline-[a-z]+[^"]*">\s*<th scope="row">Afhandeling<', html)
        assert row and "deadline-over" in row.group(0)
        assert "overdue" not in row.group(0)


def test_livp_9_status_page_does_not_say_the_settlement_passed_once_no_agreement_starts(
    past_four_weeks,
):
    complaint = past_four_weeks
    url = link_create(complaint=complaint, party=Party.COMPLAINANT, purpose=Purpose.STATUS)
    with time_machine.travel(dt.datetime(2026, 4, 6, 10, tzinfo=AMS), tick=False):
        html = Client().get(url.removeprefix("http://testserver")).content.decode()
    deadlines = re.findall(r'<p class="deadline">.*?</p>', html, re.S)
    assert not [d for d in deadlines if "Afhandeling van uw klacht" in d]
    assert "deze datum is voorbij" not in html


def test_livp_3_record_letter_uses_the_organisations_own_acknowledgement_text(
    organisation, course, secretariat, trainers
):
    MessageTemplate.objects.create(
        procedure=organisation.active_procedure,
        key="acknowledgement",
        language="nl",
        subject="Wij hebben uw klacht {{ complaint.number }} ontvangen",
        body="Geachte {{ complaint.complainant_name }},\n\nDit is de eigen tekst van het instituut.",
    )
    complaint = complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="post",
            course=course,
            complainant_email="",
            complainant_address="Kerkweg 12\n3511 AB Utrecht",
        )
    )
    client = _login(secretariat)
    client.post(f"/zaken/{complaint.number}/behandelaar/", {"handler": trainers[2].pk})
    letter = client.get(f"/zaken/{complaint.number}/ontvangstbevestiging/", follow=True)
    text = pdf_text(letter.content)
    assert "Dit is de eigen tekst van het instituut." in text
    post_list = client.get("/post/").content.decode()
    assert complaint.number in post_list


def _application_sources():
    for path in sorted((ROOT / "klachtroute").rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        # The demo loads example data for the shipped presets: it may name their codes.
        if parts & {"tests", "migrations", "testing"} or path.name.startswith("demo"):
            continue
        yield path


def test_no_category_or_procedure_code_in_application_code():
    """Which procedure runs, and which categories it has, is the definition's to say."""
    presets = load_presets()
    literals = {*presets}
    for definition in presets.values():
        literals |= {c["code"] for c in definition["categories"]}
    offending = []
    compare = re.compile(r"""category\w*\s*(?:==|!=|=|\bin\b)\s*\(?\s*["']([a-z_]+)["']""")
    for path in _application_sources():
        text = path.read_text(encoding="utf-8")
        for match in compare.finditer(text):
            if match.group(1) in literals:
                offending.append(f"{path.name}: {match.group(0)}")
        for code in presets:
            for match in re.finditer(rf"""["']{code}["']""", text):
                offending.append(f"{path.name}: {match.group(0)}")
        if re.search(r"""["']exam["']""", text):
            offending.append(f"{path.name}: 'exam'")
    assert offending == []
