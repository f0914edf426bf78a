"""Every change of a date or deadline by a person needs a reason, and the history shows it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from klachtroute.cases.services import (
    complaint_correct_received_at,
    complaint_register,
    defence_request,
    director_escalate,
    inadmissible_answer,
    inadmissible_declare,
)
from klachtroute.testing.factories import complaint_data

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


@pytest.fixture
def monday():
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=AMS), tick=False):
        yield


@pytest.fixture
def complaint(organisation, secretariat, monday):
    return complaint_register(
        **complaint_data(
            actor=secretariat, channel="post", received_at=dt.datetime(2026, 3, 2, 9, tzinfo=AMS)
        )
    )


def test_correcting_the_date_of_receipt_without_a_reason_is_refused(complaint, secretariat):
    with pytest.raises(ValidationError) as refused:
        complaint_correct_received_at(
            complaint=complaint,
            received_at=dt.datetime(2026, 2, 26, 9, tzinfo=AMS),
            actor=secretariat,
            reason="  ",
        )
    assert "reason" in refused.value.message_dict
    complaint.refresh_from_db()
    assert complaint.received_at == dt.datetime(2026, 3, 2, 9, tzinfo=AMS)
    assert not complaint.events.filter(kind="received_at_corrected").exists()


def test_corrected_date_of_receipt_shows_old_and_new_date_and_reason_in_history(
    complaint, secretariat, client
):
    client.force_login(secretariat)
    response = client.post(
        reverse("cases:action", args=[complaint.number, "correct_received_at"]),
        {"received_at": "2026-02-26T09:00", "reason": "De brief lag bij de receptie."},
    )
    assert response.status_code == 302
    event = complaint.events.get(kind="received_at_corrected")
    assert "2 mrt. 2026, 09:00" in event.summary and "26 feb. 2026, 09:00" in event.summary
    assert "De brief lag bij de receptie." in event.summary
    assert event.after["reason"] == "De brief lag bij de receptie."
    page = client.get(reverse("cases:detail", args=[complaint.number])).content.decode()
    assert "De brief lag bij de receptie." in page


def test_the_correction_form_says_the_reason_is_missing(complaint, secretariat, client):
    client.force_login(secretariat)
    response = client.post(
        reverse("cases:action", args=[complaint.number, "correct_received_at"]),
        {"received_at": "2026-02-26T09:00"},
    )
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.content.decode()
    assert not complaint.events.filter(kind="received_at_corrected").exists()


@pytest.fixture
def with_director(lsr_organisation, secretariat, director, trainers, monday):
    complaint = complaint_register(
        **complaint_data(
            actor=secretariat, channel="post", received_at=dt.datetime(2026, 3, 2, 9, tzinfo=AMS)
        )
    )
    inadmissible_declare(
        complaint=complaint,
        actor=secretariat,
        ground="other",
        reason="Geen klant.",
        respondent_type="person",
        respondent=trainers[0],
    )
    inadmissible_answer(complaint=complaint, actor=trainers[0], answer="U bent geen klant.")
    director_escalate(complaint=complaint, actor=secretariat)
    return complaint


def test_lsr_6e_defence_date_of_the_procedure_needs_no_reason(with_director, director):
    request = defence_request(complaint=with_director, actor=director, question="Uw kant?")
    # 10 working days after Monday 2 March 2026.
    assert request.due == dt.date(2026, 3, 16)
    assert "Reden" not in with_director.events.get(kind="defence_requested").summary


def test_lsr_6e_another_defence_date_needs_a_reason_shown_in_history(with_director, director):
    with pytest.raises(ValidationError) as refused:
        defence_request(complaint=with_director, actor=director, due=dt.date(2026, 3, 27))
    assert "due_reason" in refused.value.message_dict
    assert not with_director.defence_requests.exists()

    defence_request(
        complaint=with_director,
        actor=director,
        due=dt.date(2026, 3, 27),
        due_reason="De trainer is twee weken op vakantie.",
    )
    event = with_director.events.get(kind="defence_requested")
    assert "27 mrt. 2026" in event.summary
    assert "De trainer is twee weken op vakantie." in event.summary
