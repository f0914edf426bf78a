"""Versions stored before the Awb steps existed still parse after the migration that adds them."""

import copy
import datetime as dt
import importlib

import pytest
from django.apps import apps

from klachtroute.procedures.models import Procedure, ProcedureVersion
from klachtroute.procedures.presets import load_presets

pytestmark = pytest.mark.django_db

NEW_KEYS = (
    "intake_required",
    "handler_not_course_trainer",
    "settled_at_once_confirmed",
    "set_aside",
    "respondent_copy",
    "hearing",
    "extension",
    "next_instance",
    "yearly_register",
)


@pytest.mark.parametrize("code, excludes_course_trainers", [("livp", True), ("lsr", False)])
def test_a_stored_version_gets_the_awb_keys_switched_off(code, excludes_course_trainers):
    definition = copy.deepcopy(load_presets()[code])
    for key in NEW_KEYS:
        del definition[key]
    procedure = Procedure.objects.create(code=f"old{code}", name="Oud")
    version = ProcedureVersion.objects.create(
        procedure=procedure, label="1", effective_from=dt.date(2020, 1, 1), definition=definition
    )
    migration = importlib.import_module(
        "klachtroute.procedures.migrations.0003_definition_awb_steps"
    )
    migration.fill(apps, None)
    version = ProcedureVersion.objects.get(pk=version.pk)
    spec = version.spec
    assert spec.handler_not_course_trainer is excludes_course_trainers
    assert spec.set_aside is None and spec.hearing is None and spec.next_instance is None
    assert spec.extension.max_count is None and not spec.respondent_copy
