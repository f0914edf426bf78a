"""Issue 4, point 2: a lost status link can be asked for again by e-mail address and
complaint number; the answer is the same whether or not they match."""

import pytest
from django.core.cache import cache

from klachtroute.notifications.models import OutboxMessage

from .conftest import LINK_RE

URL = "/klacht/link-kwijt/"
SAME_ANSWER = (
    "Als het e-mailadres en het nummer bij een klacht horen, sturen wij een nieuwe link naar "
    "dat adres."
)


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """The page enqueues the work; here the task runs in the request, as a worker would."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()
    yield
    cache.clear()


def _ask(client, email, number):
    return client.post(URL, {"email": email, "number": number})


def _status_links(to="jan@example.org"):
    return OutboxMessage.objects.filter(kind="status_link", to=to)


def test_the_form_is_public(client, organisation):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Link kwijt?" in html and 'name="email"' in html and 'name="number"' in html
    assert response["Cache-Control"] == "no-store"


def test_a_matching_address_and_number_get_a_new_status_link(client, livp):
    complaint = livp.complaint
    response = _ask(client, "JAN@Example.org", complaint.number.lower())
    assert response.status_code == 200
    assert SAME_ANSWER in response.content.decode()
    message = _status_links().get()
    assert complaint.number in message.subject
    path = LINK_RE.search(message.body).group(1)
    html = client.get(path).content.decode()
    assert "Waar staat uw klacht?" in html and complaint.number in html


def test_match_and_no_match_get_the_same_page_and_status(client, livp):
    complaint = livp.complaint
    hit = _ask(client, "jan@example.org", complaint.number)
    wrong_number = _ask(client, "jan@example.org", "K-2026-9999")
    wrong_address = _ask(client, "piet@example.org", complaint.number)

    def _page(response):
        # The CSRF token differs per response; everything else is the same.
        html = response.content.decode()
        return response.status_code, html.split("<main", 1)[1].split("</main>", 1)[0]

    assert _page(hit) == _page(wrong_number) == _page(wrong_address)
    assert SAME_ANSWER in hit.content.decode()
    assert _status_links().count() == 1  # only for the match
    assert not _status_links("piet@example.org").exists()


def test_a_wrong_number_sends_nothing(client, livp):
    _ask(client, "jan@example.org", "K-1999-0001")
    assert not OutboxMessage.objects.filter(kind="status_link").exists()


def test_a_complaint_closed_long_ago_gets_no_link(client, livp):
    from datetime import timedelta

    from django.utils import timezone

    complaint = livp.complaint
    complaint.state = "settled"
    complaint.settled_at = timezone.now() - timedelta(days=200)
    complaint.save(update_fields=["state", "settled_at"])
    response = _ask(client, "jan@example.org", complaint.number)
    assert SAME_ANSWER in response.content.decode()
    assert not _status_links().exists()


def test_requests_are_limited_per_address(client, livp):
    for _ in range(5):
        assert _ask(client, "jan@example.org", livp.complaint.number).status_code == 200
    response = _ask(client, "jan@example.org", livp.complaint.number)
    assert response.status_code == 429
    assert "te vaak" in response.content.decode()
    assert _status_links().count() == 5


def test_the_link_not_found_page_points_to_the_form(client, organisation):
    response = client.get("/p/onzin-token/")
    assert response.status_code == 404
    assert 'href="/klacht/link-kwijt/"' in response.content.decode()


def test_the_public_form_confirmation_points_to_the_form(client, livp):
    from klachtroute.intake.public_views import confirmation_token_make

    token = confirmation_token_make(livp.complaint)
    html = client.get(f"/klacht/ontvangen/{token}/").content.decode()
    assert 'href="/klacht/link-kwijt/"' in html
