"""The independent third party records the binding advice through its link (LIVP-11)."""

import pytest

from klachtroute.cases.models import Complaint, FollowUp, Outcome, Ruling
from klachtroute.cases.services import no_agreement_declare, third_party_appeal
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage

from .conftest import link_in_message


@pytest.fixture
def with_third_party(client, proposed):
    client.post(proposed.complainant_url, {"decision": "no", "reason": "Eén les is te weinig."})
    no_agreement_declare(complaint=proposed.complaint, actor=proposed.handler)
    third_party_appeal(complaint=proposed.complaint, party="complainant", note="Graag advies.")
    proposed.url = link_in_message(
        proposed.complaint, to="derde@example.org", kind="third_party_request"
    )
    return proposed


def test_livp_11_third_party_sees_the_registered_facts_and_history(client, with_third_party):
    html = client.get(with_third_party.url).content.decode()

    complaint = with_third_party.complaint
    assert complaint.number in html
    assert complaint.description in html
    assert "Excuses en een extra les." in html
    assert with_third_party.solution.text in html
    assert "Afgewezen" in html
    assert "Eén les is te weinig." in html


def test_livp_11_binding_advice_with_follow_ups_is_tracked(client, with_third_party):
    done = client.post(
        with_third_party.url,
        {
            "advice": "De klacht is gegrond.",
            "follow_ups": "Twee extra lessen geven.\n\nSchriftelijke excuses sturen.\n",
            "remedy_due": "2030-01-31",
        },
    )

    assert "Uw bindend advies is vastgelegd" in done.content.decode()
    complaint = Complaint.objects.get(pk=with_third_party.complaint.pk)
    assert complaint.state == State.ADVICE_FOLLOW_UP
    ruling = Ruling.objects.get(complaint=complaint)
    assert (ruling.body, ruling.motivation) == (Ruling.Body.THIRD_PARTY, "De klacht is gegrond.")
    assert list(FollowUp.objects.values_list("description", flat=True)) == [
        "Twee extra lessen geven.",
        "Schriftelijke excuses sturen.",
    ]
    assert OutboxMessage.objects.filter(kind="binding_advice", to="jan@example.org").exists()
    assert client.get(with_third_party.url).status_code == 404


def test_livp_11_binding_advice_without_follow_ups_settles(client, with_third_party):
    client.post(with_third_party.url, {"advice": "De oplossing was redelijk."})

    complaint = Complaint.objects.get(pk=with_third_party.complaint.pk)
    assert (complaint.state, complaint.outcome) == (State.SETTLED, Outcome.BINDING_ADVICE)


def test_livp_11_advice_is_required(client, with_third_party):
    page = client.post(with_third_party.url, {"advice": "", "follow_ups": "Iets."})

    assert "Vul het bindend advies in." in page.content.decode()
    assert not Ruling.objects.exists()
    assert Complaint.objects.get(pk=with_third_party.complaint.pk).state == State.WITH_THIRD_PARTY
