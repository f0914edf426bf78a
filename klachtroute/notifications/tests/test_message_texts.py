"""The text of every message the workflow sends, produced by the real services.

Each test drives the services to the step that sends a message and reads the outbox row,
as the recipient would read the e-mail (or the letter, without an e-mail address).
"""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from klachtroute.cases.services import (
    admissible_declare,
    binding_advice_record,
    complaint_register,
    complaint_withdraw,
    defence_request,
    defence_submit,
    director_escalate,
    director_rule,
    exam_ruling_record,
    findings_respond,
    findings_share,
    inadmissible_answer,
    inadmissible_declare,
    no_agreement_declare,
    procedure_send,
    respondent_set,
    settlement_extend,
    solution_decide,
    solution_propose,
    third_party_appeal,
)
from klachtroute.cases.watch import deadlines_watch
from klachtroute.links.tokens import link_resolve
from klachtroute.measures.services import measure_propose
from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.notifications.services import message_render, messages_deliver_due
from klachtroute.organisation.models import Organisation
from klachtroute.testing.criteria import criteria_judged
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db

EMAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "notifications" / "email"
# Every message the workflow and the deadline watcher send.
MESSAGE_KEYS = [
    "acknowledgement",
    "assigned_to_you",
    "answer_inadmissible_request",
    "inadmissible_answer",
    "solution_for_approval",
    "solution_rejected",
    "settled",
    "no_agreement_notice",
    "third_party_request",
    "binding_advice",
    "findings",
    "findings_rejected",
    "director_procedure",
    "escalated_to_director",
    "defence_request",
    "defence_received",
    "ruling",
    "exam_ruling",
    "extension_notice",
    "extension_recorded",
    "withdrawn",
    "measure_assigned",
    "deadline_reminder",
    "deadlines_overdue",
    "weekly_digest",
    "handler_appointed",
    "handler_released",
    "handler_changed",
    "complainant_step",
    "binding_advice_recorded",
    "delay_notice",
    "delay_notified",
    "settle_missed",
    "inadmissibility_overturned",
    "sent_back_for_investigation",
]
LINK = re.compile(r"/p/([^/\s]+)/")


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=AMS)


@pytest.fixture(autouse=True)
def monday_2_march_2026():
    with time_machine.travel(at(2026, 3, 2), tick=False):
        yield


def flat(text: str) -> str:
    """The text with every run of white space as one space: phrases wrap anywhere."""
    return " ".join(text.split())


def assert_tidy(kind: str, subject: str, body: str) -> None:
    """One subject line; no trailing spaces, no runs of blank lines, no 'None'."""
    assert subject.strip() and "\n" not in subject, kind
    assert "\n\n\n" not in body, (kind, body)
    assert not re.search(r"[ \t]+\n", body), (kind, body)
    assert "None" not in subject + body, (kind, body)


def sent(kind: str, complaint=None) -> list[OutboxMessage]:
    rows = OutboxMessage.objects.filter(kind=kind)
    if complaint is not None:
        rows = rows.filter(complaint=complaint)
    rows = list(rows.order_by("pk"))
    for row in rows:
        assert_tidy(kind, row.subject, row.body)
    return rows


def only(kind: str, complaint=None) -> OutboxMessage:
    rows = sent(kind, complaint)
    assert len(rows) == 1, [r.to for r in rows]
    return rows[0]


def link_in(message: OutboxMessage):
    """The private link in a message, resolved as the portal would resolve it."""
    found = LINK.findall(message.body)
    assert len(found) == 1, message.body
    assert f"{settings.SITE_URL}/p/{found[0]}/" in message.body
    link = link_resolve(found[0])
    assert link is not None, "the link in the message does not work"
    return link


# --- LIVP: solution, approval, no agreement, the third party ---------------------------


@pytest.fixture
def livp_complaint(organisation, course, trainers, secretariat):
    """A web complaint, assigned automatically to Theo (not teaching the course), about Tom."""
    complaint = complaint_register(**complaint_data(course=course))
    assert complaint.handler == trainers[2]
    return respondent_set(
        complaint=complaint,
        actor=secretariat,
        respondent_type="person",
        respondent=trainers[0],
    )


