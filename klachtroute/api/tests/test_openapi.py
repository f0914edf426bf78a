"""The API describes itself: /api/v1/openapi.json and the docs page."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_document_is_valid_json_listing_the_operations():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Klachtroute API"
    paths = document["paths"]
    assert set(paths["/api/v1/complaints"]) == {"get", "post"}
    assert set(paths["/api/v1/complaints/{number}"]) == {"get"}
    assert document["components"]["securitySchemes"]["ApiTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token: `Authorization: Bearer TOKEN`.",
    }
    post = paths["/api/v1/complaints"]["post"]
    assert {"201", "401", "403", "422"} <= set(post["responses"])
    deadlines = document["components"]["schemas"]["DeadlinesOut"]
    assert set(deadlines["properties"]) == {"acknowledge", "first_contact", "settle"}
    body = document["components"]["schemas"]["ComplaintIn"]
    assert set(body["required"]) == {"channel", "complainant", "complaint_date", "description"}
    assert body["properties"]["channel"]["enum"] == ["web", "post", "email", "phone", "in_person"]


def test_docs_page_is_served():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
