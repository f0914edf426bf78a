"""The public form in a real browser (headless Chromium through Playwright), used with the
keyboard only, and checked with axe-core (LIVP-1)."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from klachtroute.cases.models import Complaint

pytestmark = pytest.mark.browser


def assert_accessible(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement?.matches(s) ?? false", selector)


def tab_to(page, selector: str, max_presses: int = 4) -> None:
    """Press Tab until the element is focused, as a keyboard user would.

    A date input has several segments (day, month, year), so leaving it can take
    more than one press; anything beyond `max_presses` means the order is wrong.
    """
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    active = page.evaluate("document.activeElement?.outerHTML")
    raise AssertionError(f"Tab did not reach {selector}; focus is on {active}")


def typeable_date() -> dt.date:
    """A recent past date whose day equals its month, so that it types the same in a
    dd-mm-yyyy and an mm/dd/yyyy date field (the order depends on Chromium's own locale)."""
    day = timezone.localdate() - dt.timedelta(days=1)
    while day.day != day.month:
        day -= dt.timedelta(days=1)
    return day


def test_livp_1_complainant_fills_in_the_form_with_the_keyboard_and_the_secretariat_finds_it(
    browser_page, live_server, organisation, course, trainers, secretariat
):
    page = browser_page
    page.goto(f"{live_server.url}/klacht/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert "vertrouwelijk behandeld" in page.locator("#confidentiality").inner_text()
    assert_accessible(page)

    page.locator("#id_complainant_name").focus()
    page.keyboard.type("Fatma Yılmaz")
    tab_to(page, "#id_complainant_phone")
    page.keyboard.type("06 12 34 56 78")
    tab_to(page, "#id_complainant_email")
    page.keyboard.type("fatma@example.org")
    tab_to(page, "#id_course")
    page.keyboard.type("Basis")  # type-ahead in a closed select picks the course
    assert page.locator("#id_course").input_value() == str(course.pk)
    tab_to(page, "#id_course_other")
    tab_to(page, "#id_complaint_date")
    complaint_date = typeable_date()
    page.keyboard.type(complaint_date.strftime("%d%m%Y"))
    assert page.locator("#id_complaint_date").input_value() == complaint_date.isoformat()
    tab_to(page, "#id_description")
    page.keyboard.type("De trainer maakte in de groep opmerkingen over mijn afkomst.")
    tab_to(page, "#id_remedy_sought")
    page.keyboard.type("Excuses en een gesprek.")
    tab_to(page, "#submit-complaint")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/klacht/ontvangen/"))
    number = page.locator("#complaint-number").inner_text().strip()
    assert re.fullmatch(r"K-\d{4}-\d{4}", number)
    assert page.locator("h1").inner_text() == "Uw klacht is ontvangen"
    assert_accessible(page)

    complaint = Complaint.objects.get()
    assert complaint.number == number
    assert complaint.complainant_name == "Fatma Yılmaz"
    assert complaint.complaint_date == complaint_date
    assert complaint.handler == trainers[2]

    page.goto(f"{live_server.url}/inloggen/")
    page.locator("#id_username").fill("secretariaat")
    page.locator("#id_password").fill("geheim-wachtwoord-1")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/werk/"))
    assert number in page.locator("main").inner_text()


def test_livp_1_form_errors_are_announced_accessible_and_keep_what_was_typed(
    browser_page, live_server, organisation, course
):
    page = browser_page
    page.goto(f"{live_server.url}/klacht/")
    page.locator("#id_complainant_name").focus()
    page.keyboard.type("Fatma Yılmaz")
    tab_to(page, "#id_complainant_phone")
    page.keyboard.type("12345")
    tab_to(page, "#id_complainant_email")
    page.keyboard.type("fatma@example.org")
    page.locator("#submit-complaint").focus()
    page.keyboard.press("Space")

    page.wait_for_selector("#error-summary")
    assert page.title().startswith("Fout:")
    # The summary takes the focus, so that a screen reader reads it out first.
    assert focused(page, "#error-summary")
    assert page.locator("#error-summary").get_attribute("role") == "alert"
    phone_error = page.locator("#id_complainant_phone-error")
    assert "Vul een geldig telefoonnummer in" in phone_error.inner_text()
    assert page.locator("#id_complainant_name-error").count() == 0
    assert page.locator("#id_complainant_name").input_value() == "Fatma Yılmaz"
    assert page.locator("#id_complainant_phone").input_value() == "12345"
    assert page.locator("#id_complainant_phone").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    assert not Complaint.objects.exists()

    # From the summary a keyboard user reaches the first field in error.
    page.keyboard.press("Tab")
    assert focused(page, "#error-summary a[href='#id_complainant_phone']")
