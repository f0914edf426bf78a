"""Two complete stories, each from the public form to closing, travelling in time across the
deadlines: one under LIVP, one under LSR. Every step is taken where its person takes it: the
complainant on the form and through private links, staff on the record page, the watcher
from cron."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from klachtroute.cases.models import Approval, Complaint, Ruling
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.criteria import criteria_judged
from klachtroute.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
LINK = re.compile(r"http://127\.0\.0\.1:8000(/(?:en/)?p/[^\s/]+/)")


def at(y, m, d, hh=10):
    return dt.datetime(y, m, d, hh, tzinfo=AMS)


class StaffClient(Client):
    """A logged-in member of staff. Sessions expire after hours and these stories travel
    weeks, so the person logs in again before each request, as they would."""

    def __init__(self, user):
        super().__init__()
        self.user = user

    def request(self, **request):
        self.force_login(self.user)
        return super().request(**request)


def staff(user) -> Client:
    return StaffClient(user)


def link_to(complaint, to: str, kind: str = "") -> str:
    messages = OutboxMessage.objects.filter(complaint=complaint, to=to)
    if kind:
        messages = messages.filter(kind=kind)
    for message in messages.order_by("-id"):
        found = LINK.search(message.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no link to {to} ({kind})")


def act(client: Client, complaint, action: str, data: dict | None = None):
    response = client.post(f"/zaken/{complaint.number}/acties/{action}/", data or {})
    assert response.status_code == 302, response.content.decode()[:3000]
    complaint.refresh_from_db()
    return complaint


def submit_web_form(course, **extra) -> Complaint:
    data = {
        "complainant_name": "Fatma Yilmaz",
        "course": str(course.pk),
        "course_other": "",
        "complaint_date": (dt.datetime.now(tz=AMS).date() - dt.timedelta(days=2)).isoformat(),
        "complainant_phone": "06 12 34 56 78",
        "complainant_email": "fatma@example.org",
        "description": "De trainer maakte in de groep opmerkingen over mijn afkomst.",
        "remedy_sought": "Excuses en een gesprek.",
        "submission_token": "0d8a7c2e-6f1b-4a7e-9a51-3f0d5c1e2b44",
        **extra,
    }
    response = Client().post("/klacht/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = Client().get(response["Location"]).content.decode()
    number = re.search(r"K-\d{4}-\d{4}", page).group(0)
    return Complaint.objects.get(number=number)


def test_livp_complete_story_from_the_web_form_to_an_approved_solution(
    organisation, course, trainers
):
    respondent = trainers[0]  # teaches the course; the complaint is about them
    with time_machine.travel(
        at(2026, 4, 23, 16), tick=False
    ) as clock:  # Thursday before King's Day
        complaint = submit_web_form(course)
        # LIVP-3/4: assigned at once to a trainer not teaching the course, acknowledged by e-mail.
        assert complaint.handler == trainers[2]
        assert complaint.acknowledge_due == dt.date(2026, 4, 24)
        assert complaint.first_contact_due == dt.date(2026, 5, 1)  # King's Day skipped
        assert complaint.settle_due == dt.date(2026, 5, 21)
        ack = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
        assert trainers[2].display_name in ack.body
        call_command("deliver_mail", verbosity=0)
        ack.refresh_from_db()
        assert ack.status == "sent"
        handler = staff(trainers[2])

        clock.move_to(at(2026, 4, 28, 11))  # LIVP-5: personal contact within 5 working days
        act(
            handler,
            complaint,
            "record_first_contact",
            {"method": "phone", "contacted_at": "2026-04-28T10:30", "note": "Gebeld met klager."},
        )
        assert complaint.first_contact_at is not None
        act(
            handler,
            complaint,
            "set_respondent",
            {"respondent_type": "person", "respondent": respondent.pk},
        )
        act(
            handler,
            complaint,
            "propose_solution",
            {
                "text": "De trainer biedt excuses aan in een gesprek.",
                "reasons": "De feedback ontbrak.",
                "remedy_due": "2030-01-31",
            },
        )
        assert complaint.state == State.AWAITING_APPROVAL

        clock.move_to(at(2026, 4, 29, 9))  # LIVP-6: both parties receive it with a private link
        complainant_link = link_to(complaint, "fatma@example.org", "solution_for_approval")
        respondent_link = link_to(complaint, respondent.email, "solution_for_approval")
        assert Client().post(complainant_link, {"decision": "yes"}).status_code == 200
        rejected = Client().post(
            respondent_link, {"decision": "no", "reason": "Liever schriftelijk."}
        )
        assert rejected.status_code == 200
        complaint.refresh_from_db()
        assert complaint.state == State.IN_PROGRESS  # back to the handler

        clock.move_to(at(2026, 5, 6, 9))  # the handler revises the solution
        act(
            handler,
            complaint,
            "propose_solution",
            {
                "text": "De trainer biedt schriftelijk excuses aan.",
                "reasons": "Liever schriftelijk.",
                "remedy_due": "2030-01-31",
            },
        )
        for who in ("fatma@example.org", respondent.email):
            assert (
                Client()
                .post(link_to(complaint, who, "solution_for_approval"), {"decision": "yes"})
                .status_code
                == 200
            )
        complaint.refresh_from_db()
        # LIVP-7: settled; the dossier keeps both approvals with their times.
        assert (complaint.state, complaint.outcome) == (State.SETTLED, "solution_approved")
        approvals = Approval.objects.filter(
            solution__complaint=complaint, decision="approved", solution__status="approved"
        )
        assert sorted(a.party for a in approvals) == ["complainant", "respondent"]
        assert all(a.decided_at for a in approvals)
        act(
            handler,
            complaint,
            "propose_measure",  # LIVP-8
            {
                "description": "Les over inclusief taalgebruik.",
                "owner": respondent.pk,
                "due_date": "2026-06-30",
            },
        )
        assert complaint.measures.get().owner == respondent
        record = staff(UserFactory(username="sec", is_secretariat=True)).get(
            f"/zaken/{complaint.number}/"
        )
        assert "De trainer biedt schriftelijk excuses aan." in record.content.decode()


def test_livp_9_11_complete_story_no_agreement_to_binding_advice(
    organisation, course, trainers, secretariat
):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False) as clock:
        complaint = submit_web_form(course)
        handler = staff(complaint.handler)
        clock.move_to(at(2026, 3, 3, 11))
        act(
            handler,
            complaint,
            "record_first_contact",
            {"method": "in_person", "contacted_at": "2026-03-03T09:00"},
        )
        act(handler, complaint, "set_respondent", {"respondent_type": "organisation"})
        act(
            handler,
            complaint,
            "propose_solution",
            {"text": "Een gratis herhalingsdag.", "reasons": "Gemist.", "remedy_due": "2030-01-31"},
        )

        clock.move_to(at(2026, 3, 31, 7))  # LIVP-9: four weeks passed without approval
        call_command("watch_deadlines", stdout=open("/dev/null", "w"))
        complaint.refresh_from_db()
        assert complaint.state == State.NO_AGREEMENT
        notice = OutboxMessage.objects.get(complaint=complaint, kind="no_agreement_notice")
        assert organisation.third_party_name in notice.body  # LIVP-11

        status_link = link_to(complaint, "fatma@example.org", "no_agreement_notice")
        response = Client().post(
            status_link,
            {
                "action": "appeal_to_third_party",
                "appeal_to_third_party-note": "Ik wil een bindend advies.",
            },
        )
        assert response.status_code in (200, 303)
        complaint.refresh_from_db()
        assert complaint.state == State.WITH_THIRD_PARTY

        clock.move_to(at(2026, 4, 20, 10))
        third_party_link = link_to(complaint, organisation.third_party_email, "third_party_request")
        response = Client().post(
            third_party_link,
            {
                "advice": "De organisatie biedt een herhalingsdag aan.",
                "follow_ups": "Herhalingsdag inplannen",
                "remedy_due": "2026-05-29",
            },
        )
        assert response.status_code == 200
        complaint.refresh_from_db()
        assert complaint.state == State.ADVICE_FOLLOW_UP
        item = complaint.rulings.get(body=Ruling.Body.THIRD_PARTY).follow_ups.get()
        act(
            staff(secretariat),
            complaint,
            "plan_follow_up",
            {"follow_up": item.pk, "owner": secretariat.pk, "due_date": "2026-05-29"},
        )
        act(
            staff(secretariat),
            complaint,
            "complete_follow_up",
            {"follow_up": item.pk, "note": "Ingepland op 12 mei.", "confirm": "1"},
        )
        assert (complaint.state, complaint.outcome) == (State.SETTLED, "binding_advice")


def test_lsr_complete_story_from_the_web_form_to_the_directors_ruling(
    lsr_organisation, course, secretariat, director
):
    trainer = UserFactory(username="docent", first_name="Dirk", last_name="Docent", is_trainer=True)
    with time_machine.travel(at(2026, 9, 7, 9), tick=False) as clock:
        complaint = submit_web_form(course)
        # LSR-4b: acknowledged at once with the procedure and the handling period.
        ack = OutboxMessage.objects.get(complaint=complaint, kind="acknowledgement")
        assert complaint.settle_due.strftime("%-d") in ack.body
        assert complaint.state == State.NEW

        clock.move_to(at(2026, 9, 8, 9))  # LSR-5a/5b/5c: admissible, category 3, to the trainer
        act(
            staff(secretariat),
            complaint,
            "judge_admissible",
            {"category": "trainer", "respondent_type": "person", "respondent": trainer.pk},
        )
        assert complaint.handler == trainer and complaint.state == State.IN_PROGRESS

        clock.move_to(at(2026, 9, 30, 9))  # LSR-5d: more time, before the period ends
        act(
            staff(trainer),
            complaint,
            "extend",
            {"reason": "Wachten op het verslag van de stagebegeleider.", "new_due": "2026-10-16"},
        )
        assert complaint.settle_due == dt.date(2026, 10, 16)
        assert OutboxMessage.objects.filter(complaint=complaint, kind="extension_notice").exists()

        clock.move_to(at(2026, 10, 12, 9))  # LSR-6b/6c: findings by the criteria
        criteria = complaint.procedure_version.spec.criteria_for("trainer")
        findings = {
            "summary": "De beoordeling volgde de rubric.",
            "proposed_solution": "Een extra feedbackgesprek.",
            "remedy_due": "2030-01-31",
        }
        for c in criteria:
            findings[f"criterion_{c.code}"] = "in_order"
        act(staff(trainer), complaint, "share_findings", findings)
        respond = link_to(complaint, "fatma@example.org", "findings")
        assert (
            Client()
            .post(respond, {"decision": "no", "reason": "Ik ben het er niet mee eens."})
            .status_code
            == 200
        )
        complaint.refresh_from_db()
        assert complaint.state == State.NOT_SOLVED

        act(staff(secretariat), complaint, "send_procedure", {"note": ""})  # LSR-6d
        status = link_to(complaint, "fatma@example.org", "director_procedure")
        Client().post(
            status,
            {"action": "escalate_to_director", "escalate_to_director-note": "Graag een uitspraak."},
        )
        complaint.refresh_from_db()
        assert complaint.state == State.WITH_DIRECTOR

        act(
            staff(director),
            complaint,
            "request_defence",
            {
                "question": "Hoe is de toets beoordeeld?",
                "due": "2026-10-26",
                "due_reason": "Herfstvakantie.",
            },
        )
        clock.move_to(at(2026, 10, 20, 9))  # LSR-6e: the respondent's defence
        Client().post(
            link_to(complaint, trainer.email, "defence_request"),
            {"defence": "De toets is met de rubric beoordeeld; zie bijlage."},
        )
        complaint.refresh_from_db()
        assert complaint.state == State.WITH_DIRECTOR

        clock.move_to(at(2026, 10, 22, 9))  # LSR-6f, LSR-10, LSR-6h
        act(
            staff(director),
            complaint,
            "rule",
            {
                **criteria_judged(complaint),
                "decision": "unfounded",
                "motivation": "De beoordeling was juist.",
                "remedy": "Geen verdere actie.",
                "confirm": "1",
            },
        )
        assert (complaint.state, complaint.outcome) == (State.SETTLED, "unfounded")
        rulings = OutboxMessage.objects.filter(complaint=complaint, kind="ruling")
        assert {m.to for m in rulings} == {"fatma@example.org", trainer.email}
        letter = rulings.get(to="fatma@example.org").body
        assert "kantonrechter" in letter and "beroep" in letter
        record = staff(director).get(f"/zaken/{complaint.number}/").content.decode()
        assert "De beoordeling was juist." in record
