"""Complaints brought to the step where a private link is sent, through the real services,
and a helper that finds the links in the messages the people received."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone, translation

from klachtroute.cases.services import (
    admissible_declare,
    complaint_register,
    defence_request,
    director_escalate,
    findings_respond,
    findings_share,
    procedure_send,
    respondent_set,
    solution_propose,
)
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.browser import context_open
from klachtroute.testing.factories import complaint_data, letter_parts

LINK_RE = re.compile(re.escape(settings.SITE_URL) + r"(/(?:en/)?p/[^/\s]+/)")


@pytest.fixture(autouse=True)
def dutch():
    """Each test starts in Dutch: a request under /en/ leaves English active in the thread,
    and link_create builds its address in the active language."""
    translation.activate("nl")
    yield
    translation.activate("nl")


def link_in_message(complaint, *, to: str = "", kind: str = "") -> str:
    """The path of the private link in the newest message to `to` (and of `kind`)."""
    messages = OutboxMessage.objects.filter(complaint=complaint)
    if to:
        messages = messages.filter(to=to)
    if kind:
        messages = messages.filter(kind=kind)
    for message in messages.order_by("-created_at", "-id"):
        found = LINK_RE.search(message.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no private link in a message to {to!r} of kind {kind!r}")


def path_of(url: str) -> str:
    return url.removeprefix(settings.SITE_URL)


@pytest.fixture
def livp(organisation, trainers, course):
    """A LIVP complaint in progress, handled by the third trainer, about the first trainer."""
    complaint = complaint_register(
        **complaint_data(course=course, remedy_sought="Excuses en een extra les.")
    )
    handler = complaint.handler
    respondent = trainers[0]
    respondent_set(
        complaint=complaint, actor=handler, respondent_type="person", respondent=respondent
    )
    complaint.refresh_from_db()
    return SimpleNamespace(complaint=complaint, handler=handler, respondent=respondent)


@pytest.fixture
def proposed(livp):
    """The handler recorded a solution; both parties got an e-mail with their own link."""
    solution = solution_propose(
        complaint=livp.complaint,
        actor=livp.handler,
        text="De trainer biedt excuses aan en geeft een extra les op 12 mei.",
        **letter_parts("solution"),
    )
    livp.solution = solution
    livp.complainant_url = link_in_message(
        livp.complaint, to="jan@example.org", kind="solution_for_approval"
    )
    livp.respondent_url = link_in_message(
        livp.complaint, to=livp.respondent.email, kind="solution_for_approval"
    )
    return livp


@pytest.fixture
def lsr(lsr_organisation, secretariat, director, trainers, course):
    """An admissible LSR complaint about a trainer (category 3), investigated by that trainer."""
    complaint = complaint_register(
        **complaint_data(
            actor=secretariat, channel="post", course=course, remedy_sought="Een excuus."
        )
    )
    admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="trainer",
        respondent_type="person",
        respondent=trainers[0],
    )
    complaint.refresh_from_db()
    return SimpleNamespace(
        complaint=complaint,
        handler=trainers[0],
        secretariat=secretariat,
        director=director,
    )


@pytest.fixture
def findings_shared(lsr):
    criteria = lsr.complaint.procedure_version.spec.criteria_for("trainer")
    judgements = {c.code: ("in_order", "") for c in criteria}
    judgements["treatment"] = ("not_in_order", "De toon in de les was niet respectvol.")
    lsr.findings = findings_share(
        complaint=lsr.complaint,
        actor=lsr.handler,
        summary="De trainer is drie keer te laat gekomen zonder uitleg.",
        proposed_solution="De trainer biedt excuses aan en de gemiste tijd wordt ingehaald.",
        judgements=judgements,
        **letter_parts("findings"),
    )
    lsr.url = link_in_message(lsr.complaint, to="jan@example.org", kind="findings")
    return lsr


@pytest.fixture
def browser_page(browser, live_server, transactional_db):
    """A Chromium page (Dutch locale, desktop size) of the session's one browser."""
    context = context_open(browser)
    yield context.new_page()
    context.close()


@pytest.fixture
def awaiting_defence(findings_shared):
    lsr = findings_shared
    findings_respond(complaint=lsr.complaint, party="complainant", agree=False, reason="Nee.")
    procedure_send(complaint=lsr.complaint, actor=lsr.secretariat)
    director_escalate(complaint=lsr.complaint, party="complainant")
    lsr.due = timezone.localdate() + dt.timedelta(days=14)
    while lsr.due.weekday() >= 5:
        lsr.due += dt.timedelta(days=1)
    defence_request(
        complaint=lsr.complaint,
        actor=lsr.director,
        question="Klopt het dat u drie keer te laat kwam?",
        due=lsr.due,
    )
    lsr.defence_url = link_in_message(lsr.complaint, to=lsr.handler.email, kind="defence_request")
    return lsr
