"""Every person is told what they need: every mail to a member of staff links to a page that
this person can open, at the moment it is sent (the record page for whoever may see it, the
respondent's own link page for a respondent who may not, the measure and the complaint it
came from for a measure's owner)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from klachtroute.cases.services import (
    admissible_declare,
    complaint_assign_handler,
    complaint_register,
    complaint_withdraw,
    defence_request,
    defence_submit,
    director_escalate,
    director_rule,
    exam_ruling_record,
    findings_respond,
    findings_share,
    hearing_offer,
    hearing_record,
    inadmissible_declare,
    outcome_decide,
    procedure_send,
    respondent_copy_send,
    respondent_set,
    settlement_extend,
    solution_decide,
    solution_propose,
)
from klachtroute.cases.watch import deadlines_watch
from klachtroute.measures.services import measure_propose
from klachtroute.measures.watch import measure_reminders_send
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.criteria import criteria_judged
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db
URL = re.compile(r"https?://[^\s<>\"]+")

# The notices to staff that the walks below bring about, each at least once. Not walked
# here: `progress_update_due`, `complainant_added_information`, `delay_notified`,
# `settle_missed(_many)`, `binding_advice_recorded`, `inadmissibility_overturned`,
# `sent_back_for_investigation`, `weekly_digest` and the account notices (`login_locked`,
# `roles_changed`, about no complaint): they go through the same `tell_user`.
LIVP_KINDS = {
    "handler_appointed",
    "solution_for_approval",
    "solution_rejected",
    "complainant_step",
    "settled",
    "measure_assigned",
    "measure_reminder",
    "withdrawn",
}
AWB_KINDS = {"respondent_copy", "hearing_offer", "outcome"}
LSR_KINDS = {
    "assigned_to_you",
    "findings_rejected",
    "escalated_to_director",
    "defence_request",
    "defence_received",
    "ruling",
    "extension_notice",
    "answer_inadmissible_request",
    "deadline_reminder",
    "deadlines_overdue",
}


def _opens(url: str, user) -> bool:
    """A GET of `url`, as `user` (or as anyone, for a private link), answers 200."""
    path = url.removeprefix(settings.SITE_URL).rstrip(".,;:)")
    client = Client()
    if not path.startswith("/p/"):
        client.force_login(user)
    return client.get(path).status_code == 200


class Walk:
    """Checks, after each step, every mail to staff that the step sent."""

    def __init__(self):
        self.seen: set[int] = set()
        self.kinds: set[str] = set()

    def check(self) -> None:
        staff = {u.email.lower(): u for u in get_user_model().objects.exclude(email="")}
        for message in OutboxMessage.objects.exclude(pk__in=self.seen).order_by("pk"):
            self.seen.add(message.pk)
            user = staff.get(message.to.lower())
            if user is None:
                continue  # the complainant, the third party, a letter
            urls = [u for u in URL.findall(message.body) if u.startswith(settings.SITE_URL)]
            assert urls, (message.kind, message.to, message.body)
            assert any(_opens(url, user) for url in urls), (message.kind, message.to, urls)
            if message.complaint is not None:
                assert message.complaint.number in message.subject + message.body, message.kind
            self.kinds.add(message.kind)


def share_findings(complaint, actor):
    criteria = complaint.procedure_version.spec.criteria_for(complaint.category)
    return findings_share(
        complaint=complaint,
        actor=actor,
        summary="Onderzocht.",
        proposed_solution="Een extra les.",
        judgements={c.code: ("in_order", "") for c in criteria},
        **letter_parts("findings"),
    )


def _livp(walk, course, trainers, secretariat):
    complaint = complaint_register(**complaint_data(course=course))
    walk.check()
    respondent_set(
        complaint=complaint, actor=secretariat, respondent_type="person", respondent=trainers[0]
    )
    solution_propose(
        complaint=complaint, actor=trainers[2], text="Excuses.", **letter_parts("solution")
    )
    walk.check()
    solution_decide(
        complaint=complaint,
        actor=None,
        party="complainant",
        approve=False,
        reason="Te weinig.",
        via_link=True,
    )
    walk.check()
    solution_propose(
        complaint=complaint,
        actor=trainers[2],
        text="Excuses en een les.",
        **letter_parts("solution"),
    )
    walk.check()
    owner = UserFactory(username="eigenaar", is_staff_member=True)
    measure_propose(
        complaint=complaint,
        actor=trainers[2],
        description="Roosterwijzigingen vooraf melden.",
        owner=owner,
        due_date=dt.date(2026, 3, 6),
    )
    measure_propose(
        complaint=complaint,
        actor=trainers[2],
        description="Lessen op tijd beginnen.",
        owner=trainers[2],
        due_date=dt.date(2026, 3, 6),
    )
    walk.check()
    for party in ("complainant", "respondent"):
        solution_decide(complaint=complaint, actor=None, party=party, approve=True, via_link=True)
        walk.check()
    measure_reminders_send(dt.date(2026, 3, 5))
    walk.check()

    other = complaint_register(**complaint_data(course=course))
    respondent_set(
        complaint=other, actor=secretariat, respondent_type="person", respondent=trainers[0]
    )
    complaint_withdraw(complaint=other, party="complainant")
    walk.check()


def _lsr(walk, course, trainers, secretariat, director):
    complaint = complaint_register(
        **complaint_data(actor=secretariat, channel="post", course=course)
    )
    complaint = admissible_declare(
        complaint=complaint,
        actor=secretariat,
        category="trainer",
        respondent_type="person",
        respondent=trainers[0],
    )
    walk.check()
    settlement_extend(
        complaint=complaint, actor=trainers[0], reason="Wij wachten.", new_due=dt.date(2026, 4, 13)
    )
    walk.check()
    share_findings(complaint, trainers[0])
    findings_respond(complaint=complaint, party="complainant", agree=False, reason="Nee.")
    walk.check()
    procedure_send(complaint=complaint, actor=secretariat)
    director_escalate(complaint=complaint, party="complainant", note="Graag.")
    walk.check()
    defence_request(
        complaint=complaint, actor=director, question="Waarom?", due=dt.date(2026, 3, 16)
    )
    walk.check()
    defence_submit(complaint=complaint, party="respondent", defence="Daarom.")
    walk.check()
    director_rule(
        complaint=complaint,
        actor=director,
        decision="partly_founded",
        motivation="Deels.",
        **letter_parts("ruling"),
        judgements=criteria_judged(complaint, not_in_order=1, as_form=False),
    )
    walk.check()

    inadmissible = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    inadmissible_declare(
        complaint=inadmissible,
        actor=secretariat,
        ground="handled_before",
        reason="Eerder behandeld.",
        respondent_type="person",
        respondent=trainers[1],
    )
    walk.check()

    late = complaint_register(**complaint_data(actor=secretariat, channel="post", course=course))
    admissible_declare(
        complaint=late,
        actor=secretariat,
        category="trainer",
        respondent_type="person",
        respondent=trainers[1],
    )
    walk.check()
    deadlines_watch(today=dt.date(2026, 3, 27))
    walk.check()
    deadlines_watch(today=dt.date(2026, 3, 31))
    walk.check()

    exam = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    member = UserFactory(username="examen", is_exam_committee=True)
    admissible_declare(
        complaint=exam, actor=secretariat, category="exam", respondent_type="organisation"
    )
    walk.check()
    exam_ruling_record(complaint=exam, actor=member, decision="unfounded", motivation="Goed.")
    walk.check()


def test_every_staff_mail_links_to_a_page_its_recipient_can_open(
    organisation, course, trainers, secretariat
):
    """LIVP: the handler, the respondent (who does not see the record), measure owners."""
    walk = Walk()
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=AMS), tick=False):
        _livp(walk, course, trainers, secretariat)
    assert LIVP_KINDS <= walk.kinds, LIVP_KINDS - walk.kinds


def test_every_staff_mail_of_the_lsr_links_to_a_page_its_recipient_can_open(
    lsr_organisation, course, trainers, secretariat, director
):
    """LSR: the person routed to, the secretariat, the director, the respondent before and
    after a defence, the exam committee, the deadline watcher's notices."""
    walk = Walk()
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=AMS), tick=False):
        _lsr(walk, course, trainers, secretariat, director)
    assert LSR_KINDS <= walk.kinds, LSR_KINDS - walk.kinds


