"""The demo organisation that `make run` loads."""

import datetime as dt
import io
import logging

import pytest
from django.core.management import call_command

from klachtroute.accounts.models import User
from klachtroute.cases.models import Complaint, Event, Ruling
from klachtroute.measures.models import Measure
from klachtroute.organisation.models import Course, Organisation
from klachtroute.portal.models import SatisfactionResponse
from klachtroute.procedures.models import Procedure

pytestmark = pytest.mark.django_db


def test_demo_setup_loads_livp_three_courses_a_user_per_role_and_prints_logins():
    out = io.StringIO()
    call_command("demo_setup", "--history", "0", stdout=out)
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


def test_demo_setup_offers_the_awb_preset_for_the_administrator_to_choose():
    call_command("demo_setup", "--quiet", "--procedure", "awb9")
    organisation = Organisation.objects.get()
    assert organisation.active_procedure.code == "awb9"
    # The three presets are installed, so that /beheer/ offers each as the active procedure.
    assert {p.code for p in Procedure.objects.all()} == {"livp", "lsr", "awb9"}
    assert Complaint.objects.count() == 2


def test_demo_setup_can_run_twice():
    call_command("demo_setup", "--quiet", "--history", "0")
    call_command("demo_setup", "--quiet", "--history", "0")
    assert Organisation.objects.count() == 1
    assert Course.objects.count() == 3
    assert Complaint.objects.count() == 2


@pytest.mark.parametrize(
    "procedure, stages",
    [
        (
            "livp",
            {"new", "in_progress", "awaiting_approval", "with_third_party", "settled", "withdrawn"},
        ),
        ("lsr", {"new", "in_progress", "with_director", "settled", "withdrawn"}),
    ],
)
def test_the_demo_holds_a_year_of_complaints_in_every_stage_with_an_unbroken_history(
    procedure, stages, caplog
):
    with caplog.at_level(logging.INFO, logger="klachtroute.operations.demo_history"):
        call_command("demo_setup", "--quiet", "--procedure", procedure)
    # Every step of every story was taken: none refused by a rule (a date on a holiday).
    assert [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()] == []

    complaints = Complaint.objects.all()
    assert complaints.count() >= 100
    first = complaints.order_by("received_at").first().received_at
    assert dt.timedelta(days=330) < complaints.order_by("received_at").last().received_at - first
    assert stages <= set(complaints.values_list("state", flat=True))
    assert Organisation.objects.get().active_procedure.code == procedure
    assert Measure.objects.exists()
    assert Ruling.objects.exists()  # a binding advice (LIVP), rulings (LSR)
    assert Event.objects.filter(kind="extended").exists()
    assert SatisfactionResponse.objects.filter(answered_at__isnull=False).count() >= 20
    out = io.StringIO()
    call_command("verify_history", stdout=out)
    assert out.getvalue().startswith("OK")

    count = complaints.count()
    call_command("demo_setup", "--quiet", "--procedure", procedure)
    assert Complaint.objects.count() == count  # safe to run again


def test_the_application_reads_the_time_only_from_djangos_clock():
    """The demo takes its complaints through their year by setting `timezone.now` alone;
    application code that read another clock (or imported `now` by name) would escape it,
    and a test tool such as time-machine would be needed at run time again."""
    import re
    from pathlib import Path

    from django.conf import settings

    other_clocks = re.compile(
        r"\bdate\.today\(|\bdatetime\.now\(|\butcnow\(|\btime\.time\(|"
        r"from django\.utils\.timezone import[^\n]*\bnow\b|^\s*import time_machine|"
        r"^\s*from time_machine",
        re.MULTILINE,
    )
    # The public form's rate limit counts real seconds in the cache, never a moment of a
    # complaint.
    allowed = {Path("klachtroute/intake/ratelimit.py")}
    root = Path(settings.BASE_DIR)
    found = [
        f"{path.relative_to(root)}: {match.group(0).strip()}"
        for path in sorted((root / "klachtroute").rglob("*.py"))
        if not {"tests", "testing"} & set(path.relative_to(root).parts[:-1])
        and path.relative_to(root) not in allowed
        for match in other_clocks.finditer(path.read_text())
    ]
    assert found == []