def test_livp_6_solution_goes_to_both_parties_with_private_links(livp_complaint, trainers):
    solution_propose(
        complaint=livp_complaint,
        actor=trainers[2],
        text="Tom biedt excuses aan en de gemiste lessen worden kosteloos ingehaald.",
        **letter_parts("solution"),
    )
    messages = sent("solution_for_approval", livp_complaint)
    assert sorted(m.to for m in messages) == ["jan@example.org", "trainer1@example.org"]
    by_to = {m.to: m for m in messages}
    complainant, respondent = by_to["jan@example.org"], by_to["trainer1@example.org"]
    for message in messages:
        body = flat(message.body)
        assert livp_complaint.number in message.subject
        assert "Tom biedt excuses aan en de gemiste lessen worden kosteloos ingehaald." in body
        assert "de klager en de beklaagde, krijgen deze oplossing ter goedkeuring" in body
        assert "niet akkoord" in body and "reden" in body
        assert "uiterlijk maandag 30 maart 2026 zijn afgehandeld" in body
    respondent_body = flat(respondent.body)
    assert "kan de klager de klacht voorleggen aan een onafhankelijke derde" in respondent_body
    # The complainant reads the next step from the procedure definition, under its heading.
    complainant_body = flat(complainant.body)
    assert "Vervolgstap" in complainant_body
    assert "onafhankelijke derde, die een bindend advies geeft" in complainant_body
    assert "derde@example.org" in complainant_body
    assert complainant.body.startswith("Beste Jan Jansen,")
    assert respondent.body.startswith("Beste Tom Trainer,")

    complainant_link, respondent_link = link_in(complainant), link_in(respondent)
    assert complainant_link.pk != respondent_link.pk
    assert (complainant_link.party, complainant_link.purpose) == ("complainant", "approve_solution")
    assert (respondent_link.party, respondent_link.purpose) == ("respondent", "approve_solution")
    assert complainant_link.complaint_id == respondent_link.complaint_id == livp_complaint.pk


def test_livp_6_a_rejected_solution_tells_the_handler_who_and_why(livp_complaint, trainers):
    solution_propose(
        complaint=livp_complaint, actor=trainers[2], text="Een excuus.", **letter_parts("solution")
    )
    solution_decide(
        complaint=livp_complaint,
        actor=None,
        party="complainant",
        approve=False,
        reason="Een excuus alleen is niet genoeg.",
        via_link=True,
    )
    message = only("solution_rejected", livp_complaint)
    body = flat(message.body)
    assert message.to == "trainer3@example.org"
    assert "De klager gaat niet akkoord" in body
    assert "Een excuus alleen is niet genoeg." in body


def test_livp_7_both_approvals_settle_and_both_parties_hear_it(livp_complaint, trainers):
    solution_propose(
        complaint=livp_complaint,
        actor=trainers[2],
        text="Lessen worden ingehaald.",
        **letter_parts("solution"),
    )
    for party in ("complainant", "respondent"):
        solution_decide(
            complaint=livp_complaint, actor=None, party=party, approve=True, via_link=True
        )
    messages = sent("settled", livp_complaint)
    assert sorted(m.to for m in messages) == ["jan@example.org", "trainer1@example.org"]
    for message in messages:
        body = flat(message.body)
        assert "Zowel de klager als de beklaagde zijn akkoord gegaan" in body
        assert "Lessen worden ingehaald." in body


