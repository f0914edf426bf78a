""" "Volgende stap" shows the step the procedure expects now, for this person, in words that
are true for the procedure of the complaint; a step done already, or not due, is neither the
next step nor listed as "not possible yet"."""

import re

import pytest
from django.test import Client

from klachtroute.cases.services import (
    admissible_declare,
    complaint_assign_handler,
    complaint_register,
    director_escalate,
    findings_respond,
    findings_share,
    no_agreement_declare,
    procedure_send,
    respondent_set,
    settlement_suspend,
    solution_propose,
)
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts

pytestmark = pytest.mark.django_db

# Words that belong to one procedure only, in Dutch and in English.
LSR_WORDS = ("LSR", "bevindingen", "klachtenregeling", "directeur", "ontvankelijk")
LSR_WORDS_EN = ("LSR", "findings", "director", "admissib")
LIVP_WORDS = (
    "LIVP",
    "fiattering",
    "onafhankelijke derde",
    "bindend advies",
    "ontvangstbevestiging",
)
LIVP_WORDS_EN = ("LIVP", "for approval", "independent third party", "binding advice")


def _actions(client: Client, complaint, language: str = "") -> str:
    """The words of "Wat u nu kunt doen", without markup and without people's names (a
    person may be called Directeur)."""
    page = client.get(f"{language}/zaken/{complaint.number}/").content.decode()
    start = page.index('id="actions-title"')
    section = page[start : page.index("</section>", start)]
    section = re.sub(r"<option[^>]*>[^<]*</option>", " ", section)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def _next_step(client: Client, complaint) -> str:
    text = _actions(client, complaint)
    if "Volgende stap" not in text:
        return ""
    return text.split("Volgende stap")[1].split("Overige acties")[0].split("Afsluiten")[0]


def _words_found(text: str, words: tuple[str, ...]) -> list[str]:
    return [word for word in words if word in text]


def _assert_pages_speak_only_of(complaint, people, *, foreign: tuple, foreign_en: tuple, tag):
    for person in people:
        client = Client()
        client.force_login(person)
        if client.get(f"/zaken/{complaint.number}/").status_code == 404:
            continue  # not (yet) this person's complaint
        found = _words_found(_actions(client, complaint), foreign)
        assert found == [], (tag, person.username, found)
        found = _words_found(_actions(client, complaint, "/en"), foreign_en)
        assert found == [], (tag, person.username, "en", found)


def test_under_livp_the_steps_and_their_hints_use_no_lsr_wording(
    organisation, course, trainers, secretariat, director
):
    complaint = complaint_register(**complaint_data(course=course))
    people = (trainers[2], secretariat, director)
    kwargs = {"foreign": LSR_WORDS, "foreign_en": LSR_WORDS_EN}
    _assert_pages_speak_only_of(complaint, people, tag="registered", **kwargs)
    respondent_set(
        complaint=complaint, actor=secretariat, respondent_type="person", respondent=trainers[0]
    )
    _assert_pages_speak_only_of(complaint, people, tag="respondent known", **kwargs)
    solution_propose(
        complaint=complaint, actor=trainers[2], text="Excuses.", **letter_parts("solution")
    )
    _assert_pages_speak_only_of(complaint, people, tag="solution proposed", **kwargs)
    no_agreement_declare(complaint=complaint, actor=secretariat)
    _assert_pages_speak_only_of(complaint, people, tag="no agreement", **kwargs)


def test_under_lsr_the_steps_and_their_hints_use_no_livp_wording(
    lsr_organisation, secretariat, director
):
    staff = UserFactory(username="mw", is_staff_member=True)
    complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    people = (staff, secretariat, director)
    kwargs = {"foreign": LIVP_WORDS, "foreign_en": LIVP_WORDS_EN}
    _assert_pages_speak_only_of(complaint, people, tag="registered", **kwargs)
    complaint = admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="staff",
        respondent_type="person",
        respondent=staff,
    )
    _assert_pages_speak_only_of(complaint, people, tag="routed", **kwargs)
    criteria = complaint.procedure_version.spec.criteria_for("staff")
    findings_share(
        complaint=complaint,
        actor=staff,
        summary="Onderzocht.",
        proposed_solution="Een gesprek.",
        judgements={c.code: ("in_order", "") for c in criteria},
        **letter_parts("findings"),
    )
    findings_respond(complaint=complaint, party="complainant", agree=False, reason="Nee.")
    _assert_pages_speak_only_of(complaint, people, tag="findings rejected", **kwargs)
    procedure_send(complaint=complaint, actor=secretariat)
    director_escalate(complaint=complaint, party="complainant")
    _assert_pages_speak_only_of(complaint, people, tag="with the director", **kwargs)


def test_appointing_a_handler_is_the_next_step_until_one_is_appointed_then_a_change(
    organisation, course, trainers, secretariat
):
    organisation.auto_assign = False
    organisation.save()
    complaint = complaint_register(**complaint_data(course=course))
    client = Client()
    client.force_login(secretariat)
    assert "Behandelaar aanwijzen" in _next_step(client, complaint)
    complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)
    # Appointed: another handler can still be appointed, but that is no longer the next step.
    assert "Behandelaar aanwijzen" not in _next_step(client, complaint)
    other = _actions(client, complaint).split("Overige acties")[1]
    assert "Behandelaar aanwijzen" in other


def test_lsr_5c_after_routing_to_the_person_first_responsible_appointing_is_no_next_step(
    lsr_organisation, secretariat
):
    staff = UserFactory(username="mw", is_staff_member=True)
    complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    complaint = admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="staff",
        respondent_type="person",
        respondent=staff,
    )
    assert complaint.handler == staff
    client = Client()
    client.force_login(secretariat)
    assert "Behandelaar aanwijzen" not in _next_step(client, complaint)
    assert "Behandelaar aanwijzen" in _actions(client, complaint).split("Overige acties")[1]


def test_a_step_not_due_or_done_already_is_not_listed_as_not_possible_yet(
    organisation, course, trainers
):
    complaint = complaint_register(**complaint_data(course=course))
    handler = trainers[2]
    client = Client()
    client.force_login(handler)
    text = _actions(client, complaint)
    # Nothing is suspended: resuming is not a step that waits for something.
    assert "Afhandeltermijn hervatten" not in text
    assert "Afhandeltermijn opschorten" in text.split("Overige acties")[1]
    settlement_suspend(complaint=complaint, actor=handler, reason="Wacht op een verklaring.")
    text = _actions(client, complaint)
    blocked = text.split("Nog niet mogelijk")[1] if "Nog niet mogelijk" in text else ""
    assert "Afhandeltermijn opschorten" not in blocked  # done already
    assert "Afhandeltermijn hervatten" in text.split("Overige acties")[1]
