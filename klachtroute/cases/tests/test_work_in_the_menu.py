"""Every person with work finds it through the menu: the handler, the exam committee and a
respondent asked for a defence on their worklist, the owner of a measure under Measures."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from klachtroute.cases.services import (
    admissible_declare,
    complaint_register,
    defence_request,
    director_escalate,
    findings_respond,
    findings_share,
    procedure_send,
)
from klachtroute.measures.services import measure_propose
from klachtroute.testing.factories import UserFactory, complaint_data, letter_parts

pytestmark = pytest.mark.django_db


def _menu_links(page: str) -> list[str]:
    nav = page[page.index('class="staff-nav"') : page.index("</nav>")]
    return re.findall(r'href="([^"]+)"', nav)


def _found_through_the_menu(person, text: str) -> bool:
    """Whether `text` is on a page the menu leads this person to, starting at the worklist."""
    client = Client()
    client.force_login(person)
    home = client.get("/werk/").content.decode()
    return any(text in client.get(link).content.decode() for link in _menu_links(home))


def test_every_person_with_work_finds_it_through_the_menu(lsr_organisation, secretariat, director):
    # The exam committee rules on an exam complaint (LSR-9).
    exam_member = UserFactory(username="examen", is_exam_committee=True)
    exam = complaint_register(**complaint_data())
    admissible_declare(
        complaint=exam, actor=secretariat, category="exam", respondent_type="organisation"
    )
    # A staff member handles the complaint about them first (LSR-6a).
    staff = UserFactory(username="mw", is_staff_member=True)
    about_staff = complaint_register(**complaint_data())
    admissible_declare(
        complaint=about_staff,
        actor=secretariat,
        category="staff",
        respondent_type="person",
        respondent=staff,
    )
    # A trainer the director asks for a defence (LSR-6e).
    trainer = UserFactory(username="docent", is_trainer=True)
    about_trainer = complaint_register(**complaint_data())
    admissible_declare(
        complaint=about_trainer,
        actor=secretariat,
        category="procedure",
        respondent_type="person",
        respondent=trainer,
    )
    about_trainer.refresh_from_db()
    criteria = about_trainer.procedure_version.spec.criteria_for("procedure")
    findings_share(
        complaint=about_trainer,
        actor=director,
        summary="Onderzocht.",
        proposed_solution="Een gesprek.",
        judgements={c.code: ("in_order", "") for c in criteria},
        **letter_parts("findings"),
    )
    findings_respond(complaint=about_trainer, party="complainant", agree=False, reason="Nee.")
    procedure_send(complaint=about_trainer, actor=secretariat)
    director_escalate(complaint=about_trainer, party="complainant")
    assert not _found_through_the_menu(trainer, about_trainer.number)  # no work yet
    about_trainer.refresh_from_db()
    defence_request(complaint=about_trainer, actor=director, question="Uw reactie?")
    # A colleague who owns a measure.
    owner = UserFactory(username="eigenaar", is_staff_member=True)
    measure_propose(
        complaint=about_staff,
        actor=director,
        description="Roosterwijzigingen een week vooraf melden.",
        owner=owner,
        due_date=timezone.localdate() + dt.timedelta(days=10),
    )

    assert _found_through_the_menu(exam_member, exam.number)
    assert _found_through_the_menu(staff, about_staff.number)
    assert _found_through_the_menu(trainer, about_trainer.number)
    assert _found_through_the_menu(owner, "Roosterwijzigingen een week vooraf melden.")