def _awb(walk, secretariat):
    handler = UserFactory(username="hannah", is_staff_member=True)
    respondent = UserFactory(username="rob", is_staff_member=True)
    complaint = complaint_register(
        **complaint_data(
            actor=secretariat, channel="post", complainant_address="Stationsweg 1\n1234 AB Utrecht"
        )
    )
    complaint = respondent_set(
        complaint=complaint, actor=secretariat, respondent_type="person", respondent=respondent
    )
    complaint = complaint_assign_handler(complaint=complaint, handler=handler, actor=secretariat)
    walk.check()
    respondent_copy_send(complaint=complaint, actor=handler)
    walk.check()
    complaint = hearing_offer(complaint=complaint, actor=handler, proposal="Dinsdag 10 uur.")
    walk.check()
    hearing_record(
        complaint=complaint, actor=handler, held_on=dt.date(2026, 3, 2), report="Gehoord."
    )
    outcome_decide(
        complaint=complaint,
        actor=handler,
        findings="Onderzocht.",
        decision="founded",
        motivation="Terecht.",
        **letter_parts("outcome"),
    )
    walk.check()


def test_every_staff_mail_of_the_awb_links_to_a_page_its_recipient_can_open(
    awb_organisation, secretariat
):
    """Awb: the respondent's copy, the hearing and the reasoned outcome, to a respondent who
    never sees the record."""
    walk = Walk()
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=AMS), tick=False):
        _awb(walk, secretariat)
    assert AWB_KINDS <= walk.kinds, AWB_KINDS - walk.kinds


