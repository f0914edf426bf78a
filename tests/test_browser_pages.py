"""Every page a person can open, in Chromium on a phone's width (375 px): axe-core finds no
accessibility violation, and no page is wider than the screen (tables scroll inside their
own box).

The pages come from the permissions table (klachtroute/operations/permissions.py), which
tests/test_permissions.py keeps complete for every URL pattern: each role opens every page
the table lets it open, with the addresses that test uses. Files (PDF, CSV, XLSX, JSON, ZIP,
SVG, mail), the API and the health check are not pages and are left out by their address.
"""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from klachtroute.cases.services import (
    admissible_declare,
    complainant_information_add,
    complaint_register,
    defence_request,
    director_escalate,
    findings_respond,
    findings_share,
    first_contact_record,
    no_agreement_declare,
    no_appeal_close,
    procedure_send,
    respondent_set,
    solution_propose,
    third_party_appeal,
)
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
from klachtroute.testing.factories import complaint_data, letter_parts, organisation_create

from . import test_permissions
from .test_permissions import PDF_BYTES, address, path_of

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
    return problems + problems_here(page)


def problems_here(page) -> list[str]:
    """What is wrong with the page as it is now: too wide for the screen, axe's violations."""
    wide = overflow(page)
    return ([wide] if wide else []) + axe_violations(page)


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


def _before_the_third_party(course) -> str:
    """A complaint the complainant put before the independent third party, with a first
    contact, added information and documents: the third party's link, with its form open."""
    complaint = complaint_register(
        **complaint_data(
            course=course,
            remedy_sought="Excuses en een extra les.",
            document=SimpleUploadedFile("brief klager.pdf", PDF_BYTES),
        )
    )
    first_contact_record(
        complaint=complaint,
        actor=complaint.handler,
        method="phone",
        contacted_at=timezone.now(),
        note="Klager gebeld over het rooster.",
    )
    complainant_information_add(
        complaint=complaint,
        text="Ook op 3 maart kwam de trainer te laat.",
        files=[SimpleUploadedFile("rooster-maart-met-een-heel-lange-bestandsnaam.pdf", PDF_BYTES)],
    )
    no_agreement_declare(complaint=complaint, actor=complaint.handler, reason="Geen oplossing.")
    third_party_appeal(complaint=complaint, party="complainant", note="Graag een bindend advies.")
    return path_of(link_create(complaint=complaint, party="third_party", purpose="third_party"))


def test_third_party_page_with_its_form_is_accessible_and_fits_a_phone(
    browser, live_server, organisation, course
):
    path = _before_the_third_party(course)
    context = context_open(browser, viewport=PHONE)
    page = context.new_page()
    problems = check(page, live_server.url + path)
    assert page.locator("textarea[name=advice]").count() == 1  # the form is shown
    assert page.locator("a[href*='?document=']").count() == 3
    context.close()
    assert problems == []


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


