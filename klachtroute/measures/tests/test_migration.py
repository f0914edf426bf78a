"""An existing installation keeps its measures when they move to their own app.

The measures app takes over the tables the complaint app made (`cases_measure` and its
link table to complaints) without copying or dropping them: the migration changes only
Django's idea of which app a measure belongs to.
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from klachtroute.cases.services import complaint_register
from klachtroute.measures.models import Measure
from klachtroute.testing.factories import complaint_data

BEFORE = [("cases", "0008_category_from_definition")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_livp_8_measures_of_an_existing_installation_stay_after_the_move(
    organisation, course, secretariat
):
    complaint = complaint_register(**complaint_data(actor=secretariat, course=course))
    old = _migrate(BEFORE)
    old_measure = old.get_model("cases", "Measure")
    made = old_measure.objects.create(
        description="Roosterwijzigingen een week vooraf melden.",
        owner_id=secretariat.pk,
        due_date=dt.date(2026, 6, 1),
        status="agreed",
    )
    made.complaints.add(complaint.pk)
    try:
        leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
        _migrate(leaves)

        measure = Measure.objects.get(pk=made.pk)
        assert measure.description == "Roosterwijzigingen een week vooraf melden."
        assert measure.owner == secretariat
        assert measure.get_status_display() == "Afgesproken"
        assert list(measure.complaints.all()) == [complaint]
        assert list(complaint.measures.all()) == [measure]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
