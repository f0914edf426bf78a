"""The main forms with the keyboard alone (Tab, Enter, typing), in Chromium: a handler logs in,
opens the complaint from the worklist, opens the step on the record page and submits its
form; the complainant approves through the private link. Every element the Tab key stops on
shows where the focus is. (The public form is driven by keyboard in
klachtroute/intake/tests/test_browser.py.)"""

import re

import pytest
from django.conf import settings

from klachtroute.cases.models import Approval
from klachtroute.cases.services import complaint_register, respondent_set
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.browser import context_open
from klachtroute.testing.factories import complaint_data

pytestmark = pytest.mark.browser
LINK = re.compile(re.escape(settings.SITE_URL) + r"(/(?:en/)?p/[^/\s]+/)")

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {where: 'body', visible: false};
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const ring = style.boxShadow !== 'none';
  const where = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.name ? '[name=' + el.name + ']' : '') + ' ' + (el.textContent || '').trim().slice(0, 30);
  return {where, visible: outline || ring};
}"""


def tab_to(page, selector: str, *, max_presses: int) -> None:
    """Press Tab until `selector` has the focus (it may have it already, by autofocus); every
    stop on the way must show it. Past the page's last element the browser's own bar has it."""
    for _ in range(max_presses):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert focus["visible"] or focus["where"] == "body", f"no visible focus: {focus['where']}"
    if page.evaluate("s => document.activeElement.matches(s)", selector):
        return
    raise AssertionError(f"Tab did not reach {selector} in {max_presses} presses")


def press_and_wait(page, key: str) -> None:
    """Press `key` on a link or submit button and wait for the next page."""
    page.evaluate("window.__before = true")
    page.keyboard.press(key)
    page.wait_for_function("() => window.__before === undefined")
    page.wait_for_load_state()


def test_livp_handler_and_complainant_reach_and_submit_the_forms_by_keyboard_alone(
    browser, live_server, transactional_db, organisation, course, trainers
):
    complaint = complaint_register(**complaint_data(course=course))
    handler = complaint.handler
    respondent_set(
        complaint=complaint, actor=handler, respondent_type="person", respondent=trainers[0]
    )

    context = context_open(browser)
    page = context.new_page()
    page.goto(f"{live_server.url}/inloggen/")
    tab_to(page, "#id_username", max_presses=15)
    page.keyboard.type(handler.username)
    tab_to(page, "#id_password", max_presses=2)
    page.keyboard.type("geheim-wachtwoord-1")
    press_and_wait(page, "Enter")
    assert page.url.endswith("/werk/")

    tab_to(page, f"main a[href$='/zaken/{complaint.number}/']", max_presses=40)
    press_and_wait(page, "Enter")
    assert page.url.endswith(f"/zaken/{complaint.number}/")

    panel = "#actie-propose_solution"
    tab_to(page, f"{panel} > summary", max_presses=80)
    page.keyboard.press("Enter")  # opens the step's form
    tab_to(page, f"{panel} [name=text]", max_presses=5)
    page.keyboard.type("De trainer biedt schriftelijk excuses aan.")
    tab_to(page, f"{panel} [name=reasons]", max_presses=3)
    page.keyboard.type("De opmerkingen waren kwetsend.")
    tab_to(page, f"{panel} [name=remedy_due]", max_presses=3)
    page.keyboard.type("01012030")  # day and month alike: the same in every date order
    tab_to(page, f"{panel} button[type=submit]", max_presses=8)
    press_and_wait(page, "Enter")
    complaint.refresh_from_db()
    assert complaint.state == State.AWAITING_APPROVAL
    assert complaint.solutions.get().text == "De trainer biedt schriftelijk excuses aan."
    context.close()

    # The complainant approves through the link in the mail, by keyboard.
    mail = OutboxMessage.objects.get(
        complaint=complaint, to=complaint.complainant_email, kind="solution_for_approval"
    )
    context = context_open(browser)
    page = context.new_page()
    page.goto(live_server.url + LINK.search(mail.body).group(1))
    tab_to(page, "button.primary", max_presses=25)
    press_and_wait(page, "Enter")
    assert "Uw reactie is ontvangen" in page.locator("h1").inner_text()
    context.close()
    assert Approval.objects.filter(
        solution__complaint=complaint, party="complainant", decision="approved"
    ).exists()