def test_livp_11_no_agreement_notice_names_the_third_party_and_contact_details(
    livp_complaint, trainers, organisation
):
    organisation.third_party_address = "Grote Markt 1\n8011 LW Zwolle"
    organisation.save()
    no_agreement_declare(complaint=livp_complaint, actor=trainers[2], reason="Geen oplossing.")
    message = only("no_agreement_notice", livp_complaint)
    body = flat(message.body)
    assert message.to == "jan@example.org"
    assert "geen overeenstemming" in flat(message.subject).lower()
    assert "geen overeenstemming bereikt" in body
    assert "recht om in beroep te gaan bij een onafhankelijke derde" in body
    assert "bindend advies" in body
    for detail in ("Mr. A. Derde", "derde@example.org", "06-12345678", "Grote Markt 1"):
        assert detail in body
    assert "8011 LW Zwolle" in message.body
    assert "Geen oplossing." not in body  # the internal reason stays internal
    link = link_in(message)
    assert (link.party, link.purpose) == ("complainant", "status")


def test_livp_9_after_four_weeks_the_watcher_sends_the_same_notice(livp_complaint):
    no_agreement_declare(complaint=livp_complaint, actor=None)
    body = flat(only("no_agreement_notice", livp_complaint).body)
    assert "afhandeltermijn van de klacht is verstreken" in body
    assert "Mr. A. Derde" in body


def test_livp_11_third_party_is_asked_for_binding_advice_through_its_own_link(
    livp_complaint, trainers
):
    no_agreement_declare(complaint=livp_complaint, actor=trainers[2])
    third_party_appeal(
        complaint=livp_complaint, party="complainant", note="Ik wil een onafhankelijk oordeel."
    )
    message = only("third_party_request", livp_complaint)
    body = flat(message.body)
    assert message.to == "derde@example.org"
    assert message.body.startswith("Beste Mr. A. Derde,")
    assert "bindend advies" in flat(message.subject)
    assert "Ik wil een onafhankelijk oordeel." in body
    assert livp_complaint.description not in body  # read through the link, not by e-mail
    link = link_in(message)
    assert (link.party, link.purpose) == ("third_party", "third_party")


def test_livp_11_binding_advice_tells_the_complainant_what_the_organisation_will_do(
    livp_complaint, trainers
):
    no_agreement_declare(complaint=livp_complaint, actor=trainers[2])
    third_party_appeal(complaint=livp_complaint, party="complainant")
    binding_advice_record(
        complaint=livp_complaint,
        party="third_party",
        advice="De klacht is terecht; de organisatie moet de lessen vergoeden.",
        follow_ups=["Lesgeld van drie lessen terugbetalen", "Excuusbrief sturen"],
        **letter_parts("binding_advice"),
    )
    message = only("binding_advice", livp_complaint)
    body = flat(message.body)
    assert message.to == "jan@example.org"
    assert "De onafhankelijke derde, Mr. A. Derde, heeft een bindend advies gegeven" in body
    assert "De klacht is terecht; de organisatie moet de lessen vergoeden." in body
    assert "Wat Testinstituut op grond van het advies gaat doen:" in body
    assert "- Lesgeld van drie lessen terugbetalen" in message.body
    assert "- Excuusbrief sturen" in message.body


def test_binding_advice_without_follow_ups_says_the_complaint_is_settled(livp_complaint, trainers):
    no_agreement_declare(complaint=livp_complaint, actor=trainers[2])
    third_party_appeal(complaint=livp_complaint, party="complainant")
    binding_advice_record(
        complaint=livp_complaint, party="third_party", advice="De klacht is ongegrond."
    )
    body = flat(only("binding_advice", livp_complaint).body)
    assert "geen verdere acties" in body and "afgehandeld" in body


def test_withdrawal_tells_the_handler(livp_complaint):
    complaint_withdraw(complaint=livp_complaint, party="complainant")
    by_to = {m.to: m for m in sent("withdrawn", livp_complaint)}
    message = by_to["trainer3@example.org"]
    assert livp_complaint.number in message.subject
    assert "ingetrokken" in flat(message.body)


