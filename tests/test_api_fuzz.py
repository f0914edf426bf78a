"""ISSUE-5.10: schemathesis fuzzes every API operation in-process and finds no server error.

The schema is read from /api/v1/openapi.json of the Django app itself (WSGI, same thread,
so the test database of the `db` fixture is the one the API uses). Every generated request
is sent with a secretariat's bearer token; the answers must never be a 5xx and must match
the schema (body and status code).
"""

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from klachtroute.accounts.models import ApiToken

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


def aim(case, number: str) -> None:
    """Point half of the well-formed requests at something real, so that they go deep.

    Random numbers would only ever meet a 404 and random bodies of POST /complaints would
    only ever break the rules that span fields (a way to reach the complainant, a date that
    is not in the future, an existing course); the fuzzed values stay in every other field.
    """
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    if "number" in (case.path_parameters or {}) and len(str(case.path_parameters["number"])) % 2:
        case.path_parameters["number"] = number
    if case.method == "POST" and case.path == "/api/v1/complaints" and isinstance(case.body, dict):
        body = case.body
        complainant = body.get("complainant")
        if isinstance(complainant, dict) and not any(
            complainant.get(key) for key in ("email", "phone", "address")
        ):
            complainant["email"] = "fuzz@example.org"
        body["complaint_date"] = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
        body.pop("received_at", None)
        body["course"] = None
        body.pop("respondent_id", None)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Called as a plain WSGI app, Django closes the database connection after each request
    (request_finished -> close_old_connections), which would end the test's transaction on
    PostgreSQL. Django's own test client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def secretariat_headers(secretariat):
    _token, raw = ApiToken.objects.create_token(user=secretariat, name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


from config.wsgi import application  # noqa: E402

# Read from the app itself, as a client would; the document needs no database.
# Its cache of seen requests would be written to .schemathesis/ in the checkout: turned off.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    application,
    config=SchemathesisConfig.from_dict({"cache": {"enabled": False}}),
)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_within_its_schema(
    case, complaint, secretariat_headers
):
    aim(case, complaint.number)
    case.call_and_validate(headers=secretariat_headers, checks=CHECKS)
