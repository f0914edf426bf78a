"""A year of complaints (2025) with known lead times, created through the real services.

Each step happens at a known moment (time_machine), so every number in the report is
known in advance. The comments give what each complaint contributes.
"""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from klachtroute.cases import services
from klachtroute.measures.services import measure_propose
from klachtroute.testing.factories import complaint_data, letter_parts, organisation_create

AMS = ZoneInfo("Europe/Amsterdam")
# The moment the report is made: after the period, so open deadlines have passed.
REPORT_DAY = dt.datetime(2026, 2, 15, 12, tzinfo=AMS)

SOPHIE = {
    "complainant_name": "Sophie van der Berg",
    "complainant_email": "sophie@example.org",
    "complainant_phone": "0612345678",
    "complainant_address": "Keizersgracht 12\n1015 CS Amsterdam",
    "representative_name": "Pieter van der Berg",
    "description": "Sophie uit Amsterdam kreeg van de trainer geen feedback op haar eindopdracht.",
    "remedy_sought": "Sophie wil alsnog een beoordeling met uitleg.",
}


def at(year, month, day, hour=10, minute=0):
    return time_machine.travel(dt.datetime(year, month, day, hour, minute, tzinfo=AMS), tick=False)


def now():
    from django.utils import timezone

    return timezone.now()