def test_livp_8_measure_owner_gets_the_measure_and_its_date(livp_complaint, trainers, director):
    measure_propose(
        complaint=livp_complaint,
        actor=trainers[2],
        description="Trainers melden vertraging voortaan vooraf aan de groep.",
        owner=director,
        due_date=dt.date(2026, 6, 1),
    )
    message = only("measure_assigned", livp_complaint)
    body = flat(message.body)
    assert message.to == "directeur@example.org"
    assert "Trainers melden vertraging voortaan vooraf aan de groep." in body
    assert "Uiterlijk klaar: maandag 1 juni 2026" in body


# --- LSR: admissibility, findings, director, exam committee ----------------------------


@pytest.fixture
def lsr_complaint(lsr_organisation, course, secretariat):
    """A posted complaint, acknowledged at registration (LSR-4b), not yet judged."""
    return complaint_register(**complaint_data(actor=secretariat, channel="post", course=course))


@pytest.fixture
def about_tom(lsr_complaint, secretariat, trainers):
    """Admissible, about trainer Tom, who investigates it (LSR-5c, LSR-6a)."""
    return admissible_declare(
        complaint=lsr_complaint,
        actor=secretariat,
        category="trainer",
        respondent_type="person",
        respondent=trainers[0],
    )


def share_findings(complaint, actor):
    criteria = complaint.procedure_version.spec.criteria_for("trainer")
    judgements = {
        c.code: ("not_in_order" if c.code == "treatment" else "in_order", "") for c in criteria
    }
    judgements["follow_up"] = ("in_order", "De lessen zijn volgens rooster ingehaald.")
    return findings_share(
        complaint=complaint,
        actor=actor,
        summary="De trainer was drie keer te laat zonder bericht.",
        proposed_solution="Een gesprek met de trainer en een extra les.",
        judgements=judgements,
        **letter_parts("findings"),
    )


def test_lsr_5c_the_person_routed_to_is_told_without_the_complaint_text(about_tom):
    message = only("assigned_to_you", about_tom)
    body = flat(message.body)
    assert message.to == "trainer1@example.org"
    assert about_tom.number in message.subject
    assert "3. Handelen van de docent/trainer" in body  # the label the procedure gives it
    assert "maandag 30 maart 2026" in body
    assert about_tom.description not in body


def test_lsr_6c_findings_list_every_criterion(about_tom, trainers):
    share_findings(about_tom, trainers[0])
    message = only("findings", about_tom)
    body = flat(message.body)
    assert message.to == "jan@example.org"
    for line in (
        "- Leveringsvoorwaarden: In orde",
        "- Afspraken vastgelegd in individuele overeenkomsten: In orde",
        "- Opvolging van afspraken: In orde",
        "- Bejegening: Niet in orde",
        "- Voldoen aan de doelstellingen van het opleidingstraject: In orde",
        "- Aansluiting van de werkvormen bij de vastgestelde competenties: In orde",
    ):
        assert line in message.body
    assert "De lessen zijn volgens rooster ingehaald." in body
    assert "De trainer was drie keer te laat zonder bericht." in body
    assert "Een gesprek met de trainer en een extra les." in body
    assert "Gaat u niet akkoord" in body and "directeur" in body
    link = link_in(message)
    assert (link.party, link.purpose) == ("complainant", "respond_findings")


def test_lsr_6d_disagreement_reaches_the_secretariat_and_the_procedure_the_complainant(
    about_tom, trainers, secretariat
):
    share_findings(about_tom, trainers[0])
    findings_respond(
        complaint=about_tom, party="complainant", agree=False, reason="Een extra les helpt niet."
    )
    notice = only("findings_rejected", about_tom)
    assert notice.to == "secretariaat@example.org"
    assert "Een extra les helpt niet." in flat(notice.body)

    procedure_send(complaint=about_tom, actor=secretariat)
    message = only("director_procedure", about_tom)
    body = flat(message.body)
    assert message.to == "jan@example.org"
    assert "kunt u zich daarom tot de directeur wenden" in body
    assert "vraagt de beklaagde om een verweer" in body
    assert "De directeur doet schriftelijk uitspraak, met de motivering" in body
    link = link_in(message)
    assert (link.party, link.purpose) == ("complainant", "status")


