"""The main forms of each role with the keyboard alone (Tab, Space, Enter, typing), in
Chromium: the complainant's web form; the secretariat's registration of a complaint that came
by post; a handler who logs in, opens the complaint from the worklist and submits a step on
the record page; a closing step that asks for its confirmation; the complainant's answers
through the private links (approving, not agreeing with a reason, the appeal to the
independent third party) and the third party's binding advice through its link. Every
element the Tab key stops on shows where the focus is."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone

from klachtroute.cases.models import Approval, Complaint
from klachtroute.cases.services import (
    complaint_register,
    no_agreement_declare,
    respondent_set,
    solution_propose,
)
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.browser import context_open, log_in
from klachtroute.testing.factories import complaint_data, letter_parts

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


def focus_shown(page) -> None:
    """The element that has the focus shows it."""
    focus = page.evaluate(FOCUS)
    assert focus["visible"], f"no visible focus: {focus['where']}"


def open_by_keyboard(page, selector: str, *, max_presses: int = 80) -> None:
    """Open the disclosure `selector` and every closed one around it (a step may sit folded
    under its group), outermost first: Tab to its summary, press Enter."""
    closed = page.evaluate(
        """s => {
          const out = [];
          for (let el = document.querySelector(s); el; el = el.parentElement.closest('details')) {
            if (!el.open) out.unshift(el);
            if (!el.parentElement) break;
          }
          return out.map((el, i) => { el.dataset.keyboard = String(i); return String(i); });
        }""",
        selector,
    )
    for mark in closed:
        tab_to(page, f"details[data-keyboard='{mark}'] > summary", max_presses=max_presses)
        page.keyboard.press("Enter")
        assert page.evaluate("s => document.querySelector(s).open", f"[data-keyboard='{mark}']")


def link_in_mail(complaint, *, to: str, kind: str) -> str:
    mail = OutboxMessage.objects.filter(complaint=complaint, to=to, kind=kind).latest("id")
    return LINK.search(mail.body).group(1)


def typeable_date() -> dt.date:
    """A recent past date whose day equals its month: typed the same in every date order."""
    day = timezone.localdate() - dt.timedelta(days=1)
    while day.day != day.month:
        day -= dt.timedelta(days=1)
    return day


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
    open_by_keyboard(page, panel)
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


def test_complainant_files_the_web_form_by_keyboard_alone(
    browser, live_server, transactional_db, organisation, course, trainers
):
    context = context_open(browser)
    page = context.new_page()
    page.goto(f"{live_server.url}/klacht/")
    tab_to(page, "#id_complainant_name", max_presses=25)
    page.keyboard.type("Fatma Yılmaz")
    tab_to(page, "#id_complainant_phone", max_presses=3)
    page.keyboard.type("06 12 34 56 78")
    tab_to(page, "#id_complainant_email", max_presses=3)
    page.keyboard.type("fatma@example.org")
    tab_to(page, "#id_course", max_presses=3)
    page.keyboard.type("Basis")  # type-ahead in a closed select picks the course
    tab_to(page, "#id_complaint_date", max_presses=4)
    page.keyboard.type(typeable_date().strftime("%d%m%Y"))
    tab_to(page, "#id_description", max_presses=5)
    page.keyboard.type("De trainer maakte in de groep opmerkingen over mijn afkomst.")
    tab_to(page, "#id_remedy_sought", max_presses=3)
    page.keyboard.type("Excuses en een gesprek.")
    tab_to(page, "button[type=submit]", max_presses=10)
    press_and_wait(page, "Enter")
    number = page.locator("#complaint-number").inner_text().strip()
    context.close()
    complaint = Complaint.objects.get(number=number)
    assert (complaint.complainant_name, complaint.course, complaint.complaint_date) == (
        "Fatma Yılmaz",
        course,
        typeable_date(),
    )


def test_secretariat_registers_a_posted_complaint_by_keyboard_alone(
    browser, live_server, transactional_db, organisation, course, trainers, secretariat
):
    context = context_open(browser)
    log_in(context, live_server, secretariat)
    page = context.new_page()
    page.goto(f"{live_server.url}/registreren/")
    # The channel is a group of radio buttons: Tab enters it, the arrow keys choose.
    tab_to(page, "input[name=channel]", max_presses=40)
    for _ in range(6):
        if page.evaluate("document.activeElement.value") == "post":
            break
        page.keyboard.press("ArrowDown")
        focus_shown(page)
    page.keyboard.press("Space")
    tab_to(page, "#id_complainant_name", max_presses=10)  # past the time of receipt, kept
    page.keyboard.type("Karel de Vries")
    tab_to(page, "#id_complainant_address", max_presses=4)
    page.keyboard.type("Dorpsstraat 2\n1234 AB Utrecht")
    tab_to(page, "#id_course", max_presses=6)
    page.keyboard.type("Basis")
    tab_to(page, "#id_complaint_date", max_presses=4)
    page.keyboard.type(typeable_date().strftime("%d%m%Y"))
    tab_to(page, "#id_description", max_presses=5)
    page.keyboard.type("Per brief: de trainer kwam drie keer te laat.")
    tab_to(page, "button[type=submit]", max_presses=25)
    press_and_wait(page, "Enter")
    complaint = Complaint.objects.get(complainant_name="Karel de Vries")
    assert page.url.endswith(f"/zaken/{complaint.number}/")
    context.close()
    assert (complaint.channel, complaint.course, complaint.complaint_date) == (
        "post",
        course,
        typeable_date(),
    )
    assert complaint.complainant_address.splitlines() == ["Dorpsstraat 2", "1234 AB Utrecht"]


def livp_solution_proposed(course, trainers):
    complaint = complaint_register(**complaint_data(course=course))
    respondent_set(
        complaint=complaint,
        actor=complaint.handler,
        respondent_type="person",
        respondent=trainers[0],
    )
    solution_propose(
        complaint=complaint,
        actor=complaint.handler,
        text="De trainer biedt excuses aan.",
        **letter_parts("solution"),
    )
    return complaint


def test_secretariat_confirms_a_closing_step_by_keyboard_alone(
    browser, live_server, transactional_db, organisation, course, trainers, secretariat
):
    complaint = livp_solution_proposed(course, trainers)
    no_agreement_declare(complaint=complaint, actor=complaint.handler)
    context = context_open(browser)
    log_in(context, live_server, secretariat)
    page = context.new_page()
    page.goto(f"{live_server.url}/zaken/{complaint.number}/")
    panel = "#actie-close_without_appeal"
    open_by_keyboard(page, panel, max_presses=120)
    tab_to(page, f"{panel} textarea", max_presses=5)
    page.keyboard.type("De klager ziet af van beroep.")
    tab_to(page, f"{panel} input[type=checkbox]", max_presses=5)
    page.keyboard.press("Space")  # the confirmation the closing step asks for
    assert page.locator(f"{panel} input[type=checkbox]").is_checked()
    focus_shown(page)
    tab_to(page, f"{panel} button[type=submit]", max_presses=3)
    press_and_wait(page, "Enter")
    context.close()
    complaint.refresh_from_db()
    assert (complaint.state, complaint.outcome) == (State.SETTLED, "no_agreement")


def test_complainant_and_third_party_answer_through_their_links_by_keyboard_alone(
    browser, live_server, transactional_db, organisation, course, trainers
):
    complaint = livp_solution_proposed(course, trainers)
    context = context_open(browser)
    page = context.new_page()

    # The complainant does not agree with the solution, and says why.
    page.goto(
        live_server.url
        + link_in_mail(complaint, to="jan@example.org", kind="solution_for_approval")
    )
    tab_to(page, "textarea", max_presses=30)
    page.keyboard.type("Excuses alleen zijn niet genoeg.")
    tab_to(page, "form:has(textarea) button[type=submit]", max_presses=3)
    press_and_wait(page, "Space")
    assert Approval.objects.get(solution__complaint=complaint, party="complainant").reason == (
        "Excuses alleen zijn niet genoeg."
    )

    # No agreement: the complainant appeals to the third party through the status link.
    no_agreement_declare(complaint=complaint, actor=complaint.handler)
    page.goto(
        live_server.url + link_in_mail(complaint, to="jan@example.org", kind="no_agreement_notice")
    )
    form = "form:has(input[name=action][value=appeal_to_third_party])"
    tab_to(page, f"{form} textarea", max_presses=40)
    page.keyboard.type("Ik vraag om een gesprek.")
    tab_to(page, f"{form} button[type=submit]", max_presses=3)
    press_and_wait(page, "Enter")
    complaint.refresh_from_db()
    assert complaint.state == State.WITH_THIRD_PARTY
    context.close()

    # The independent third party records the binding advice through its own link.
    context = context_open(browser)
    page = context.new_page()
    page.goto(
        live_server.url
        + link_in_mail(complaint, to="derde@example.org", kind="third_party_request")
    )
    tab_to(page, "textarea[name=advice]", max_presses=40)
    page.keyboard.type("De klacht is gegrond; een gesprek is nodig.")
    tab_to(page, "textarea[name=follow_ups]", max_presses=3)
    page.keyboard.type("Een gesprek tussen klager en trainer\nDe trainer volgt een training")
    tab_to(page, "input[name=remedy_due]", max_presses=3)
    page.keyboard.type("01012030")
    tab_to(page, "button[type=submit]", max_presses=6)
    press_and_wait(page, "Enter")
    assert "Uw bindend advies is vastgelegd" in page.locator("h1").inner_text()
    context.close()
    complaint.refresh_from_db()
    assert complaint.state == State.ADVICE_FOLLOW_UP
    ruling = complaint.rulings.get()
    assert ruling.remedy_due == dt.date(2030, 1, 1)
    assert [f.description for f in ruling.follow_ups.order_by("id")] == [
        "Een gesprek tussen klager en trainer",
        "De trainer volgt een training",
    ]