@pytest.fixture
def login():
    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def year_2025(db, secretariat, director, trainers, course):
    """Seven complaints received in 2025 and one just before it.

    LIVP (acknowledged on assignment, 1 working day; settled within 4 weeks):
      A web 3 Feb, about trainer Tom, auto-assigned at once (ack 0 days, on time),
        solution approved by both on 17 Feb (14 days).
      B post 7 Mar (Friday), other course "Cursus X", assigned Tue 11 Mar (ack 4 days, late:
        due Mon 10 Mar), extended on 1 Apr from 4 Apr to 23 Apr, settled 15 Apr (39 days,
        after the original deadline).
      C web 12 May, about trainer Tessa, auto-assigned (ack 0 days, on time), no agreement,
        appeal to the third party: still open.
      D phone 1 Jan 00:30 (local; 31 Dec in UTC), settled on the spot (0 days).
      H web 31 Dec 2024 23:30 local: outside the period.
    LSR (acknowledged on registration, no acknowledgement deadline; 4 weeks):
      E e-mail 1 Sep, Sophie's complaint about trainer Tom: admissible, category trainer,
        findings accepted 12 Sep (11 days); a measure due 1 Oct 2025, still proposed.
      F post 6 Oct: inadmissible, answered, escalated to the director, ruled unfounded on
        20 Oct (14 days).
      G web 3 Nov: admissible, category exam, with the exam committee: still open.
    """
    tom, tessa, theo = trainers
    organisation_create(preset="livp", auto_assign=True)
    c = SimpleNamespace()

    with at(2024, 12, 31, 23, 30):
        c.H = services.complaint_register(
            **complaint_data(received_at=now(), course=course, complainant_name="Hendrik Hol")
        )
    with at(2025, 1, 1, 0, 30):
        c.D = services.complaint_register(
            **complaint_data(
                actor=secretariat,
                channel="phone",
                received_at=now(),
                complainant_name="Daan Dekker",
                settled_on_the_spot=True,
            )
        )
    with at(2025, 2, 3):
        c.A = services.complaint_register(
            **complaint_data(
                received_at=now(),
                course=course,
                respondent_type="person",
                respondent=tom,
            )
        )
    with at(2025, 2, 10):
        services.solution_propose(
            complaint=c.A, actor=theo, text="Tom geeft extra uitleg.", **letter_parts("solution")
        )
    with at(2025, 2, 17):
        for party in ("complainant", "respondent"):
            services.solution_decide(complaint=c.A, actor=secretariat, party=party, approve=True)

    with at(2025, 3, 7, 11):
        c.B = services.complaint_register(
            **complaint_data(
                actor=secretariat,
                channel="post",
                received_at=now(),
                course_other="Cursus X",
                complainant_name="Karin Kok",
                complainant_email="",
            )
        )
    with at(2025, 3, 11, 9):
        services.complaint_assign_handler(complaint=c.B, handler=theo, actor=secretariat)
    with at(2025, 4, 1):
        services.settlement_extend(
            complaint=c.B,
            actor=secretariat,
            reason="Getuigen zijn op vakantie.",
            new_due=dt.date(2025, 4, 23),
        )
        services.respondent_set(complaint=c.B, actor=secretariat, respondent_type="organisation")
    with at(2025, 4, 8):
        services.solution_propose(
            complaint=c.B, actor=theo, text="Nieuwe roosterafspraken.", **letter_parts("solution")
        )
    with at(2025, 4, 15):
        for party in ("complainant", "respondent"):
            services.solution_decide(complaint=c.B, actor=secretariat, party=party, approve=True)

    with at(2025, 5, 12):
        c.C = services.complaint_register(
            **complaint_data(
                received_at=now(),
                course=course,
                respondent_type="person",
                respondent=tessa,
                complainant_name="Lotte Lammers",
            )
        )
    with at(2025, 5, 19):
        services.no_agreement_declare(complaint=c.C, actor=secretariat, reason="Geen akkoord.")
    with at(2025, 5, 20):
        services.third_party_appeal(complaint=c.C, actor=secretariat)

    organisation_create(preset="lsr", auto_assign=False)
    with at(2025, 9, 1):
        c.E = services.complaint_register(
            **complaint_data(
                actor=secretariat, channel="email", received_at=now(), course=course, **SOPHIE
            )
        )
    with at(2025, 9, 3):
        services.admissible_declare(
            complaint=c.E,
            actor=secretariat,
            category="trainer",
            respondent_type="person",
            respondent=tom,
        )
    with at(2025, 9, 10):
        c.E.refresh_from_db()
        criteria = c.E.procedure_version.spec.criteria_for("trainer")
        services.findings_share(
            complaint=c.E,
            actor=tom,
            summary="Bevinding: Sophie heeft de feedback inderdaad niet gekregen.",
            proposed_solution="Een gesprek met Sophie in Amsterdam.",
            judgements={cr.code: ("not_in_order", "Sophie is niet gehoord.") for cr in criteria},
            **letter_parts("findings"),
        )
        c.measure = measure_propose(
            complaint=c.E,
            actor=secretariat,
            description="Feedback binnen twee weken.",
            owner=director,
            due_date=dt.date(2025, 10, 1),
        )
    with at(2025, 9, 12):
        services.findings_respond(complaint=c.E, actor=secretariat, agree=True)

    with at(2025, 10, 6):
        c.F = services.complaint_register(
            **complaint_data(
                actor=secretariat, channel="post", received_at=now(), complainant_name="Frits Fok"
            )
        )
    with at(2025, 10, 7):
        services.inadmissible_declare(
            complaint=c.F, actor=secretariat, ground="other", reason="Geen klant van ons."
        )
    with at(2025, 10, 8):
        services.inadmissible_answer(complaint=c.F, actor=director, answer="U bent geen klant.")
    with at(2025, 10, 9):
        services.director_escalate(complaint=c.F, actor=secretariat)
    with at(2025, 10, 20):
        services.director_rule(
            complaint=c.F,
            actor=director,
            decision="unfounded",
            motivation="Geen klant.",
            **letter_parts("ruling"),
        )

    with at(2025, 11, 3):
        c.G = services.complaint_register(
            **complaint_data(received_at=now(), course=course, complainant_name="Gijs Goud")
        )
    with at(2025, 11, 4):
        services.admissible_declare(
            complaint=c.G, actor=secretariat, category="exam", respondent_type="organisation"
        )
    for name in "ABCDEFGH":
        getattr(c, name).refresh_from_db()
    return c


@pytest.fixture
def report_day():
    with time_machine.travel(REPORT_DAY, tick=False):
        yield REPORT_DAY
