"""One story per procedure (LIVP, LSR, Awb chapter 9) in Chromium, from the public web form to
closing, and one per route a procedure has besides (LIVP's independent third party, LSR's exam
committee). Each person has a browser of their own: the complainant and outside parties follow
the private links in the mails they received (the outbox), staff open the complaint from
their worklist and take each step in its form on the record page. axe-core checks the pages
each person works on."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone

from klachtroute.cases.models import Complaint
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.browser import axe_violations, context_open, log_in
from klachtroute.testing.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.browser
LINK = re.compile(re.escape(settings.SITE_URL) + r"(/(?:en/)?p/[^/\s]+/)")
COMPLAINANT = "fatma@example.org"


class Person:
    """Someone with a browser of their own on the live server."""

    def __init__(self, browser, live_server, user=None):
        self.server = live_server.url
        self.context = context_open(browser)
        if user is not None:
            log_in(self.context, live_server, user)
        self.page = self.context.new_page()

    def open(self, path: str) -> None:
        response = self.page.goto(self.server + path)
        assert response.ok, (path, response.status)

    def accessible(self) -> None:
        violations = axe_violations(self.page)
        assert not violations, f"{self.page.url}:\n" + "\n".join(violations)

    def submit(self, button) -> None:
        """Press a submit button and wait until the next page has loaded."""
        self.page.evaluate("window.__before_submit = true")
        button.click()
        self.page.wait_for_function("() => window.__before_submit === undefined")
        self.page.wait_for_load_state()

    def open_complaint(self, number: str) -> None:
        """From the worklist to the record page, as staff get there."""
        self.open("/werk/")
        self.page.get_by_role("link", name=number, exact=True).first.click()
        self.page.wait_for_url(re.compile(rf"/zaken/{number}/$"))

    def act(self, action: str, fields: dict | None = None) -> None:
        """Open the action's panel on the record page, fill in its form, submit it."""
        panel = self.page.locator(f"#actie-{action}")
        assert panel.count() == 1, f"{action} is not offered on {self.page.url}"
        # The step's own disclosure, and any its group is folded under, outermost first.
        folded = self.page.locator(f"details:not([open]):has(#actie-{action})")
        for _ in range(folded.count()):
            folded.nth(0).locator(":scope > summary").click()
        if panel.get_attribute("open") is None:
            panel.locator(":scope > summary").click()
        for name, value in (fields or {}).items():
            field = panel.locator(f'[name="{name}"]')
            kind = field.first.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
            if kind == "select":
                field.select_option(str(value))
            elif kind == "radio":
                panel.locator(f'[name="{name}"][value="{value}"]').check()
            else:
                field.fill(str(value))
        confirm = panel.locator('input[name="confirm"]')
        if confirm.count():
            confirm.check()
        self.submit(panel.locator("button[type=submit]"))
        errors = self.page.locator(".action-panel.has-errors, #action-refusal")
        assert errors.count() == 0, errors.first.inner_text()

    def close(self) -> None:
        self.context.close()


