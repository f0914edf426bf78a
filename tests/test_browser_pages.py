"""Every page a person can open, in Chromium on a phone's width (375 px): axe-core finds no
accessibility violation, and no page is wider than the screen (tables scroll inside their
own box).

The pages come from the permissions table (klachtroute/operations/permissions.py), which
tests/test_permissions.py keeps complete for every URL pattern: each role opens every page
the table lets it open, with the addresses that test uses. Files (PDF, CSV, XLSX, JSON, ZIP,
SVG, mail), the API and the health check are not pages and are left out by their address.
"""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from klachtroute.links.models import Purpose
from klachtroute.links.tokens import link_create
from klachtroute.operations.permissions import (
    ALLOW,
    DENY,
    URL_ADDRESSES,
    URL_METHODS,
    URL_PERMISSIONS,
)
from klachtroute.testing.browser import PHONE, axe_violations, context_open, log_in, overflow

from . import test_permissions
from .test_permissions import address, path_of

# The permissions suite's fixture: one complaint, and a person in every role around it.
world = test_permissions.world

pytestmark = pytest.mark.browser

NOT_A_PAGE = re.compile(r"(\.(pdf|csv|xlsx|json|zip|svg|eml)|/(pdf|csv|xlsx)/)$")


def is_page(name: str) -> bool:
    return (
        URL_METHODS[name] == "GET"
        and not name.startswith("api-v1:")
        and name != "health"
        and not NOT_A_PAGE.search(URL_ADDRESSES[name])
    )


def pages_of(role: str) -> list[str]:
    """The pages the table lets `role` open; a logged-in role's pages leave out the public
    pages (the same for everyone; checked once, as the anonymous visitor)."""
    return [
        name
        for name, row in URL_PERMISSIONS.items()
        if row[role] == ALLOW
        and is_page(name)
        and (role == "anonymous" or row["anonymous"] == DENY)
    ]


SAME_FOR_EVERYONE = """() => document.documentElement.outerHTML
  .replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, '')
  .replace(/<a class="who"[^<]*<\\/a>/, '')"""


def check(
    page, url: str, *, status: int | tuple[int, ...] = 200, seen: set[str] | None = None
) -> list[str] | None:
    """Open `url`; return what is wrong with it (nothing for a good page; None for a file).
    A page the same as one in `seen` (but for the person's name) is not checked again."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return None  # a file (a document, a letter) is no page
        raise
    problems = []
    if response.status not in (status if isinstance(status, tuple) else (status,)):
        problems.append(f"status {response.status}, expected {status}")
    if not response.headers.get("content-type", "").startswith("text/html"):
        return None  # a file shown inline (a PDF letter) is no page
    if seen is not None:
        markup = page.evaluate(SAME_FOR_EVERYONE)
        if markup in seen:
            return problems
        seen.add(markup)
    wide = overflow(page)
    if wide:
        problems.append(wide)
    problems += axe_violations(page)
    return problems


def test_every_staff_page_of_every_role_is_accessible_and_fits_a_phone(browser, live_server, world):
    report: list[str] = []
    files: set[str] = set()
    seen: set[str] = set()
    checked = 0
    for role, user in world["users"].items():
        names = pages_of(role)
        assert "cases:worklist" in names, role  # the table is read, not empty
        context = context_open(browser, viewport=PHONE)
        log_in(context, live_server, user)
        page = context.new_page()
        for name in names:
            path = address(world, role, name)
            if name in files:
                continue
            problems = check(page, live_server.url + path, seen=seen)
            if problems is None:
                files.add(name)
            report += [f"{role} {name} {path}: {problem}" for problem in problems or ()]
            checked += 1
        context.close()
    assert checked > 30 and len(seen) > 20
    assert not report, "\n".join(report)


def test_every_private_link_page_and_public_page_is_accessible_and_fits_a_phone(
    browser, live_server, world
):
    complaint = world["complaint"]
    links = {
        (purpose, party): path_of(link_create(complaint=complaint, party=party, purpose=purpose))
        for purpose, party in [
            (Purpose.STATUS, "complainant"),
            (Purpose.STATUS, "respondent"),
            (Purpose.APPROVE_SOLUTION, "complainant"),
            (Purpose.APPROVE_SOLUTION, "respondent"),
            (Purpose.RESPOND_FINDINGS, "complainant"),
            (Purpose.DEFENCE, "respondent"),
            (Purpose.THIRD_PARTY, "third_party"),
            (Purpose.COMPLAINT_COPY, "respondent"),
        ]
    }
    assert {purpose for purpose, _party in links} == set(Purpose)  # a new kind gets a row
    context = context_open(browser, viewport=PHONE)
    page = context.new_page()
    report = []
    for (purpose, party), path in links.items():
        # A link whose step is not open (yet) answers 410 with its own page.
        problems = check(page, live_server.url + path, status=(200, 410))
        report += [f"link {purpose} {party} {path}: {p}" for p in ["no page"] if problems is None]
        report += [f"link {purpose} {party} {path}: {p}" for p in problems or ()]
    for name in pages_of("anonymous"):
        path = address(world, "anonymous", name)
        problems = check(page, live_server.url + path)
        report += [f"anonymous {name} {path}: {problem}" for problem in problems or ()]
    context.close()
    assert not report, "\n".join(report)


def test_refusals_are_the_products_own_translated_pages(browser, live_server, world):
    """A page of another role answers 403, a complaint one may not see 404: both in the
    site's own layout and language, accessible, and fitting a phone."""
    refused = next(
        name
        for name in pages_of("secretariat")
        if URL_PERMISSIONS[name]["course_trainer"] == DENY and "{" not in URL_ADDRESSES[name]
    )
    context = context_open(browser, viewport=PHONE, locale="en-GB")
    log_in(context, live_server, world["users"]["course_trainer"])
    page = context.new_page()
    report = []
    for language, prefix, heading_403, heading_404 in [
        ("nl", "", "Geen toegang", "Pagina niet gevonden"),
        ("en", "/en", "No access", "Page not found"),
    ]:
        for path, status, heading in [
            (prefix + address(world, "course_trainer", refused), 403, heading_403),
            (f"{prefix}/zaken/{world['complaint'].number}/", 404, heading_404),
        ]:
            problems = check(page, live_server.url + path, status=status)
            assert problems is not None, path
            report += [f"{path}: {p}" for p in problems]
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("h1").inner_text() == heading, path
            assert page.locator("nav.staff-nav").count() == 1  # the site's own layout
    context.close()
    assert not report, "\n".join(report)
