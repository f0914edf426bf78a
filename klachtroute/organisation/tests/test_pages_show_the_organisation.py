"""Every page names the organisation and how to reach it, read once and only when shown."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_a_staff_page_names_the_organisation_and_its_address(organisation, secretariat):
    client = Client()
    client.force_login(secretariat)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/werk/").content.decode()
    assert '<p class="brand">Testinstituut</p>' in page
    assert "<title>Werklijst · Testinstituut</title>" in page
    assert '<a href="mailto:info@testinstituut.example">info@testinstituut.example</a>' in page
    # Read once for the whole page, without its procedure.
    reads = [q["sql"] for q in queries if 'FROM "organisation_organisation"' in q["sql"]]
    assert len(reads) == 1 and "procedures_procedure" not in reads[0]


def test_without_an_organisation_the_page_says_klachtroute(secretariat):
    client = Client()
    client.force_login(secretariat)
    page = client.get("/werk/").content.decode()
    assert '<p class="brand">Klachtroute</p>' in page
    assert "<title>Werklijst · Klachtroute</title>" in page
