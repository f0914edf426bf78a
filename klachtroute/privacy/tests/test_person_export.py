"""A person's data (AVG art. 15): everything about one person, nothing about others."""

import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from klachtroute.cases.models import Approval, DefenceRequest, Party, Solution
from klachtroute.cases.services import complaint_register
from klachtroute.notifications.services import message_queue
from klachtroute.testing.factories import complaint_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def people_complaints(organisation, course, secretariat, trainers):
    first = complaint_register(
        **complaint_data(
            actor=secretariat,
            course=course,
            complainant_name="Petra Willems",
            complainant_email="petra@example.org",
            complainant_phone="0611111111",
            description="Eerste klacht van Petra over het rooster.",
        )
    )
    second = complaint_register(
        **complaint_data(
            actor=secretariat,
            course=course,
            complainant_name="Petra Willems",
            complainant_email="PETRA@example.org",
            description="Tweede klacht van Petra over de lesruimte.",
        )
    )
    third = complaint_register(
        **complaint_data(
            actor=secretariat,
            course=course,
            complainant_name="Karel Kwaadsma",
            complainant_email="karel@example.org",
            complainant_phone="0622222222",
            description="Klacht van Karel over de trainer Tom.",
            respondent_type="person",
            respondent=trainers[0],
        )
    )
    solution = Solution.objects.create(
        complaint=first, text="Het rooster komt een week vooraf.", proposed_at=timezone.now()
    )
    Approval.objects.create(
        solution=solution,
        party=Party.COMPLAINANT,
        decision=Approval.Decision.REJECTED,
        reason="Dat is te laat.",
        decided_at=timezone.now(),
    )
    DefenceRequest.objects.create(
        complaint=third,
        requested_at=timezone.now(),
        question="Wat is uw kant van het verhaal?",
        due=timezone.localdate(),
        defence="Ik was op tijd; het lokaal was bezet.",
        submitted_at=timezone.now(),
    )
    message_queue(
        to="petra@example.org", subject="Uw rooster", body="Beste Petra", kind="x", complaint=first
    )
    message_queue(
        to=trainers[2].email, subject="Intern: rooster", body="Intern", kind="x", complaint=first
    )
    message_queue(
        to=trainers[0].email,
        subject="Verweer gevraagd",
        body="Karel Kwaadsma (karel@example.org) klaagt over u.",
        kind="x",
        complaint=third,
    )
    return first, second, third


def export_json(client, **params) -> dict:
    response = client.get(reverse("privacy:person_export_json"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_avg_15_complainant_export_holds_both_complaints_and_nothing_of_another(
    people_complaints, secretariat, login
):
    first, second, third = people_complaints
    data = export_json(login(secretariat), email="petra@example.org")
    numbers = [c["number"] for c in data["complaints"]]
    assert numbers == [first.number, second.number]
    text = json.dumps(data, ensure_ascii=False)
    assert "Eerste klacht van Petra" in text and "Tweede klacht van Petra" in text
    assert "0611111111" in text  # their own contact details
    assert "Dat is te laat." in text  # their decision on a solution
    assert data["complaints"][0]["approvals"][0]["decision"] == "Niet akkoord"
    for other in ("Karel", "karel@example.org", "0622222222", third.number):
        assert other not in text
    # Messages sent to them are included; a message to someone else on their complaint not.
    subjects = [m["subject"] for m in data["complaints"][0]["messages"]]
    assert "Uw rooster" in subjects
    assert "Intern: rooster" not in subjects


def test_avg_15_complainant_found_by_name_also_as_pdf(people_complaints, secretariat, login):
    first, second, third = people_complaints
    response = login(secretariat).get(
        reverse("privacy:person_export_pdf"), {"name": "petra willems"}
    )
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert first.number in text and second.number in text
    assert "Karel" not in text and third.number not in text


def test_avg_15_respondent_export_holds_defence_without_the_complainant(
    people_complaints, secretariat, trainers, login
):
    third = people_complaints[2]
    client = login(secretariat)
    data = export_json(client, user=trainers[0].pk)
    assert data["account"]["username"] == trainers[0].username
    assert [c["number"] for c in data["complaints_as_respondent"]] == [third.number]
    assert data["defences"][0]["defence"] == "Ik was op tijd; het lokaal was bezet."
    told = next(m for m in data["messages"] if m["subject"] == "Verweer gevraagd")
    assert told["body"].startswith("[klager]")
    text = json.dumps(data, ensure_ascii=False)
    for private in ("Karel", "Kwaadsma", "karel@example.org", "0622222222", "Petra"):
        assert private not in text

    pdf = client.get(reverse("privacy:person_export_pdf"), {"user": trainers[0].pk})
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "het lokaal was bezet" in pdf_text
    assert "Karel" not in pdf_text and "karel@example.org" not in pdf_text


def test_avg_15_only_the_secretariat_exports_a_persons_data(
    people_complaints, director, trainers, secretariat, login
):
    urls = [
        (reverse("privacy:person_export"), {"email": "petra@example.org"}),
        (reverse("privacy:person_export_json"), {"email": "petra@example.org"}),
        (reverse("privacy:person_export_pdf"), {"email": "petra@example.org"}),
    ]
    for person in (director, trainers[0]):
        client = login(person)
        for url, params in urls:
            assert client.get(url, params).status_code == 403
    page = login(secretariat).get(urls[0][0], urls[0][1])
    assert page.status_code == 200
    assert people_complaints[0].number in page.text
    assert reverse("privacy:person_export_json") in page.text


def test_avg_15_search_without_a_person_asks_for_one(secretariat, organisation, login):
    client = login(secretariat)
    page = client.get(reverse("privacy:person_export"), {"email": "", "name": ""})
    assert page.status_code == 200
    assert "Vul een e-mailadres of naam in" in page.text
    assert client.get(reverse("privacy:person_export_json")).status_code == 404