@pytest.fixture
def with_director(about_tom, trainers, secretariat, director):
    share_findings(about_tom, trainers[0])
    findings_respond(complaint=about_tom, party="complainant", agree=False, reason="Nee.")
    procedure_send(complaint=about_tom, actor=secretariat)
    return director_escalate(
        complaint=about_tom, party="complainant", note="Ik wil dat de directeur kijkt."
    )


def test_lsr_6e_director_is_told_and_asks_the_respondent_for_a_defence(
    with_director, director, trainers
):
    escalated = only("escalated_to_director", with_director)
    assert escalated.to == "directeur@example.org"
    assert "Ik wil dat de directeur kijkt." in flat(escalated.body)

    defence_request(
        complaint=with_director,
        actor=director,
        question="Waarom was u drie keer te laat?",
        due=dt.date(2026, 3, 16),
        due_reason="De beklaagde is op vakantie.",
    )
    message = only("defence_request", with_director)
    body = flat(message.body)
    assert message.to == "trainer1@example.org"
    assert "Waarom was u drie keer te laat?" in body
    assert "Geef uw verweer uiterlijk maandag 16 maart 2026." in body
    link = link_in(message)
    assert (link.party, link.purpose) == ("respondent", "defence")

    defence_submit(complaint=with_director, party="respondent", defence="De trein viel uit.")
    received = only("defence_received", with_director)
    assert received.to == "directeur@example.org"
    assert with_director.number in received.subject
    assert "De trein viel uit." not in received.body  # read in the dossier


def test_lsr_10_ruling_says_no_appeal_kantonrechter_and_mediation_costs_split(
    with_director, director
):
    director_rule(
        complaint=with_director,
        actor=director,
        decision="partly_founded",
        motivation="Te laat komen zonder bericht is niet in orde; de lessen zijn ingehaald.",
        **letter_parts("ruling"),
        judgements=criteria_judged(with_director, not_in_order=1, as_form=False),
    )
    messages = sent("ruling", with_director)
    assert sorted(m.to for m in messages) == ["jan@example.org", "trainer1@example.org"]
    by_to = {m.to: flat(m.body) for m in messages}
    for body in by_to.values():
        assert "Uitspraak: de klacht is deels gegrond." in body  # LSR-6f
        assert "Te laat komen zonder bericht is niet in orde; de lessen zijn ingehaald." in body
        assert "Tegen de uitspraak van de directeur is geen beroep mogelijk." in body
        assert "kantonrechter" in body
        assert "of de wettelijke regels over klachtbehandeling zijn nageleefd" in body
        assert "Adviseert de kantonrechter mediation" in body
        assert "half om half gedeeld" in body
    complainant, respondent = by_to["jan@example.org"], by_to["trainer1@example.org"]
    # The complainant's next step is the procedure definition's (next_steps.ruling).
    assert "U kunt zich wel wenden tot de kantonrechter, die alleen beoordeelt" in complainant
    assert "U kunt terecht bij: de kantonrechter" in complainant
    assert "De klager kan zich wel wenden tot de kantonrechter." in respondent
    assert "de helft betaalt Testinstituut, de andere helft betaalt de klager." in respondent
    # Where to find the kantonrechter comes from the procedure definition (its next step).
    assert "Contact: de kantonrechter bij de rechtbank" in complainant
    assert "www.rechtspraak.nl" in complainant


