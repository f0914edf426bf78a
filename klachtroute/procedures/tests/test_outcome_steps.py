"""A procedure version whose outcome letters could not be complete is refused: every outcome
letter it sends names a next step, and a next step to someone the complainant can still turn
to gives contact details. Stored versions get what their preset now names."""

import copy
import datetime as dt
import importlib

import pytest
from django.apps import apps

from klachtroute.procedures.definition import definition_parse
from klachtroute.procedures.models import Procedure, ProcedureVersion
from klachtroute.procedures.presets import PresetError, load_presets, validate_definition

from .test_admin import _form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "code, letters",
    [
        ("livp", ["solution", "binding_advice"]),
        ("lsr", ["findings", "ruling"]),
        ("awb9", ["outcome"]),
    ],
)
def test_every_preset_names_a_next_step_for_each_of_its_outcome_letters(code, letters):
    definition = load_presets()[code]
    validate_definition(definition, code)
    spec = definition_parse(definition, code)
    assert spec.outcome_letters() == letters
    assert spec.outcome_gaps() == []
    for letter in letters:
        missing = copy.deepcopy(definition)
        del missing["next_steps"][letter]
        with pytest.raises(PresetError) as excinfo:
            validate_definition(missing, code)
        assert excinfo.value.key == f"next_steps.{letter}"


def test_awb_9_12_the_outcome_letter_needs_the_next_instance_with_its_contact_details():
    definition = copy.deepcopy(load_presets()["awb9"])
    step = definition["next_steps"]["outcome"]
    assert step["contact"] == "listed" and "Postbus 93122" in step["details"]["nl"]
    del step["details"]
    with pytest.raises(PresetError) as excinfo:
        validate_definition(definition, "awb9")
    assert "details" in excinfo.value.problem


def test_livp_6_a_solution_whose_next_step_gives_no_contact_details_is_refused():
    definition = copy.deepcopy(load_presets()["livp"])
    definition["next_steps"]["solution"]["contact"] = "none"
    with pytest.raises(PresetError) as excinfo:
        validate_definition(definition, "livp")
    assert excinfo.value.key == "next_steps.solution.contact"
    # The last letter may end the procedure: the binding advice names no one further.
    assert definition["next_steps"]["binding_advice"]["contact"] == "none"


def test_the_administrator_cannot_save_a_version_whose_letters_cannot_be_complete(
    client, administrator, awb_organisation
):
    version = awb_organisation.active_procedure.versions.get()
    client.force_login(administrator)
    url = f"/beheer/procedures/procedureversion/{version.pk}/change/"
    response = client.post(url, _form_data(version, definition_json='{"next_steps": {}}'))
    assert response.status_code == 200
    assert "next_steps.outcome" in response.content.decode()
    version.refresh_from_db()
    assert "outcome" in version.definition["next_steps"]


@pytest.mark.parametrize("code", ["awb9", "lsr"])
def test_a_stored_version_gets_the_next_steps_and_contact_details_of_its_preset(code):
    definition = copy.deepcopy(load_presets()[code])
    if code == "awb9":
        del definition["next_steps"]
    else:
        ruling = definition["next_steps"]["ruling"]
        ruling["contact"] = "none"
        del ruling["details"]
        definition["next_steps"]["findings"]["text"]["nl"] = "Eigen tekst van de beheerder."
    procedure = Procedure.objects.create(code=code, name="Oud")
    version = ProcedureVersion.objects.create(
        procedure=procedure, label="1", effective_from=dt.date(2020, 1, 1), definition=definition
    )
    migration = importlib.import_module(
        "klachtroute.procedures.migrations.0004_outcome_steps_complete"
    )
    migration.fill(apps, None)
    version = ProcedureVersion.objects.get(pk=version.pk)
    validate_definition(version.definition, "stored")
    assert version.spec.outcome_gaps() == []
    if code == "lsr":
        assert version.spec.next_steps["findings"].text.nl == "Eigen tekst van de beheerder."
        assert "rechtspraak.nl" in version.spec.next_steps["ruling"].details.nl


def test_a_version_whose_letters_cannot_be_complete_is_not_copied_into_force(
    client, administrator, organisation
):
    version = organisation.active_procedure.versions.get()
    definition = copy.deepcopy(version.definition)
    del definition["next_steps"]["solution"]
    ProcedureVersion.objects.filter(pk=version.pk).update(definition=definition)
    client.force_login(administrator)
    response = client.post(
        "/beheer/procedures/procedureversion/",
        {"action": "copy_as_new_version", "_selected_action": [version.pk]},
        follow=True,
    )
    assert organisation.active_procedure.versions.count() == 1
    assert "is niet gekopieerd" in response.content.decode()
    assert "next_steps.solution" in response.content.decode()
