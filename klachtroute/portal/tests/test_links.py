"""What a private link refuses: tampered, expired, revoked, another complaint or another
party. And how its pages are sent: uncached, unindexed, without referrer, token-free logs."""

import datetime as dt
import logging
import re

import time_machine
from django.test import Client
from django.utils import timezone

from klachtroute.cases.models import Approval, Complaint, DefenceRequest
from klachtroute.cases.services import solution_propose
from klachtroute.cases.workflow import State
from klachtroute.links.models import PrivateLink
from klachtroute.links.tokens import link_create, links_revoke
from klachtroute.testing.factories import letter_parts

from .conftest import link_in_message, path_of


def _tamper(url: str) -> str:
    token = url.rstrip("/").rsplit("/", 1)[1]
    i = len(token) // 3
    changed = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
    return url.replace(token, changed)


def _nothing_changed(proposed):
    assert not Approval.objects.exists()
    assert Complaint.objects.get(pk=proposed.complaint.pk).state == State.AWAITING_APPROVAL


def test_tampered_token_shows_the_friendly_page_and_changes_nothing(client, proposed):
    url = _tamper(proposed.complainant_url)

    page = client.get(url)
    assert page.status_code == 404
    assert "Deze link werkt niet" in page.content.decode()
    assert proposed.complaint.number not in page.content.decode()
    assert client.post(url, {"decision": "yes"}).status_code == 404
    _nothing_changed(proposed)


def test_unknown_expired_and_revoked_links_get_the_same_page(client, proposed, livp):
    unknown = client.get("/p/niet-bestaand/")
    revoked_url = path_of(
        link_create(complaint=livp.complaint, party="complainant", purpose="status")
    )
    links_revoke(complaint=livp.complaint, purpose="status")
    revoked = client.get(revoked_url)
    with time_machine.travel(timezone.now() + dt.timedelta(days=31), tick=False):
        expired = client.get(proposed.complainant_url)
        expired_post = client.post(proposed.complainant_url, {"decision": "yes"})

    assert unknown.status_code == revoked.status_code == expired.status_code == 404
    assert expired_post.status_code == 404
    body = unknown.content.decode()
    assert "Deze link werkt niet" in body
    # The same page, revealing nothing.
    assert _without_csrf(revoked.content.decode()) == _without_csrf(body)
    assert _without_csrf(expired.content.decode()) == _without_csrf(body)
    _nothing_changed(proposed)


def _without_csrf(html: str) -> str:
    """The page less its CSRF token and the address itself (in the language switch)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"/p/[^/\"]+/", "/p/TOKEN/", html)


def test_a_link_still_works_just_before_it_expires(client, proposed):
    expires = PrivateLink.objects.filter(party="complainant").latest("id").expires_at
    with time_machine.travel(expires - dt.timedelta(minutes=5), tick=False):
        assert client.get(proposed.complainant_url).status_code == 200


def test_a_link_for_complaint_a_cannot_act_on_complaint_b(client, proposed, organisation, course):
    from klachtroute.cases.services import complaint_register, respondent_set
    from klachtroute.testing.factories import complaint_data

    other = complaint_register(**complaint_data(course=course, complainant_email="b@example.org"))
    respondent_set(
        complaint=other,
        actor=other.handler,
        respondent_type="person",
        respondent=proposed.respondent,
    )
    other_solution = solution_propose(
        complaint=other, actor=other.handler, text="Iets anders.", **letter_parts("solution")
    )

    client.post(
        proposed.complainant_url,
        {"decision": "yes", "complaint": other.number, "number": other.number},
    )

    assert not Approval.objects.filter(solution=other_solution).exists()
    assert Approval.objects.get().solution_id == proposed.solution.pk
    page = client.get(proposed.complainant_url).content.decode()
    assert other.number not in page


def test_a_complainant_link_cannot_take_a_respondents_step(client, lsr, director):
    """A link is bound to a party: a complainant's link made for a defence does not open."""
    from klachtroute.cases.services import (
        defence_request,
        director_escalate,
        findings_respond,
        findings_share,
        procedure_send,
    )

    criteria = lsr.complaint.procedure_version.spec.criteria_for("trainer")
    findings_share(
        complaint=lsr.complaint,
        actor=lsr.handler,
        summary="Bevindingen.",
        proposed_solution="Een gesprek.",
        judgements={c.code: ("in_order", "") for c in criteria},
        **letter_parts("findings"),
    )
    findings_respond(complaint=lsr.complaint, party="complainant", agree=False, reason="Nee.")
    procedure_send(complaint=lsr.complaint, actor=lsr.secretariat)
    director_escalate(complaint=lsr.complaint, party="complainant")
    defence_request(complaint=lsr.complaint, actor=director, question="Wat is uw kant?")
    wrong = path_of(link_create(complaint=lsr.complaint, party="complainant", purpose="defence"))
    status = link_in_message(lsr.complaint, to="jan@example.org", kind="director_procedure")

    assert client.get(wrong).status_code == 404
    client.post(wrong, {"defence": "Namens de klager."})
    client.post(status, {"action": "submit_defence", "defence": "Namens de klager."})

    assert DefenceRequest.objects.get().submitted_at is None
    assert Complaint.objects.get(pk=lsr.complaint.pk).state == State.AWAITING_DEFENCE