def test_lsr_6f_the_ruling_service_refuses_a_ruling_that_does_not_say_what_will_be_done(
    with_director, director
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        director_rule(
            complaint=with_director, actor=director, decision="founded", motivation="Terecht."
        )
    assert (
        "Ontbreekt: wat er gebeurt, wanneer het gebeurt."
        in (excinfo.value.message_dict["__all__"][0])
    )
    assert not sent("ruling", with_director)
    assert not with_director.rulings.exists()


def test_lsr_6c_the_findings_service_refuses_findings_without_a_solution_and_its_date(
    about_tom, trainers
):
    from django.core.exceptions import ValidationError

    criteria = about_tom.procedure_version.spec.criteria_for("trainer")
    with pytest.raises(ValidationError) as excinfo:
        findings_share(
            complaint=about_tom,
            actor=trainers[0],
            summary="Onderzocht.",
            proposed_solution="",
            judgements={c.code: ("in_order", "") for c in criteria},
        )
    assert (
        "wat er gebeurt (de oplossing), wanneer het gebeurt"
        in (excinfo.value.message_dict["__all__"][0])
    )
    assert not sent("findings", about_tom)


def test_lsr_9_exam_ruling_says_no_appeal(lsr_complaint, secretariat):
    member = UserFactory(
        username="examen", first_name="Eva", last_name="Examen", is_exam_committee=True
    )
    admissible_declare(
        complaint=lsr_complaint, actor=secretariat, category="exam", respondent_type="organisation"
    )
    assigned = only("assigned_to_you", lsr_complaint)
    assert assigned.to == "examen@example.org"
    assert "examencommissie" in flat(assigned.subject)

    exam_ruling_record(
        complaint=lsr_complaint,
        actor=member,
        decision="unfounded",
        motivation="De toets is volgens het examenreglement beoordeeld.",
    )
    message = only("exam_ruling", lsr_complaint)
    body = flat(message.body)
    assert message.to == "jan@example.org"
    assert "Uitspraak: de klacht is ongegrond." in body
    assert "De toets is volgens het examenreglement beoordeeld." in body
    assert "Tegen de uitspraak van de examencommissie is geen beroep mogelijk." in body


def test_lsr_5d_extension_notice_names_reason_and_date(about_tom, trainers):
    settlement_extend(
        complaint=about_tom,
        actor=trainers[0],
        reason="Wij wachten op de verklaring van een tweede cursist.",
        new_due=dt.date(2026, 4, 13),
    )
    messages = sent("extension_notice", about_tom)
    assert sorted(m.to for m in messages) == ["jan@example.org", "trainer1@example.org"]
    complainant = flat(next(m for m in messages if m.to == "jan@example.org").body)
    assert "Het onderzoek naar uw klacht" in complainant
    assert "Wij wachten op de verklaring van een tweede cursist." in complainant
    assert "Wij verwachten uiterlijk maandag 13 april 2026 een beslissing" in complainant
    # Sent within the period, and it says so (LSR-5d).
    assert "binnen die termijn, die liep tot en met maandag 30 maart 2026" in complainant


def test_lsr_5d_extension_is_told_to_the_director_with_both_dates_and_reason(
    about_tom, trainers, director, secretariat, smtp_server
):
    """Every director hears of every extension, by e-mail: the complaint, the old and the
    new date, the reason and a link to the complaint; no one else gets this notice."""
    other = UserFactory(username="directeur2", first_name="Dora", is_director=True)
    settlement_extend(
        complaint=about_tom,
        actor=trainers[0],
        reason="Wij wachten op de verklaring van een tweede cursist.",
        new_due=dt.date(2026, 4, 13),
    )
    assert sorted(m.to for m in sent("extension_recorded", about_tom)) == sorted(
        [director.email, other.email]
    )
    messages_deliver_due()
    received = [m for m in smtp_server.inbox if m.rcpt_tos == [director.email]]
    [notice] = [m for m in received if "verlengd" in m.subject]
    assert notice.subject == f"Klacht {about_tom.number}: de afhandeltermijn is verlengd"
    body = flat(notice.body)
    assert (
        f"Tom Trainer heeft de afhandeltermijn van klacht {about_tom.number} verlengd van "
        "maandag 30 maart 2026 tot en met maandag 13 april 2026." in body
    )
    assert "De reden: Wij wachten op de verklaring van een tweede cursist." in body
    assert "De klager en de beklaagde hebben hiervan bericht gekregen." in body
    assert f"{settings.SITE_URL}/zaken/{about_tom.number}/" in body
    assert about_tom.description not in body
    assert secretariat.email not in {m.to for m in sent("extension_recorded")}


def test_a_director_answering_for_the_organisation_hears_of_an_extension_once(
    lsr_complaint, secretariat, trainers, director
):
    """When the organisation is the respondent, the directors answer for it and get the
    respondent's notice of the extension (both dates, the reason, the link): not twice."""
    admissible_declare(
        complaint=lsr_complaint,
        actor=secretariat,
        category="procedure",
        respondent_type="organisation",
    )
    settlement_extend(
        complaint=lsr_complaint,
        actor=secretariat,
        reason="Het rooster moet eerst worden uitgezocht.",
        new_due=dt.date(2026, 4, 13),
    )
    about_it = sent("extension_notice") + sent("extension_recorded")
    [to_director] = [m for m in about_it if m.to == director.email]
    body = flat(to_director.body)
    assert "Het rooster moet eerst worden uitgezocht." in body
    assert "maandag 13 april 2026" in body and "maandag 30 maart 2026" in body
    assert f"{settings.SITE_URL}/zaken/{lsr_complaint.number}/" in body


def test_lsr_5d_inadmissible_complaint_is_answered_by_the_person_concerned(
    lsr_complaint, secretariat, trainers
):
    inadmissible_declare(
        complaint=lsr_complaint,
        actor=secretariat,
        ground="handled_before",
        reason="Dezelfde klacht is in 2025 behandeld.",
        respondent_type="person",
        respondent=trainers[0],
    )
    request = only("answer_inadmissible_request", lsr_complaint)
    assert request.to == "trainer1@example.org"
    assert "Dezelfde klacht is in 2025 behandeld." in flat(request.body)

    inadmissible_answer(
        complaint=lsr_complaint, actor=trainers[0], answer="Ik heb u toen uitgebreid geantwoord."
    )
    message = only("inadmissible_answer", lsr_complaint)
    body = flat(message.body)
    assert message.to == "jan@example.org"
    assert "Het antwoord van Tom Trainer op uw klacht:" in body
    assert "Ik heb u toen uitgebreid geantwoord." in body
    assert "kunt u zich tot de directeur wenden" in body
    link = link_in(message)
    assert (link.party, link.purpose) == ("complainant", "status")


def test_complainant_without_email_gets_the_ruling_as_a_letter_to_post(
    lsr_organisation, secretariat, trainers, director
):
    complaint = complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="post",
            complainant_email="",
            complainant_address="Dorpsstraat 1\n1234 AB Ergens",
        )
    )
    admissible_declare(
        complaint=complaint, actor=secretariat, category="procedure", respondent_type="organisation"
    )
    procedure_send(complaint=complaint, actor=secretariat)
    director_escalate(complaint=complaint, actor=secretariat)
    director_rule(
        complaint=complaint,
        actor=director,
        decision="founded",
        motivation="Terecht.",
        **letter_parts("ruling"),
        judgements=criteria_judged(complaint, not_in_order=1, as_form=False),
    )
    letter = OutboxMessage.objects.get(kind="ruling", complaint=complaint, to="")
    assert letter.status == OutboxStatus.TO_POST
    assert letter.postal_address == "Dorpsstraat 1\n1234 AB Ergens"
    assert "geen beroep mogelijk" in flat(letter.body)
    # The organisation itself is the respondent: the director answers for it.
    assert OutboxMessage.objects.filter(
        kind="ruling", complaint=complaint, to="directeur@example.org"
    ).exists()


