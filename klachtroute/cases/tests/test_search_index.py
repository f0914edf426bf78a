"""The worklist's search reads trigram indexes on PostgreSQL, so that finding a complaint by
a piece of its number or the complainant's name does not scan every complaint."""

import pytest
from django.db import connection

from klachtroute.cases.models import Complaint
from klachtroute.cases.selectors import complaints_worklist, search_q
from klachtroute.cases.services import complaint_register
from klachtroute.testing.factories import complaint_data


@pytest.mark.django_db
def test_worklist_search_finds_a_piece_of_the_name_or_the_number(organisation, course, secretariat):
    complaint = complaint_register(
        **complaint_data(actor=secretariat, course=course, complainant_name="Joke Jansen-Smit")
    )
    for piece in ("jansen", "SMIT", complaint.number[-4:]):
        assert list(complaints_worklist(user=secretariat, query=f" {piece} ")) == [complaint]
    assert not complaints_worklist(user=secretariat, query="Pietersen").exists()


@pytest.mark.django_db
def test_worklist_search_predicate_reads_the_trigram_indexes(secretariat):
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    search = Complaint.objects.filter(search_q("Jansen")).order_by().values("pk")
    sql, params = search.query.sql_with_params()
    with connection.cursor() as cursor:
        # With a handful of rows the planner would rightly scan; forbid it, to see that the
        # indexes can answer the predicate the worklist's search adds.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "complaint_name_trgm" in plan
    assert "complaint_number_trgm" in plan
