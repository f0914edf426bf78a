"""The benchmark's data generator builds a realistic archive whose history verifies."""

import pytest

from bench.generate import archive_generate
from klachtroute.cases.history import history_verify_result
from klachtroute.cases.models import Complaint, Event
from klachtroute.cases.workflow import State
from klachtroute.procedures.presets import load_presets

pytestmark = pytest.mark.django_db


def test_generator_builds_50_complaints_of_every_shipped_procedure_with_a_valid_history_chain():
    made = archive_generate(complaints=50, trainers=10, courses=3, say=lambda _text: None)
    assert Complaint.objects.count() == made["complaints"] == 50
    shipped = len(load_presets())
    assert Complaint.objects.values("procedure_version__procedure").distinct().count() == shipped
    assert Complaint.objects.filter(state__in=State.open_states()).count() == 5
    assert Event.objects.count() == made["events"] > 5 * 50
    result = history_verify_result()
    assert result.ok and result.complaints == 50
    numbers = set(Complaint.objects.values_list("number", flat=True))
    assert len(numbers) == 50
