"""The private-link pages in a real browser: the forms work, the token never leaves in a
Referer header (Referrer-Policy strict-origin), nothing is loaded from elsewhere, and
axe-core finds no accessibility problems (LIVP-6, LIVP-7, LSR-6c, LSR-6e)."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from klachtroute.cases.models import Approval, Complaint, DefenceRequest
from klachtroute.cases.services import (
    defence_request,
    procedure_send,
)
from klachtroute.cases.workflow import State
from klachtroute.links.tokens import link_create

from .conftest import link_in_message, path_of

pytestmark = pytest.mark.browser


def assert_accessible(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def watch_requests(page, live_server) -> list:
    seen = []
    page.on("request", lambda r: seen.append((r.method, r.url, r.headers)))
    return seen


def test_livp_6_7_both_parties_approve_in_a_real_browser(browser_page, live_server, proposed):
    page = browser_page
    seen = watch_requests(page, live_server)

    page.goto(live_server.url + proposed.complainant_url)
    assert page.locator("h1").inner_text() == "Gaat u akkoord met de oplossing?"
    assert_accessible(page)
    page.get_by_role("button", name="Ik ga niet akkoord").click()
    assert page.locator("#id_reason-error").is_visible()
    assert page.locator("#id_reason").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    page.get_by_role("button", name="Ik ga akkoord met de oplossing").click()
    assert "Uw reactie is ontvangen" in page.locator("h1").inner_text()
    assert_accessible(page)

    page.goto(live_server.url + proposed.respondent_url)
    page.get_by_role("button", name="Ik ga akkoord met de oplossing").click()
    assert "Beide partijen zijn akkoord" in page.content()

    posts = [headers for method, _url, headers in seen if method == "POST"]
    # The token never leaves in a Referer header: only the site's origin does.
    assert posts and all(h.get("origin") == live_server.url for h in posts)
    assert all("/p/" not in h.get("referer", "") for _m, _u, h in seen)
    assert all(url.startswith(live_server.url) for _m, url, _h in seen)
    assert Approval.objects.count() == 2
    assert Complaint.objects.get(pk=proposed.complaint.pk).state == State.SETTLED


def test_status_and_refusal_pages_are_accessible(browser_page, live_server, livp):
    page = browser_page
    url = path_of(link_create(complaint=livp.complaint, party="complainant", purpose="status"))

    page.goto(live_server.url + url)
    page.get_by_text("Uw klacht intrekken").click()
    page.get_by_role("button", name="Klacht intrekken").click()
    assert "Vink aan dat u uw klacht wilt intrekken." in page.content()
    assert_accessible(page)
    page.get_by_label("Ja, ik wil mijn klacht intrekken").check()
    page.get_by_role("button", name="Klacht intrekken").click()
    assert "Uw klacht is ingetrokken." in page.locator("h1").inner_text()
    assert Complaint.objects.get(pk=livp.complaint.pk).state == State.WITHDRAWN

    page.goto(live_server.url + url)
    assert page.locator("h1").inner_text() == "Deze link werkt niet"
    assert_accessible(page)


def test_lsr_6c_6e_findings_and_defence_pages_work_in_a_real_browser(
    browser_page, live_server, findings_shared
):
    page = browser_page
    lsr = findings_shared
    page.goto(live_server.url + lsr.url)
    assert_accessible(page)
    page.get_by_label("Waarom gaat u niet akkoord?").fill("De les is niet ingehaald.")
    page.get_by_role("button", name="Ik ga niet akkoord").click()
    assert "Uw reactie is ontvangen" in page.locator("h1").inner_text()

    procedure_send(complaint=lsr.complaint, actor=lsr.secretariat)
    status = link_in_message(lsr.complaint, to="jan@example.org", kind="director_procedure")
    page.goto(live_server.url + status)
    assert_accessible(page)
    page.get_by_role("button", name="Voorleggen aan de directeur").click()
    assert "Uw klacht is voorgelegd aan de directeur." in page.content()

    due = timezone.localdate() + dt.timedelta(days=14)
    defence_request(
        complaint=lsr.complaint,
        actor=lsr.director,
        question="Uw kant?",
        due=due,
        due_reason="Vakantie.",
    )
    page.goto(live_server.url + link_in_message(lsr.complaint, kind="defence_request"))
    assert_accessible(page)
    page.get_by_label("Uw verweer").fill("Ik kwam door een treinstoring te laat.")
    page.get_by_role("button", name="Verweer versturen").click()
    assert "Uw verweer is ontvangen" in page.locator("h1").inner_text()
    assert DefenceRequest.objects.get().defence == "Ik kwam door een treinstoring te laat."


def test_livp_11_third_party_page_is_accessible(browser_page, live_server, proposed):
    from klachtroute.cases.services import no_agreement_declare, third_party_appeal

    no_agreement_declare(complaint=proposed.complaint, actor=proposed.handler)
    third_party_appeal(complaint=proposed.complaint, party="complainant")
    page = browser_page
    page.goto(live_server.url + link_in_message(proposed.complaint, to="derde@example.org"))
    assert_accessible(page)
    page.get_by_label("Bindend advies", exact=True).fill("De klacht is gegrond.")
    page.get_by_label("Wat moet de organisatie doen?").fill("Een extra les geven.")
    page.get_by_label("Uitgevoerd uiterlijk").fill("2030-01-31")
    page.get_by_role("button", name="Bindend advies vastleggen").click()
    assert "Uw bindend advies is vastgelegd" in page.locator("h1").inner_text()
    assert Complaint.objects.get(pk=proposed.complaint.pk).state == State.ADVICE_FOLLOW_UP