def test_a_respondent_who_may_not_see_the_record_gets_their_own_page(
    organisation, course, trainers, secretariat
):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=AMS), tick=False):
        complaint = complaint_register(**complaint_data(course=course))
        respondent_set(
            complaint=complaint, actor=secretariat, respondent_type="person", respondent=trainers[0]
        )
        complaint_withdraw(complaint=complaint, party="complainant")
        [told] = OutboxMessage.objects.filter(kind="withdrawn", to=trainers[0].email)
        record = f"/zaken/{complaint.number}/"
        assert record not in told.body
        client = Client()
        client.force_login(trainers[0])
        assert client.get(record).status_code in (403, 404)
        [url] = [u for u in URL.findall(told.body) if "/p/" in u]
        assert "Bekijk de klacht via uw persoonlijke link" in told.body
        page = Client().get(url.removeprefix(settings.SITE_URL))
        assert page.status_code == 200
        text = page.content.decode()
        assert complaint.number in text
        assert complaint.description not in text
        # Nothing to do on it: it only shows.
        assert Client().post(url.removeprefix(settings.SITE_URL)).status_code == 405


def test_measure_reminder_names_the_complaint_and_links_it_for_an_owner_who_may_see_it(
    organisation, course, trainers, secretariat, director
):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=AMS), tick=False):
        complaint = complaint_register(**complaint_data(course=course))
        staff = UserFactory(username="eigenaar", is_staff_member=True)
        for owner in (director, staff):
            measure_propose(
                complaint=complaint,
                actor=trainers[2],
                description=f"Maatregel voor {owner.username}.",
                owner=owner,
                due_date=dt.date(2026, 3, 6),
            )
        assert measure_reminders_send(dt.date(2026, 3, 5)) == (2, 0)
    record = f"{settings.SITE_URL}/zaken/{complaint.number}/"
    to_director = OutboxMessage.objects.get(kind="measure_reminder", to=director.email)
    assert f"Naar aanleiding van klacht {complaint.number}: {record}" in to_director.body
    to_staff = OutboxMessage.objects.get(kind="measure_reminder", to=staff.email)
    # Named, not linked: this owner does not see the complaint.
    assert f"Naar aanleiding van klacht {complaint.number}" in to_staff.body
    assert record not in to_staff.body
    assert "/maatregelen/" in to_staff.body or "measures" in to_staff.body
