"""One language per page: a staff page read in English says nothing in Dutch, apart from what
people wrote and the messages as they were sent (in the recipient's language)."""

import re

import pytest
from django.test import Client

from klachtroute.cases.services import (
    complaint_register,
    first_contact_record,
    respondent_set,
    solution_propose,
)
from klachtroute.testing.factories import complaint_data, letter_parts

pytestmark = pytest.mark.django_db

# Dutch words that are no English words.
DUTCH = re.compile(
    r"\b(de|het|een|van|klacht|klager|behandelaar|termijn|niet|geen|wordt|naar|voor|uur|"
    r"en|bij|deze|uw|ontvangen|gaat)\b",
    re.IGNORECASE,
)


def _words(page: str) -> str:
    # The messages as they were sent are in the recipient's language.
    start = page.find('id="messages-title"')
    if start != -1:
        page = page[:start] + page[page.index("</section>", start) :]
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<option[^>]*>[^<]*</option>", " ", page)  # people's names
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _dutch_in(text: str) -> list[str]:
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in DUTCH.finditer(text)]


def test_staff_pages_read_in_english_say_nothing_in_dutch(
    organisation, course, trainers, secretariat
):
    import datetime as dt

    from django.utils import timezone

    from klachtroute.measures.services import measure_propose

    complaint = complaint_register(
        **complaint_data(
            course=course,
            complainant_name="John Smith",
            description="The trainer was late three times.",
            remedy_sought="An apology.",
        )
    )
    handler = trainers[2]
    first_contact_record(
        complaint=complaint, actor=handler, method="phone", contacted_at=timezone.now()
    )
    respondent_set(
        complaint=complaint, actor=secretariat, respondent_type="person", respondent=trainers[0]
    )
    solution_propose(
        complaint=complaint, actor=handler, text="An apology.", **letter_parts("solution")
    )
    measure_propose(
        complaint=complaint,
        actor=handler,
        description="Announce delays.",
        owner=trainers[1],
        due_date=timezone.localdate() + dt.timedelta(days=10),
    )
    found = {}
    for person, address in (
        (handler, f"/en/zaken/{complaint.number}/"),
        (secretariat, f"/en/zaken/{complaint.number}/"),
        (secretariat, "/en/werk/"),
        (trainers[1], "/en/maatregelen/"),
    ):
        client = Client()
        client.force_login(person)
        response = client.get(address)
        assert response.status_code == 200
        dutch = _dutch_in(_words(response.content.decode()))
        if dutch:
            found[f"{person.username} {address}"] = dutch
    assert found == {}
