"""Fixtures for the staff pages: complaints in known states and logged-in clients."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from klachtroute.cases.models import Complaint
from klachtroute.cases.services import complaint_register
from klachtroute.testing.factories import UserFactory, complaint_data

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def login():
    """login(user) -> a test client with that person logged in."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def posted_complaint(organisation, course, secretariat):
    """A complaint that came by post, registered by the secretariat, not yet assigned."""
    return complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="post",
            course=course,
            complainant_name="Petra Willems",
            complainant_email="petra@example.org",
            complainant_address="Dorpsstraat 1\n1234 AB Ergens",
            remedy_sought="Een excuus.",
        )
    )


@pytest.fixture
def complaints_bulk(organisation, course):
    """make(n, **fields) -> n complaints written in one bulk insert (no services, no events)."""
    version = organisation.active_procedure.versions.first()

    def _make(n: int, *, start: int = 1, **fields) -> list[Complaint]:
        now = timezone.now()
        rows = [
            Complaint(
                number=f"K-2026-{start + i:04d}",
                channel="post",
                received_at=now - dt.timedelta(hours=i),
                procedure_version=version,
                complainant_name=f"Klager {start + i}",
                complaint_date=now.date() - dt.timedelta(days=1),
                description="Een klacht om de werklijst mee te vullen.",
                **{
                    "course": course,
                    "next_due": timezone.localdate() + dt.timedelta(days=(i % 40) - 5),
                    **fields,
                },
            )
            for i in range(n)
        ]
        return Complaint.objects.bulk_create(rows, batch_size=250)

    return _make


@pytest.fixture
def people(secretariat, director, trainers):
    """One person of every kind around one complaint, by the name the workflow tests use."""
    return {
        "secretariat": secretariat,
        "director": director,
        "exam_committee": UserFactory(username="exam", is_exam_committee=True),
        "handler": trainers[2],
        "respondent": trainers[1],
        "other_trainer": trainers[0],
        "staff_member": UserFactory(username="mw", is_staff_member=True),
    }
