"""The public form withstands abuse without any outside service.

A honeypot field, a rate limit per client address and a maximum request size; every
blocked attempt gets a clear message and leaves no complaint, event or outbox message.
"""

import time

import pytest
from django.core.cache import cache
from django.test import Client

from klachtroute.cases.models import Complaint, Event
from klachtroute.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
FORM_NL = "/klacht/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def nothing_registered() -> bool:
    return (
        not Complaint.objects.exists()
        and not OutboxMessage.objects.exists()
        and not Event.objects.exists()
    )


def with_token(form_data, n: int) -> dict:
    return {**form_data, "submission_token": f"0d8a7c2e-6f1b-4a7e-9a51-{n:012d}"}


# --- Honeypot --------------------------------------------------------------------------------


def test_honeypot_is_hidden_from_people_and_labelled_for_screen_readers(client, html, organisation):
    page = html(client.get(FORM_NL))
    field = page.get("id_website")
    wrapper = next(e for e in page.elements if "hp-field" in (e["class"] or "").split())
    assert field["tabindex"] == "-1"
    assert field["autocomplete"] == "off"
    assert field["value"] == ""
    assert "Laat dit veld leeg" in wrapper.text
    label = next(e for e in page.elements if e.tag == "label" and e["for"] == "id_website")
    assert "Laat dit veld leeg" in label.text


def test_filled_honeypot_is_refused_with_a_message_and_registers_nothing(
    client, html, organisation, form_data
):
    response = client.post(FORM_NL, {**form_data, "website": "https://spam.example"})
    assert response.status_code == 400
    page = html(response)
    assert "Uw klacht is niet verstuurd" in page.get("error-summary").text
    # The person's data is kept, the trap is emptied, so a human can simply send again.
    assert page.value("complainant_name") == form_data["complainant_name"]
    assert page.get("id_website")["value"] == ""
    assert nothing_registered()


def test_empty_honeypot_lets_the_complaint_through(client, organisation, form_data):
    response = client.post(FORM_NL, {**form_data, "website": ""})
    assert response.status_code == 302
    assert Complaint.objects.count() == 1


# --- Rate limit -------------------------------------------------------------------------------


def test_posts_over_the_limit_per_address_get_429_register_nothing_and_keep_the_text(
    client, html, settings, organisation, form_data
):
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    settings.PUBLIC_FORM_RATE_WINDOW = 600
    assert client.post(FORM_NL, with_token(form_data, 1)).status_code == 302
    assert client.post(FORM_NL, with_token(form_data, 2)).status_code == 302
    before = (Complaint.objects.count(), Event.objects.count(), OutboxMessage.objects.count())

    typed = {**with_token(form_data, 3), "description": "Dit wil ik niet nog eens typen."}
    refused = client.post(FORM_NL, typed)

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    page = html(refused)
    summary = page.get("error-summary").text
    assert "Te veel pogingen" in summary and "Deze klacht is niet verstuurd" in summary
    assert "staat hieronder nog" in summary
    # Everything typed is still in the form, to be sent again later.
    assert page.value("complainant_name") == form_data["complainant_name"]
    assert page.value("description") == "Dit wil ik niet nog eens typen."
    after = (Complaint.objects.count(), Event.objects.count(), OutboxMessage.objects.count())
    assert after == before


def test_rate_limit_counts_only_accepted_complaints(client, settings, organisation, form_data):
    settings.PUBLIC_FORM_RATE_LIMIT = 1
    for _ in range(5):
        assert client.get(FORM_NL).status_code == 200
    # A form that comes back with a question to answer does not count.
    for _ in range(3):
        assert client.post(FORM_NL, {}).status_code == 200
    assert client.post(FORM_NL, with_token(form_data, 1)).status_code == 302
    assert client.post(FORM_NL, with_token(form_data, 2)).status_code == 429
    assert client.get(FORM_NL).status_code == 200  # reading the form stays possible
    assert Complaint.objects.count() == 1


def test_rate_limit_is_per_client_address(settings, organisation, form_data):
    settings.PUBLIC_FORM_RATE_LIMIT = 1
    first = Client(REMOTE_ADDR="192.0.2.10")
    second = Client(REMOTE_ADDR="192.0.2.20")
    assert first.post(FORM_NL, with_token(form_data, 1)).status_code == 302
    assert first.post(FORM_NL, with_token(form_data, 2)).status_code == 429
    assert second.post(FORM_NL, with_token(form_data, 3)).status_code == 302
    assert Complaint.objects.count() == 2


def test_rate_limit_window_ends(client, settings, organisation, form_data, time_machine):
    settings.PUBLIC_FORM_RATE_LIMIT = 1
    settings.PUBLIC_FORM_RATE_WINDOW = 60
    window_start = (int(time.time()) // 60 + 1) * 60
    time_machine.move_to(window_start + 1, tick=False)
    assert client.post(FORM_NL, with_token(form_data, 1)).status_code == 302
    assert client.post(FORM_NL, with_token(form_data, 2)).status_code == 429
    time_machine.move_to(window_start + 65, tick=False)
    assert client.post(FORM_NL, with_token(form_data, 3)).status_code == 302


# --- Maximum request size ---------------------------------------------------------------------


@pytest.mark.parametrize("enforce_csrf", [False, True], ids=["view", "csrf-middleware"])
def test_over_large_post_gets_a_friendly_413_and_registers_nothing(
    settings, organisation, form_data, enforce_csrf
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.get(FORM_NL)  # the CSRF cookie, as a browser would have it
    token = client.cookies["csrftoken"].value
    data = {**form_data, "csrfmiddlewaretoken": token, "description": "x" * 30_000}
    response = client.post(FORM_NL, data)
    assert response.status_code == 413
    text = response.content.decode()
    assert "Bericht te groot" in text
    assert "Er is niets opgeslagen" in text
    assert "<h1>" in text  # a real page, not Django's bare "Bad Request (400)"
    assert nothing_registered()
