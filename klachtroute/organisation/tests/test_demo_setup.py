"""The demo organisation that `make run` loads."""

import io

import pytest
from django.core.management import call_command

from klachtroute.accounts.models import User
from klachtroute.cases.models import Complaint
from klachtroute.organisation.models import Course, Organisation

pytestmark = pytest.mark.django_db


def test_demo_setup_loads_livp_three_courses_a_user_per_role_and_prints_logins():
    out = io.StringIO()
    call_command("demo_setup", stdout=out)
    organisation = Organisation.objects.get()
    assert organisation.active_procedure.code == "livp"
    assert organisation.auto_assign is True
    assert Course.objects.count() == 3
    assert all(course.trainers.exists() for course in Course.objects.all())
    for role in (
        "secretariat",
        "trainer",
        "staff_member",
        "director",
        "exam_committee",
        "administrator",
    ):
        assert User.objects.filter(**{f"is_{role}": True}).exists(), role
    printed = out.getvalue()
    assert "secretariaat" in printed and "demo-klacht-2026" in printed
    assert User.objects.get(username="secretariaat").check_password("demo-klacht-2026")
    assert Complaint.objects.count() == 2


def test_demo_setup_can_run_twice():
    call_command("demo_setup", "--quiet")
    call_command("demo_setup", "--quiet")
    assert Organisation.objects.count() == 1
    assert Course.objects.count() == 3
    assert Complaint.objects.count() == 2
