"""An Awb chapter 9 complaint from the English web form to the reasoned outcome, through the
pages and links people use: the public form, the staff record page, the respondent's private
link, the API and the complainant's status link."""

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from klachtroute.accounts.models import ApiToken
from klachtroute.cases.models import Complaint, Outcome
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _link(message: OutboxMessage) -> str:
    return re.search(r"https?://[^/\s]+(/\S*/p/\S+|/p/\S+)", message.body).group(1)


def _offered(html: str) -> set[str]:
    return set(re.findall(r'action="/zaken/[^/]+/acties/([a-z_]+)/"', html))


def test_awb_9_story_from_the_english_form_to_the_reasoned_outcome(
    awb_organisation, secretariat, client
):
    handler = UserFactory(username="hannah", first_name="Hannah", is_staff_member=True)
    respondent = UserFactory(
        username="rob", first_name="Rob", last_name="Medewerker", is_staff_member=True
    )
    course = CourseFactory(name="Bachelor Bestuurskunde")

    # AWB-9:4: the English form asks for the postal address, and refuses the complaint without.
    form = client.get("/en/klacht/").content.decode()
    assert "Your postal address" in form
    data = {
        "complainant_name": "Sam Student",
        "course": str(course.pk),
        "course_other": "",
        "complaint_date": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
        "complainant_phone": "06 12 34 56 78",
        "complainant_email": "sam@example.org",
        "description": "The front desk refused to help me twice and was rude.",
        "remedy_sought": "",
        "submission_token": "0d8a7c2e-6f1b-4a7e-9a51-3f0d5c1e2b44",
    }
    refused = client.post("/en/klacht/", data).content.decode()
    assert "Enter your postal address." in refused
    assert not Complaint.objects.exists()
    client.post("/en/klacht/", {**data, "complainant_address": "Main Street 1\n1234 AB Town"})
    complaint = Complaint.objects.get()

    # AWB-9:6: acknowledged in writing, in English, with the procedure.
    [ack] = OutboxMessage.objects.filter(complaint=complaint, kind="acknowledgement")
    assert "six weeks" in ack.body
    status_link = _link(ack)

    # The secretariat records the respondent and a handler on the record page.
    staff = Client()
    staff.force_login(secretariat)
    url = f"/zaken/{complaint.number}/acties"
    staff.post(f"{url}/set_respondent/", {"respondent_type": "person", "respondent": respondent.pk})
    staff.post(f"{url}/assign_handler/", {"handler": handler.pk})
    complaint.refresh_from_db()
    assert complaint.handler == handler

    # The handler sends the copy and offers the hearing on the record page.
    own = Client()
    own.force_login(handler)
    record = own.get(f"/zaken/{complaint.number}/").content.decode()
    assert {"send_respondent_copy", "offer_hearing", "set_aside"} <= _offered(record)
    assert "decide_outcome" not in _offered(record)
    own.post(f"{url}/send_respondent_copy/", {})
    own.post(f"{url}/offer_hearing/", {"proposal": "Tuesday 10:00, room 2."})
    own.post(
        f"{url}/record_hearing/",
        {"held_on": dt.date.today().isoformat(), "report": "Both sides explained."},
    )

    record = own.get(f"/zaken/{complaint.number}/").content.decode()
    assert "Both sides explained." in record  # AWB-9:10: the report is kept with the complaint
    assert "decide_outcome" in _offered(record)

    # AWB-9:9: the respondent reads the copy through the private link.
    [copy] = OutboxMessage.objects.filter(complaint=complaint, kind="respondent_copy")
    page = Client().get(_link(copy)).content.decode()
    assert "The front desk refused to help me twice" in page

    # The complainant follows it through the status link, in English.
    status = Client().get(status_link).content.decode()
    assert '<html lang="en">' in status and complaint.number in status

    # AWB-9:12: the handler decides through the API.
    _token, raw = ApiToken.objects.create_token(user=handler, name="test")
    response = Client().post(
        f"/api/v1/complaints/{complaint.number}/actions/decide_outcome",
        json.dumps(
            {
                "findings": "The desk was closed for a training on both days.",
                "decision": "partly_founded",
                "motivation": "Closing was right; not telling students was not.",
                "conclusions": "Closures are announced a week ahead.",
                "remedy_due": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
                "confirm": True,
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    assert complaint.state == State.SETTLED
    assert complaint.outcome == Outcome.REASONED
    to_complainant = OutboxMessage.objects.get(
        complaint=complaint, kind="outcome", to="sam@example.org"
    )
    assert "the complaint is partly upheld" in to_complainant.body
    assert "National Ombudsman" in to_complainant.body

    # The history tells it in words.
    summaries = " ".join(complaint.events.values_list("summary", flat=True))
    for words in ("Afschrift van de klacht", "gehoord op", "oordeel: deels gegrond"):
        assert words in summaries
