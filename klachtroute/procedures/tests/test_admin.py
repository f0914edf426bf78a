"""The administrator adjusts figures and texts without code, and versions keep complaints stable."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from klachtroute.cases.services import complaint_register
from klachtroute.notifications.models import MessageTemplate, OutboxMessage
from klachtroute.procedures.models import ProcedureVersion
from klachtroute.testing.factories import complaint_data

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
    message = OutboxMessage.objects.get(complaint=complaint)
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