def link_forms(course, trainers, secretariat, director) -> list[tuple[str, str, list[str]]]:
    """Every page behind a private link in each state where it asks something, brought there
    by the services: (what it is, its path, the buttons that send its forms back with errors
    when pressed with nothing filled in). LIVP first, then the organisation moves to LSR."""

    def livp_complaint(step: str):
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
        if step != "proposed":
            no_agreement_declare(complaint=complaint, actor=complaint.handler)
        if step == "with_third_party":
            third_party_appeal(complaint=complaint, party="complainant")
        if step == "settled":
            no_appeal_close(complaint=complaint, actor=secretariat)
        return complaint

    def link(complaint, party: str, purpose: str) -> str:
        return path_of(link_create(complaint=complaint, party=party, purpose=purpose))

    proposed = livp_complaint("proposed")
    no_agreement = livp_complaint("no_agreement")
    with_third_party = livp_complaint("with_third_party")
    settled = livp_complaint("settled")
    pages = [
        (
            "solution to approve, complainant",
            link(proposed, "complainant", Purpose.APPROVE_SOLUTION),
            ["Ik ga niet akkoord"],
        ),
        (
            "solution to approve, respondent",
            link(proposed, "respondent", Purpose.APPROVE_SOLUTION),
            ["Ik ga niet akkoord"],
        ),
        (
            "status, withdrawing and adding information",
            link(proposed, "complainant", Purpose.STATUS),
            ["Klacht intrekken", "Toevoegen"],
        ),
        (
            "status, appeal to the third party",
            link(no_agreement, "complainant", Purpose.STATUS),
            [],  # the note is not required: the appeal has nothing to get wrong
        ),
        (
            "third party's advice",
            link(with_third_party, "third_party", Purpose.THIRD_PARTY),
            ["Bindend advies vastleggen"],
        ),
        (
            "status, satisfaction survey",
            link(settled, "complainant", Purpose.STATUS),
            ["Antwoorden versturen"],
        ),
    ]

    organisation_create(preset="lsr", auto_assign=False)

    def lsr_complaint():
        complaint = complaint_register(
            **complaint_data(actor=secretariat, channel="post", course=course)
        )
        admissible_declare(
            complaint=complaint,
            actor=secretariat,
            category="trainer",
            respondent_type="person",
            respondent=trainers[0],
        )
        criteria = complaint.procedure_version.spec.criteria_for("trainer")
        findings_share(
            complaint=complaint,
            actor=trainers[0],
            summary="De trainer kwam te laat.",
            proposed_solution="Excuses.",
            judgements={c.code: ("in_order", "") for c in criteria},
            **letter_parts("findings"),
        )
        return complaint

    findings = lsr_complaint()
    not_solved = lsr_complaint()
    findings_respond(complaint=not_solved, party="complainant", agree=False, reason="Nee.")
    procedure_send(complaint=not_solved, actor=secretariat)
    defence = lsr_complaint()
    findings_respond(complaint=defence, party="complainant", agree=False, reason="Nee.")
    procedure_send(complaint=defence, actor=secretariat)
    director_escalate(complaint=defence, party="complainant")
    due = timezone.localdate() + dt.timedelta(days=14)
    while due.weekday() >= 5:
        due += dt.timedelta(days=1)
    defence_request(complaint=defence, actor=director, question="Uw kant?", due=due)
    return pages + [
        (
            "findings to respond to",
            link(findings, "complainant", Purpose.RESPOND_FINDINGS),
            ["Ik ga niet akkoord"],
        ),
        (
            "status, escalation to the director",
            link(not_solved, "complainant", Purpose.STATUS),
            [],  # the note is not required
        ),
        ("defence", link(defence, "respondent", Purpose.DEFENCE), ["Verweer versturen"]),
    ]


def test_every_private_link_form_is_accessible_and_fits_a_phone_blank_and_with_its_errors(
    browser, live_server, transactional_db, organisation, course, trainers, secretariat, director
):
    pages = link_forms(course, trainers, secretariat, director)
    context = context_open(browser, viewport=PHONE)
    page = context.new_page()
    report = []
    for what, path, buttons in pages:
        problems = check(page, live_server.url + path)
        assert problems is not None, f"{what}: no page"
        assert page.locator("main form").count(), f"{what}: no form on {path}"
        report += [f"{what} {path}: {p}" for p in problems]
        for name in buttons:
            page.goto(live_server.url + path)
            button = page.get_by_role("button", name=name, exact=True, include_hidden=True)
            if not button.is_visible():  # a step folded away under its own summary
                page.locator("details", has=button).locator("> summary").click()
            page.evaluate("window.__before = true")
            button.click()
            page.wait_for_function("() => window.__before === undefined")
            page.wait_for_load_state()
            assert page.locator(".field-error").count(), f"{what}: {name} showed no error"
            report += [f"{what} {path}, {name} with errors: {p}" for p in problems_here(page)]
    context.close()
    assert not report, "\n".join(report)