def link_in_mail(complaint: Complaint, *, to: str, kind: str = "") -> str:
    """The private link in the newest mail to `to` (of `kind`), as the person reads it."""
    messages = OutboxMessage.objects.filter(complaint=complaint, to=to)
    if kind:
        messages = messages.filter(kind=kind)
    for message in messages.order_by("-id"):
        found = LINK.search(message.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no mail with a link to {to} ({kind})")


def fill_in_web_form(person: Person, course, *, with_address: bool = False) -> Complaint:
    """The complainant fills in the public form and is told the complaint's number."""
    person.open("/klacht/")
    page = person.page
    page.locator("#id_complainant_name").fill("Fatma Yılmaz")
    page.locator("#id_complainant_phone").fill("06 12 34 56 78")
    page.locator("#id_complainant_email").fill(COMPLAINANT)
    if with_address:
        page.locator("#id_complainant_address").fill("Kerkstraat 1\n1234 AB Utrecht")
    page.locator("#id_course").select_option(str(course.pk))
    page.locator("#id_complaint_date").fill((timezone.localdate() - dt.timedelta(3)).isoformat())
    page.locator("#id_description").fill(
        "De trainer maakte in de groep opmerkingen over mijn afkomst."
    )
    page.locator("#id_remedy_sought").fill("Excuses en een gesprek.")
    person.submit(page.locator("#submit-complaint"))
    number = page.locator("#complaint-number").inner_text().strip()
    return Complaint.objects.get(number=number)


def mail_to(complaint: Complaint, *, to: str, kind: str) -> OutboxMessage:
    """The newest mail of `kind` to `to`, as the person finds it in their inbox."""
    message = (
        OutboxMessage.objects.filter(complaint=complaint, to=to, kind=kind).order_by("-id").first()
    )
    assert message is not None, f"no {kind} mail to {to}"
    return message


def livp_solution_proposed(browser, live_server, complainant, course, trainers):
    """LIVP-1 to LIVP-6: the complainant's web form, the handler's first contact and the
    solution sent to both parties for approval. Returns the complaint and the handler."""
    respondent = trainers[0]  # teaches the course; the complaint is about them
    complaint = fill_in_web_form(complainant, course)
    # LIVP-3/4: a trainer who does not teach the course handles it.
    assert complaint.handler == trainers[2]

    # The handler phones a few minutes later; the form takes whole minutes, so the receipt
    # moves back the minutes this test does not wait.
    Complaint.objects.filter(pk=complaint.pk).update(
        received_at=complaint.received_at - dt.timedelta(minutes=5)
    )
    contacted = timezone.localtime() - dt.timedelta(minutes=2)
    handler = Person(browser, live_server, trainers[2])
    handler.open_complaint(complaint.number)
    handler.accessible()
    handler.act(
        "record_first_contact",
        {"method": "phone", "contacted_at": contacted.strftime("%Y-%m-%dT%H:%M")},
    )
    handler.act("set_respondent", {"respondent_type": "person", "respondent": respondent.pk})
    handler.act(
        "propose_solution",
        {
            "text": "De trainer biedt schriftelijk excuses aan.",
            "reasons": "De opmerkingen waren kwetsend.",
            "remedy_due": "2030-01-31",
        },
    )
    complaint.refresh_from_db()
    assert complaint.state == State.AWAITING_APPROVAL
    return complaint, handler


def test_livp_story_from_the_web_form_to_the_solution_both_parties_approve(
    browser, live_server, transactional_db, organisation, course, trainers
):
    respondent = trainers[0]
    complainant = Person(browser, live_server)
    complaint, handler = livp_solution_proposed(browser, live_server, complainant, course, trainers)

    # LIVP-6/7: both parties approve through the link in their mail.
    for person, address in [(complainant, COMPLAINANT), (Person(browser, live_server), None)]:
        to = address or respondent.email
        person.open(link_in_mail(complaint, to=to, kind="solution_for_approval"))
        assert "De trainer biedt schriftelijk excuses aan." in person.page.content()
        person.accessible()
        person.submit(person.page.get_by_role("button", name="Ik ga akkoord met de oplossing"))
        person.accessible()
        person.close()

    complaint.refresh_from_db()
    assert (complaint.state, complaint.outcome) == (State.SETTLED, "solution_approved")
    handler.open_complaint(complaint.number)
    assert "Afgehandeld" in handler.page.locator("main").inner_text()
    handler.close()


def test_livp_story_from_a_rejected_solution_through_the_third_partys_advice_to_closing(
    browser, live_server, transactional_db, organisation, course, trainers, secretariat, director
):
    complainant = Person(browser, live_server)
    complaint, handler = livp_solution_proposed(browser, live_server, complainant, course, trainers)

    # LIVP-6: the complainant does not agree with the solution, and says why.
    complainant.open(link_in_mail(complaint, to=COMPLAINANT, kind="solution_for_approval"))
    page = complainant.page
    page.get_by_label("Waarom gaat u niet akkoord?").fill("Excuses alleen zijn niet genoeg.")
    complainant.submit(page.get_by_role("button", name="Ik ga niet akkoord"))
    assert "niet akkoord gegaan met de oplossing" in page.locator("main").inner_text()
    complainant.accessible()
    complaint.refresh_from_db()
    assert complaint.state == State.IN_PROGRESS
    told = mail_to(complaint, to=trainers[2].email, kind="solution_rejected")
    assert "Excuses alleen zijn niet genoeg." in told.body

    # LIVP-9/11: the handler finds no agreement; the complainant is told in writing of the
    # independent third party, with a link to appeal.
    handler.open_complaint(complaint.number)
    handler.act("declare_no_agreement", {"reason": "De klager wil meer dan excuses."})
    complaint.refresh_from_db()
    assert complaint.state == State.NO_AGREEMENT
    notice = mail_to(complaint, to=COMPLAINANT, kind="no_agreement_notice")
    assert "Mr. A. Derde" in notice.body and "derde@example.org" in notice.body

    # LIVP-11: the complainant appeals through the link in that mail.
    complainant.open(link_in_mail(complaint, to=COMPLAINANT, kind="no_agreement_notice"))
    assert "Mr. A. Derde" in page.locator("main").inner_text()
    complainant.accessible()  # the status page with the appeal and the withdrawal forms
    page.get_by_label("Toelichting voor de onafhankelijke derde").fill(
        "Ik vraag om een gesprek met de trainer erbij."
    )
    complainant.submit(
        page.get_by_role("button", name="Voorleggen aan de onafhankelijke derde", exact=True)
    )
    assert "Uw klacht is voorgelegd aan de onafhankelijke derde." in page.content()
    complainant.accessible()
    complaint.refresh_from_db()
    assert complaint.state == State.WITH_THIRD_PARTY

    # The third party reads the complaint, the solution and the complainant's objection on
    # its own page, and records the binding advice there.
    request = mail_to(complaint, to="derde@example.org", kind="third_party_request")
    assert "Ik vraag om een gesprek met de trainer erbij." in request.body
    third_party = Person(browser, live_server)
    third_party.open(link_in_mail(complaint, to="derde@example.org", kind="third_party_request"))
    seen = third_party.page.locator("main").inner_text()
    assert "opmerkingen over mijn afkomst" in seen
    assert "De trainer biedt schriftelijk excuses aan." in seen
    assert "Excuses alleen zijn niet genoeg." in seen
    third_party.accessible()
    advice_page = third_party.page
    advice_page.get_by_label("Bindend advies", exact=True).fill(
        "De klacht is gegrond. Excuses volstaan niet; een gesprek is nodig."
    )
    advice_page.get_by_label("Wat moet de organisatie doen?").fill(
        "Een gesprek tussen klager en trainer\nDe trainer volgt een training"
    )
    advice_page.get_by_label("Uitgevoerd uiterlijk").fill("2030-01-31")
    third_party.submit(advice_page.get_by_role("button", name="Bindend advies vastleggen"))
    assert "Uw bindend advies is vastgelegd" in advice_page.locator("h1").inner_text()
    third_party.accessible()
    third_party.close()
    complaint.refresh_from_db()
    assert complaint.state == State.ADVICE_FOLLOW_UP
    advice = mail_to(complaint, to=COMPLAINANT, kind="binding_advice")
    assert "Excuses volstaan niet" in advice.body
    assert "- De trainer volgt een training" in advice.body
    assert mail_to(complaint, to=secretariat.email, kind="binding_advice_recorded")

    # The organisation carries the advice out: the director gives each point an owner and a
    # date (a point is ticked off only once planned), the secretariat ticks off both points;
    # the last one closes the complaint.
    points = {p.description: p.pk for p in complaint.rulings.get().follow_ups.all()}
    head = Person(browser, live_server, director)
    head.open_complaint(complaint.number)
    head.accessible()
    for point, owner in [
        ("De trainer volgt een training", trainers[0]),
        ("Een gesprek tussen klager en trainer", secretariat),
    ]:
        head.act(
            "plan_follow_up",
            {"follow_up": points[point], "owner": owner.pk, "due_date": "2030-01-31"},
        )
    assert mail_to(complaint, to=trainers[0].email, kind="measure_assigned")
    head.close()
    office = Person(browser, live_server, secretariat)
    office.open_complaint(complaint.number)
    office.accessible()
    for point, note in [
        ("Een gesprek tussen klager en trainer", "Gesprek gevoerd op 3 maart."),
        ("De trainer volgt een training", "Training gevolgd."),
    ]:
        office.act("complete_follow_up", {"follow_up": points[point], "note": note})
    complaint.refresh_from_db()
    assert (complaint.state, complaint.outcome) == (State.SETTLED, "binding_advice")
    assert "Afgehandeld" in office.page.locator("main").inner_text()
    office.close()

    # The complainant's status link still shows how the complaint ended, with the survey.
    complainant.open(link_in_mail(complaint, to=COMPLAINANT, kind="no_agreement_notice"))
    assert "Afgehandeld" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Antwoorden versturen").count() == 1
    complainant.accessible()
    for person in (complainant, handler):
        person.close()


def test_lsr_story_from_the_web_form_to_the_directors_ruling(
    browser, live_server, transactional_db, lsr_organisation, course, secretariat, director
):
    trainer = UserFactory(username="docent", first_name="Dirk", last_name="Docent", is_trainer=True)
    complainant = Person(browser, live_server)
    complaint = fill_in_web_form(complainant, course)
    assert complaint.state == State.NEW

    # LSR-5a/5b/5c: the secretariat judges it admissible, category 3, for the trainer.
    office = Person(browser, live_server, secretariat)
    office.open_complaint(complaint.number)
    office.accessible()
    office.act(
        "judge_admissible",
        {"category": "trainer", "respondent_type": "person", "respondent": trainer.pk},
    )

    # LSR-6b/6c: the trainer investigates and shares the findings by the criteria.
    investigator = Person(browser, live_server, trainer)
    investigator.open_complaint(complaint.number)
    findings = {
        "summary": "De beoordeling volgde de rubric.",
        "proposed_solution": "Een extra feedbackgesprek.",
        "remedy_due": "2030-01-31",
    }
    for criterion in complaint.procedure_version.spec.criteria_for("trainer"):
        findings[f"criterion_{criterion.code}"] = "in_order"
    investigator.act("share_findings", findings)
    investigator.accessible()

    complainant.open(link_in_mail(complaint, to=COMPLAINANT, kind="findings"))
    complainant.accessible()
    complainant.page.get_by_label("Waarom gaat u niet akkoord?").fill(
        "Ik ben het er niet mee eens."
    )
    complainant.submit(complainant.page.get_by_role("button", name="Ik ga niet akkoord"))

    # LSR-6d: the secretariat sends the procedure; the complainant escalates to the director.
    office.open_complaint(complaint.number)
    office.act("send_procedure")
    complainant.open(link_in_mail(complaint, to=COMPLAINANT, kind="director_procedure"))
    complainant.accessible()
    complainant.submit(complainant.page.get_by_role("button", name="Voorleggen aan de directeur"))
    complaint.refresh_from_db()
    assert complaint.state == State.WITH_DIRECTOR

    # LSR-6e: the director asks the respondent for a defence, who answers through the link.
    head = Person(browser, live_server, director)
    head.open_complaint(complaint.number)
    head.accessible()
    due = timezone.localdate() + dt.timedelta(days=14)
    while due.weekday() >= 5:
        due += dt.timedelta(days=1)
    head.act(
        "request_defence",
        {"question": "Hoe is de toets beoordeeld?", "due": due.isoformat(), "due_reason": ""},
    )
    respondent = Person(browser, live_server)
    respondent.open(link_in_mail(complaint, to=trainer.email, kind="defence_request"))
    respondent.accessible()
    respondent.page.get_by_label("Uw verweer").fill("De toets is met de rubric beoordeeld.")
    respondent.submit(respondent.page.get_by_role("button", name="Verweer versturen"))
    respondent.accessible()
    respondent.close()

    # LSR-6f: the director rules; the complaint is closed and both parties are told.
    head.open_complaint(complaint.number)
    ruling = {
        "decision": "unfounded",
        "motivation": "De beoordeling was juist.",
        "remedy": "Geen verdere actie.",
    }
    # LSR-6e: the director judges each criterion of LSR-6b before the verdict.
    for criterion in complaint.procedure_version.spec.criteria_for("trainer"):
        ruling[f"criterion_{criterion.code}"] = "in_order"
    head.act("rule", ruling)
    complaint.refresh_from_db()
    assert (complaint.state, complaint.outcome) == (State.SETTLED, "unfounded")
    rulings = OutboxMessage.objects.filter(complaint=complaint, kind="ruling")
    assert {m.to for m in rulings} == {COMPLAINANT, trainer.email}

    for person in (complainant, office, investigator, head):
        person.close()


def test_awb_story_from_the_web_form_to_the_reasoned_outcome(
    browser, live_server, transactional_db, awb_organisation, secretariat
):
    handler_user = UserFactory(username="hannah", first_name="Hannah", is_staff_member=True)
    employee = UserFactory(
        username="rob", first_name="Rob", last_name="Medewerker", is_staff_member=True
    )
    course = CourseFactory(name="Bachelor Bestuurskunde")
    complainant = Person(browser, live_server)
    complaint = fill_in_web_form(complainant, course, with_address=True)

    office = Person(browser, live_server, secretariat)
    office.open_complaint(complaint.number)
    office.act("set_respondent", {"respondent_type": "person", "respondent": employee.pk})
    office.act("assign_handler", {"handler": handler_user.pk})
    office.close()

    # AWB-9:9/9:10: the handler sends the respondent a copy, offers and records the hearing.
    handler = Person(browser, live_server, handler_user)
    handler.open_complaint(complaint.number)
    handler.accessible()
    handler.act("send_respondent_copy")
    handler.act("offer_hearing", {"proposal": "Dinsdag 10.00 uur, kamer 2."})
    handler.act(
        "record_hearing",
        {"held_on": timezone.localdate().isoformat(), "report": "Beide kanten gehoord."},
    )

    respondent = Person(browser, live_server)
    respondent.open(link_in_mail(complaint, to=employee.email, kind="respondent_copy"))
    assert "opmerkingen over mijn afkomst" in respondent.page.content()
    respondent.accessible()
    respondent.close()

    # AWB-9:12: the reasoned outcome closes the complaint and goes to the complainant.
    handler.act(
        "decide_outcome",
        {
            "findings": "De trainer maakte de opmerking; hij erkent dat.",
            "decision": "founded",
            "motivation": "Zulke opmerkingen horen niet in een les.",
            "conclusions": "Gesprek met de trainer.",
            "remedy_due": "2030-01-31",
        },
    )
    handler.accessible()
    complaint.refresh_from_db()
    assert complaint.state == State.SETTLED
    assert OutboxMessage.objects.filter(complaint=complaint, kind="outcome", to=COMPLAINANT)
    for person in (complainant, handler):
        person.close()


def test_lsr_story_of_an_exam_complaint_from_the_web_form_to_the_exam_committees_ruling(
    browser, live_server, transactional_db, lsr_organisation, course, secretariat
):
    member = UserFactory(
        username="examen", first_name="Eva", last_name="Examen", is_exam_committee=True
    )
    complainant = Person(browser, live_server)
    complaint = fill_in_web_form(complainant, course)

    # LSR-5c: the secretariat routes an exam complaint to the exam committee.
    office = Person(browser, live_server, secretariat)
    office.open_complaint(complaint.number)
    office.act("judge_admissible", {"category": "exam", "respondent_type": "organisation"})
    office.close()
    complaint.refresh_from_db()
    assert complaint.state == State.WITH_EXAM_COMMITTEE

    # LSR-9: the committee rules; the complaint is closed and the complainant told.
    committee = Person(browser, live_server, member)
    committee.open_complaint(complaint.number)
    committee.accessible()
    committee.act(
        "record_exam_ruling",
        {"decision": "partly_founded", "motivation": "De toets had een herkansing moeten krijgen."},
    )
    committee.accessible()
    committee.close()
    complaint.refresh_from_db()
    assert (complaint.state, complaint.outcome) == (State.SETTLED, "exam_ruling")
    ruling = mail_to(complaint, to=COMPLAINANT, kind="exam_ruling")
    assert "De toets had een herkansing moeten krijgen." in ruling.body

    # The complainant's status link shows how it ended.
    complainant.open(link_in_mail(complaint, to=COMPLAINANT, kind="acknowledgement"))
    assert "Afgehandeld" in complainant.page.locator("main").inner_text()
    complainant.accessible()
    complainant.close()
