"""The points of a binding advice (LIVP-11) are ticked off only once someone answers for
them: a point gets an owner and a date first, and is followed as a measure until done."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from klachtroute.cases.services import (
    binding_advice_record,
    complaint_register,
    follow_up_complete,
    no_agreement_declare,
    third_party_appeal,
)
from klachtroute.cases.workflow import TransitionError
from klachtroute.measures.services import follow_up_plan
from klachtroute.testing.factories import complaint_data, letter_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def advice(organisation, course, trainers, secretariat):
    """A complaint whose binding advice asks two things of the organisation."""
    complaint = complaint_register(**complaint_data(course=course))
    no_agreement_declare(complaint=complaint, actor=secretariat)
    third_party_appeal(complaint=complaint, party="complainant")
    ruling = binding_advice_record(
        complaint=complaint,
        party="third_party",
        advice="Excuses en een nieuw rooster.",
        follow_ups=["Lesrooster herzien", "Excuses per brief"],
        **letter_parts("binding_advice"),
    )
    complaint.refresh_from_db()
    return complaint, list(ruling.follow_ups.all())


def _plan(complaint, item, actor, owner):
    follow_up_plan(
        complaint=complaint,
        actor=actor,
        follow_up_id=item.pk,
        owner=owner,
        due_date=timezone.localdate() + dt.timedelta(days=7),
    )


def test_follow_up_point_without_owner_or_date_cannot_be_completed(advice, secretariat, trainers):
    complaint, (planned, unplanned) = advice
    _plan(complaint, planned, secretariat, trainers[1])
    with pytest.raises(ValidationError) as refused:
        follow_up_complete(complaint=complaint, actor=secretariat, follow_up_id=unplanned.pk)
    assert refused.value.message_dict == {
        "follow_up": [
            "Dit punt heeft nog geen eigenaar en datum. Geef het eerst een eigenaar en een "
            "datum; daarna kunt u het afvinken."
        ]
    }
    unplanned.refresh_from_db()
    assert unplanned.done_at is None
    complaint.refresh_from_db()
    assert complaint.state == "advice_follow_up"
    # The planned point is ticked off; the complaint waits for the other one.
    follow_up_complete(complaint=complaint, actor=secretariat, follow_up_id=planned.pk)
    complaint.refresh_from_db()
    assert complaint.state == "advice_follow_up"


def test_the_tick_off_form_offers_only_planned_points(advice, secretariat, trainers, client):
    complaint, (planned, unplanned) = advice
    _plan(complaint, planned, secretariat, trainers[1])
    client.force_login(secretariat)
    page = client.get(f"/zaken/{complaint.number}/").content.decode()
    panel = page.split('id="actie-complete_follow_up"')[1].split("</details>")[0]
    assert f'<option value="{planned.pk}"' in panel
    assert f'<option value="{unplanned.pk}"' not in panel
    response = client.post(
        f"/zaken/{complaint.number}/acties/complete_follow_up/",
        {"follow_up": unplanned.pk, "confirm": "1"},
    )
    assert response.status_code == 400
    assert "Kies een open punt dat een eigenaar en een datum heeft." in response.content.decode()
    unplanned.refresh_from_db()
    assert unplanned.done_at is None


def test_nothing_is_ticked_off_before_a_point_is_planned_and_the_page_says_so(
    advice, secretariat, client
):
    complaint, (first, _second) = advice
    with pytest.raises(TransitionError) as refused:
        follow_up_complete(complaint=complaint, actor=secretariat, follow_up_id=first.pk)
    assert str(refused.value.message) == (
        "Geef eerst een punt van het advies een eigenaar en een datum."
    )
    client.force_login(secretariat)
    page = client.get(f"/zaken/{complaint.number}/").content.decode()
    assert 'id="actie-complete_follow_up"' not in page
    assert 'id="actie-plan_follow_up"' in page
    blocked = page.split('class="blocked-steps"')[1].split("</ul>")[0]
    assert "Uitvoering van het advies afvinken" in blocked
    assert "Geef eerst een punt van het advies een eigenaar en een datum." in blocked