def test_pages_are_sent_uncached_unindexed_and_without_referrer(client, proposed):
    for response in (
        client.get(proposed.complainant_url),
        client.get(_tamper(proposed.complainant_url)),
        client.post(proposed.complainant_url, {"decision": "no"}),
    ):
        assert response["Referrer-Policy"] == "strict-origin"
        assert "no-store" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]


def test_pages_load_nothing_from_other_sites(client, proposed):
    html = client.get(proposed.complainant_url).content.decode()
    loaded = re.findall(r'<(?:script|img|iframe)[^>]+src="([^"]*)"', html)
    loaded += re.findall(r'<link[^>]+href="([^"]*)"', html)
    assert loaded
    assert all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded


def test_the_token_never_reaches_the_logs(client, proposed, caplog):
    token = proposed.complainant_url.rstrip("/").rsplit("/", 1)[1]
    secret_part = token.split(":")[0]
    with caplog.at_level(logging.DEBUG):
        client.get(proposed.complainant_url)
        client.post(proposed.complainant_url, {"decision": "no"})
        client.get(_tamper(proposed.complainant_url))
        client.put(proposed.complainant_url)
        Client(enforce_csrf_checks=True).post(proposed.complainant_url, {"decision": "yes"})
        client.post(proposed.complainant_url, {"decision": "yes"})
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "Private link" in logged
    assert secret_part not in logged
    assert "/p/" not in logged


def test_form_without_csrf_token_is_refused_kindly_and_changes_nothing(proposed):
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post(proposed.complainant_url, {"decision": "yes"})

    assert refused.status_code == 403
    assert "Uw reactie is niet verwerkt" in refused.content.decode()
    _nothing_changed(proposed)


def test_form_with_csrf_token_works_from_this_site_only(proposed):
    """Referrer-Policy strict-origin keeps the Origin header of a form post, so Django's CSRF
    check refuses a post from another site and accepts one from this site."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(proposed.complainant_url).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    foreign = browser.post(
        proposed.complainant_url,
        {"decision": "yes", "csrfmiddlewaretoken": csrf},
        HTTP_ORIGIN="https://evil.example",
    )
    assert foreign.status_code == 403
    done = browser.post(
        proposed.complainant_url,
        {"decision": "yes", "csrfmiddlewaretoken": csrf},
        HTTP_ORIGIN="http://testserver",
    )
    assert done.status_code == 200
    assert Approval.objects.get().party == "complainant"


def test_english_page_under_en(client, proposed):
    page = client.get("/en" + proposed.complainant_url)
    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()


def test_a_failed_csrf_check_elsewhere_gets_a_kind_page_not_an_error(db):
    refused = Client(enforce_csrf_checks=True).post("/klacht/", {"complainant_name": "Bot"})
    assert refused.status_code == 403
    assert "Uw reactie is niet verwerkt" in refused.content.decode()