# --- The deadline watcher's messages ---------------------------------------------------


def test_deadline_reminder_names_number_and_deadline_not_the_complaint_text(about_tom):
    organisation = Organisation.objects.get()
    subject, body = message_render(
        key="deadline_reminder",
        language="nl",
        context={
            "complaint": about_tom,
            "organisation": organisation,
            "link": None,
            "recipient_name": "Tom Trainer",
            "deadline_label": "afhandeling",
            "due": dt.date(2026, 3, 30),
            "days_left": 2,
        },
    )
    assert_tidy("deadline_reminder", subject, body)
    assert subject == f"Herinnering: klacht {about_tom.number}, afhandeling uiterlijk 30 maart 2026"
    text = flat(body)
    assert "Uiterlijk: maandag 30 maart 2026" in text
    assert "Nog 2 werkdagen." in text
    assert about_tom.description not in text
    assert about_tom.complainant_name not in text


def test_lsr_7b_watcher_reminds_the_handler_then_tells_the_director_what_is_overdue(
    about_tom, director
):
    deadlines_watch(today=dt.date(2026, 3, 27))  # Friday; settlement due Monday 30 March
    reminder = only("deadline_reminder", about_tom)
    body = flat(reminder.body)
    assert reminder.to == "trainer1@example.org"
    assert about_tom.number in reminder.subject
    assert "Uiterlijk: maandag 30 maart 2026" in body
    assert "Nog 1 werkdag." in body
    assert about_tom.description not in body

    deadlines_watch(today=dt.date(2026, 3, 31))
    notice = only("deadlines_overdue")
    assert notice.to == "directeur@example.org"
    assert notice.subject == "1 klacht met een verstreken termijn"
    assert (
        f"- {about_tom.number}: afhandeling van de klacht, uiterlijk maandag 30 maart 2026; "
        "behandelaar Tom Trainer" in notice.body
    )
    assert about_tom.description not in notice.body


