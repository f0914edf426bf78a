"""The Content Security Policy in a real browser: the public form, the worklist
and a complaint record load without a single CSP violation, and htmx is configured for it."""

import pytest

from klachtroute.testing.browser import log_in

pytestmark = pytest.mark.browser


def visit(context, url: str, *, htmx: bool = True) -> list[str]:
    """Open `url` and return the console messages and page errors."""
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    page.wait_for_load_state("networkidle")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    # htmx loaded under the policy, with its inline indicator style switched off.
    if htmx:
        assert (
            page.evaluate("typeof htmx !== 'undefined' && htmx.config.includeIndicatorStyles")
            is False
        )
    page.close()
    return messages


def csp_violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Refused to" in m or "Content Security Policy" in m]


def test_public_form_loads_without_csp_violations(browser_context, live_server, organisation):
    messages = visit(browser_context, f"{live_server.url}/klacht/")
    assert csp_violations(messages) == [], messages


def test_staff_pages_load_without_csp_violations(
    browser_context, live_server, secretariat, complaint
):
    log_in(browser_context, live_server, secretariat)
    for path in ("/werk/", f"/zaken/{complaint.number}/"):
        messages = visit(browser_context, f"{live_server.url}{path}")
        assert csp_violations(messages) == [], (path, messages)


def test_admin_works_under_the_same_policy(browser_context, live_server, administrator, course):
    log_in(browser_context, live_server, administrator)
    for path in (
        "/beheer/",
        "/beheer/organisation/course/",
        f"/beheer/organisation/course/{course.pk}/change/",
    ):
        messages = visit(browser_context, f"{live_server.url}{path}", htmx=False)
        assert csp_violations(messages) == [], (path, messages)
