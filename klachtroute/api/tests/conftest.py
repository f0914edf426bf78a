"""Helpers for the API tests: tokens, an authenticated JSON client, a valid request body."""

import json

import pytest
from django.test import Client

from klachtroute.accounts.models import ApiToken

BASE = "/api/v1"


class ApiClient:
    """Django's test client speaking JSON with a bearer token."""

    def __init__(self, raw_token: str | None = None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"} if raw_token else {}

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, **self.headers)

    def post(self, path: str, data=None, *, raw: bytes | str | None = None, **extra):
        body = raw if raw is not None else json.dumps(data)
        return self.client.post(
            BASE + path, body, content_type="application/json", **self.headers, **extra
        )


@pytest.fixture
def token_for(db):
    def make(user, name: str = "test") -> str:
        _token, raw = ApiToken.objects.create_token(user=user, name=name)
        return raw

    return make


@pytest.fixture
def api_as(token_for):
    """api_as(user) -> a client authenticated as that user."""

    def make(user) -> ApiClient:
        return ApiClient(token_for(user))

    return make


def complaint_body(**overrides) -> dict:
    body = {
        "channel": "phone",
        "received_at": "2026-04-24T15:00:00+02:00",
        "complainant": {
            "name": "Jan Jansen",
            "email": "jan@example.org",
            "phone": "06-12345678",
            "address": "Dorpsstraat 1\n1234 AB Ergens",
            "language": "nl",
            "representative": "",
        },
        "course": None,
        "course_other": "",
        "complaint_date": "2026-04-20",
        "description": "De trainer kwam drie keer te laat en gaf geen uitleg.",
        "remedy_sought": "Excuses en een extra les.",
        "respondent_type": "unknown",
        "settled_on_the_spot": False,
    }
    body.update(overrides)
    return body
