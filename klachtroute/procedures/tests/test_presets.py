"""The shipped presets are valid, and a broken preset is refused with file, key and problem."""

import json
from datetime import date

import pytest

from klachtroute.deadlines import Period, Unit
from klachtroute.procedures.models import ProcedureVersion
from klachtroute.procedures.presets import PresetError, load_preset_file, load_presets
from klachtroute.procedures.selectors import procedure_version_in_force
from klachtroute.procedures.services import procedure_install_preset


def test_the_three_presets_ship_and_load():
    presets = load_presets()
    assert set(presets) == {"livp", "lsr", "awb9"}


def test_awb_9_11_settlement_in_six_weeks_extended_once_by_at_most_four():
    awb = load_presets()["awb9"]
    assert Period.parse(awb["deadlines"]["settle"]) == Period(6, Unit.WEEKS)
    assert awb["extension"] == {
        "max_count": 1,
        "max_total_weeks": 4,
        "further_needs_consent": True,
    }


def test_awb_9_8_set_aside_told_within_four_weeks_on_the_four_grounds():
    set_aside = load_presets()["awb9"]["set_aside"]
    assert Period.parse(set_aside["deadline"]) == Period(4, Unit.WEEKS)
    assert len(set_aside["grounds"]) == 4


def test_steps_brought_by_awb_are_off_in_livp_and_lsr():
    for code in ("livp", "lsr"):
        preset = load_presets()[code]
        assert preset["set_aside"] is None
        assert preset["hearing"] is None
        assert preset["respondent_copy"] is False
        assert preset["next_instance"] is None
        assert preset["extension"]["max_count"] is None


def test_livp_3_5_9_periods_in_the_livp_preset():
    deadlines = load_presets()["livp"]["deadlines"]
    assert Period.parse(deadlines["acknowledge"]) == Period(1, Unit.WORKING_DAYS)
    assert Period.parse(deadlines["first_contact"]) == Period(5, Unit.WORKING_DAYS)
    assert Period.parse(deadlines["settle"]) == Period(4, Unit.WEEKS)


def test_lsr_6c_settlement_in_four_weeks_and_no_working_day_periods():
    deadlines = load_presets()["lsr"]["deadlines"]
    assert deadlines["acknowledge"] is None
    assert deadlines["first_contact"] is None
    assert Period.parse(deadlines["settle"]) == Period(4, Unit.WEEKS)


def test_livp_10_retention_five_years_in_every_preset():
    assert {p["retention_years"] for p in load_presets().values()} == {5}


def _write(tmp_path, name, definition):
    path = tmp_path / name
    path.write_text(json.dumps(definition) if not isinstance(definition, str) else definition)
    return path


@pytest.mark.parametrize(
    "change, key",
    [
        (lambda d: d["deadlines"].update(settle="four weeks"), "deadlines.settle"),
        (lambda d: d["deadlines"].pop("acknowledge"), "deadlines.acknowledge"),
        (lambda d: d.update(handler_policy="random"), "handler_policy"),
        (lambda d: d.update(retention_years=0), "retention_years"),
        (lambda d: d.update(effective_from="1-1-2011"), "effective_from"),
        (lambda d: d["texts"]["en"].pop("confidentiality"), "texts.en.confidentiality"),
    ],
)
def test_broken_preset_names_file_key_and_problem(tmp_path, change, key):
    definition = load_presets()["livp"]
    change(definition)
    path = _write(tmp_path, "livp.json", definition)
    with pytest.raises(PresetError) as excinfo:
        load_preset_file(path)
    assert excinfo.value.source == "livp.json"
    assert excinfo.value.key == key
    assert str(excinfo.value).startswith(f"livp.json: {key}: ")


def test_preset_with_invalid_json_names_the_line(tmp_path):
    path = _write(tmp_path, "lsr.json", '{\n  "code": "lsr",\n  oops\n}')
    with pytest.raises(PresetError, match=r"lsr.json: line 3: invalid JSON"):
        load_preset_file(path)


@pytest.mark.django_db
def test_lsr_12_complaint_uses_version_in_force_on_date_of_receipt():
    procedure = procedure_install_preset(code="lsr")
    first = procedure.versions.get()
    later = ProcedureVersion.objects.create(
        procedure=procedure,
        label="2030",
        effective_from=date(2030, 1, 1),
        definition=first.definition,
    )
    assert procedure_version_in_force(procedure=procedure, on=date(2020, 5, 1)) == first
    assert procedure_version_in_force(procedure=procedure, on=date(2030, 1, 1)) == later
    assert procedure_version_in_force(procedure=procedure, on=date(2012, 1, 1)) == first