def test_lsr_7b_overdue_notice_lists_each_complaint_with_handler_and_date(
    about_tom, lsr_organisation
):
    subject, body = message_render(
        key="deadlines_overdue",
        language="nl",
        context={
            "complaint": None,
            "organisation": lsr_organisation,
            "link": None,
            "recipient_name": "Dirk Directeur",
            "overdue": [about_tom],
            "overdue_count": 1,
        },
    )
    assert_tidy("deadlines_overdue", subject, body)
    assert subject == "1 klacht met een verstreken termijn"
    assert (
        f"- {about_tom.number}: behandelaar Tom Trainer, termijn was maandag 30 maart 2026" in body
    )
    assert about_tom.description not in body


def test_lsr_7a_weekly_digest_counts_new_open_and_overdue(about_tom, lsr_organisation):
    subject, body = message_render(
        key="weekly_digest",
        language="nl",
        context={
            "complaint": None,
            "organisation": lsr_organisation,
            "link": None,
            "recipient_name": "Dirk Directeur",
            "period_start": dt.date(2026, 2, 23),
            "period_end": dt.date(2026, 3, 1),
            "new": [about_tom],
            "new_count": 1,
            "open_count": 3,
            "overdue": [],
            "overdue_count": 0,
        },
    )
    assert_tidy("weekly_digest", subject, body)
    assert subject == "Overzicht klachten 23 februari 2026 tot en met 1 maart 2026"
    text = flat(body)
    assert "Nieuw binnengekomen: 1 klacht" in text
    assert f"- {about_tom.number}, ontvangen 2 maart 2026" in body
    assert "Openstaand: 3 klachten" in text
    assert "Termijn verstreken: 0 klachten" in text
    assert about_tom.description not in text


# --- Every template, even without a complaint or a link ---------------------------------


def test_every_message_key_has_a_template():
    missing = [key for key in MESSAGE_KEYS if not (EMAIL_TEMPLATES / f"{key}.txt").exists()]
    assert missing == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_template_renders_without_a_complaint_or_a_link(organisation, language):
    keys = sorted({*MESSAGE_KEYS, *(p.stem for p in EMAIL_TEMPLATES.glob("*.txt"))})
    for key in keys:
        subject, body = message_render(
            key=key,
            language=language,
            context={
                "complaint": None,
                "organisation": organisation,
                "link": None,
                "recipient_name": "",
            },
        )
        assert subject.strip() and "\n" not in subject, key
        assert "None" not in subject + body, key
        assert "Testinstituut" in body, key
        if language == "nl":
            assert "Met vriendelijke groet," in body, key
