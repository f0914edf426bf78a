"""The administrator adjusts figures and texts without code, and versions keep complaints stable."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine

from klachtroute.accounts.models import ApiToken
from klachtroute.api.tests.conftest import ApiClient, complaint_body
from klachtroute.cases.models import Complaint
from klachtroute.cases.services import complaint_register
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import MessageTemplate, OutboxMessage
from klachtroute.procedures.models import ProcedureVersion
from klachtroute.testing.factories import UserFactory, complaint_data

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def _form_data(version: ProcedureVersion, **changes) -> dict:
    d = version.definition
    data = {
        "procedure": version.procedure_id,
        "label": version.label,
        "effective_from": version.effective_from.isoformat(),
        "reminder_working_days": d["reminder_working_days"],
        "retention_years": d["retention_years"],
        "definition_json": "{}",
    }
    for key, section in (
        ("acknowledge", "deadlines"),
        ("first_contact", "deadlines"),
        ("settle", "deadlines"),
        ("defence", "periods"),
        ("link_valid", "periods"),
        ("status_link_valid", "periods"),
    ):
        value = d[section][key]
        amount, unit = value.split() if value else ("", "")
        data[f"{key}_amount"], data[f"{key}_unit"] = amount, unit
    for lang in ("nl", "en"):
        for key in ("procedure_summary", "confidentiality"):
            data[f"text_{lang}_{key}"] = d["texts"][lang][key]
    data.update(changes)
    return data


def test_administrator_changes_the_settlement_period_without_code(
    client, administrator, organisation
):
    version = organisation.active_procedure.versions.get()
    client.force_login(administrator)
    url = f"/beheer/procedures/procedureversion/{version.pk}/change/"
    response = client.post(
        url, _form_data(version, settle_amount="6", text_nl_confidentiality="Strikt vertrouwelijk.")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version.refresh_from_db()
    assert version.definition["deadlines"]["settle"] == "6 weeks"
    assert version.definition["texts"]["nl"]["confidentiality"] == "Strikt vertrouwelijk."


def test_invalid_figure_is_refused_with_a_message(client, administrator, organisation):
    version = organisation.active_procedure.versions.get()
    client.force_login(administrator)
    url = f"/beheer/procedures/procedureversion/{version.pk}/change/"
    response = client.post(url, _form_data(version, settle_unit=""))
    assert response.status_code == 200
    assert "Vul een aantal én een eenheid in" in response.content.decode()
    response = client.post(url, _form_data(version, definition_json='{"settlement": "coin_toss"}'))
    assert "settlement" in response.content.decode()
    version.refresh_from_db()
    assert version.definition["settlement"] == "two_party_approval"


def test_lsr_12_a_version_in_use_is_not_edited_in_place(client, administrator, organisation):
    complaint_register(**complaint_data())
    version = organisation.active_procedure.versions.get()
    client.force_login(administrator)
    response = client.post(
        f"/beheer/procedures/procedureversion/{version.pk}/change/",
        _form_data(version, settle_amount="8"),
    )
    version.refresh_from_db()
    assert version.definition["deadlines"]["settle"] == "4 weeks"
    assert response.status_code in (200, 403)


def test_lsr_12_complaint_keeps_its_version_after_a_new_one_takes_effect(organisation):
    procedure = organisation.active_procedure
    old = procedure.versions.get()
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=AMS), tick=False):
        first = complaint_register(**complaint_data())
    definition = {
        **old.definition,
        "deadlines": {**old.definition["deadlines"], "settle": "6 weeks"},
    }
    new = ProcedureVersion.objects.create(
        procedure=procedure, label="2", effective_from=dt.date(2026, 3, 9), definition=definition
    )
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, tzinfo=AMS), tick=False):
        second = complaint_register(**complaint_data())
    first.refresh_from_db()
    assert first.procedure_version == old
    assert first.settle_due == dt.date(2026, 3, 30)
    assert second.procedure_version == new
    assert second.settle_due == dt.date(2026, 4, 21)


def test_administrator_makes_a_new_version_from_one_in_use(client, administrator, organisation):
    complaint_register(**complaint_data())
    version = organisation.active_procedure.versions.get()
    client.force_login(administrator)
    client.post(
        "/beheer/procedures/procedureversion/",
        {"action": "copy_as_new_version", "_selected_action": [version.pk]},
    )
    assert organisation.active_procedure.versions.count() == 2
    new = organisation.active_procedure.versions.exclude(pk=version.pk).get()
    assert new.effective_from > version.effective_from
    assert new.definition["deadlines"] == version.definition["deadlines"]


def test_administrators_own_message_text_is_used(client, administrator, organisation, trainers):
    client.force_login(administrator)
    response = client.post(
        "/beheer/notifications/messagetemplate/add/",
        {
            "procedure": organisation.active_procedure.pk,
            "key": "acknowledgement",
            "language": "nl",
            "subject": "Wij hebben klacht {{ complaint.number }} ontvangen",
            "body": "Beste {{ complaint.complainant_name }}, {{ complaint.handler.display_name }} helpt u verder.",
        },
    )
    assert response.status_code == 302
    complaint = complaint_register(**complaint_data())
    message = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
    assert message.subject == f"Wij hebben klacht {complaint.number} ontvangen"
    assert complaint.handler.display_name in message.body


def test_message_text_starts_from_the_default_and_bad_template_is_refused(
    client, administrator, organisation
):
    client.force_login(administrator)
    base = {
        "procedure": organisation.active_procedure.pk,
        "key": "acknowledgement",
        "language": "en",
    }
    response = client.post(
        "/beheer/notifications/messagetemplate/add/", {**base, "subject": "", "body": ""}
    )
    assert response.status_code == 302
    template = MessageTemplate.objects.get()
    assert "complaint.number" in template.subject
    response = client.post(
        f"/beheer/notifications/messagetemplate/{template.pk}/change/",
        {**base, "subject": "x", "body": "{% if %}"},
    )
    assert "De tekst bevat een fout" in response.content.decode()


def test_categories_renamed_added_and_a_period_changed_in_beheer_work_without_code(
    client, administrator, lsr_organisation, secretariat, director
):
    """Through /beheer/ the administrator renames the exam category, adds one with its own
    route and changes the settlement period; the API, the staff pages and visibility follow."""
    version = lsr_organisation.active_procedure.versions.get()
    categories = json.loads(json.dumps(version.definition["categories"]))
    for category in categories:
        if category["route"] == "exam_committee":
            category["code"] = "examen"
    categories.append(
        {
            "code": "facilities",
            "route": "director",
            "respondent_role": None,
            "label": {"nl": "Gebouw en faciliteiten", "en": "Building and facilities"},
        }
    )
    client.force_login(administrator)
    response = client.post(
        f"/beheer/procedures/procedureversion/{version.pk}/change/",
        _form_data(
            version,
            settle_amount="6",
            definition_json=json.dumps(
                {"categories": categories, "criteria": version.definition["criteria"]}
            ),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    _token, raw = ApiToken.objects.create_token(user=secretariat, name="test")
    api = ApiClient(raw)
    with time_machine.travel(dt.datetime(2026, 4, 27, 10, tzinfo=AMS), tick=False):
        created = api.post("/complaints", complaint_body(category="facilities"))
        assert created.status_code == 201, created.content
        number = created.json()["number"]
        assert created.json()["deadlines"]["settle"] == "2026-06-05"  # six weeks, not four
        assert api.post("/complaints", complaint_body(category="exam")).status_code == 422
        exam = api.post("/complaints", complaint_body(category="examen")).json()["number"]

        desk = client.__class__()
        desk.force_login(secretariat)
        routed = desk.post(
            f"/zaken/{number}/acties/judge_admissible/",
            {"category": "facilities", "respondent_type": "organisation"},
        )
        assert routed.status_code in (302, 303), routed.content.decode()[:2000]
        assert Complaint.objects.get(number=number).handler == director
        page = desk.get(f"/zaken/{number}/").content.decode()
        assert "Gebouw en faciliteiten" in page

        judged = api.post(
            f"/complaints/{exam}/actions/judge_admissible",
            {"category": "examen", "respondent_type": "organisation"},
        )
        assert judged.status_code == 200, judged.content
    member = UserFactory(username="commissie", is_exam_committee=True)
    assert Complaint.objects.get(number=exam).state == State.WITH_EXAM_COMMITTEE
    member_client = client.__class__()
    member_client.force_login(member)
    assert member_client.get(f"/zaken/{exam}/").status_code == 200
