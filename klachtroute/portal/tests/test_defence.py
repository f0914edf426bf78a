"""The respondent's defence to the director (LSR-6e)."""

from django.utils import formats

from klachtroute.cases.models import Complaint, DefenceRequest
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage


def test_lsr_6e_respondent_sees_the_complaint_question_and_due_date(client, awaiting_defence):
    html = client.get(awaiting_defence.defence_url).content.decode()

    assert awaiting_defence.complaint.number in html
    assert awaiting_defence.complaint.description in html
    assert "Klopt het dat u drie keer te laat kwam?" in html
    assert formats.date_format(awaiting_defence.due, "l j F Y") in html


def test_lsr_6e_defence_is_required(client, awaiting_defence):
    page = client.post(awaiting_defence.defence_url, {"defence": " "})

    assert "Schrijf het verweer." in page.content.decode()
    assert DefenceRequest.objects.get().submitted_at is None


def test_lsr_6e_respondent_submits_the_defence_and_the_director_is_told(client, awaiting_defence):
    done = client.post(awaiting_defence.defence_url, {"defence": "Ik stond in de file."})

    assert "Uw verweer is ontvangen" in done.content.decode()
    request = DefenceRequest.objects.get()
    assert request.defence == "Ik stond in de file."
    assert request.submitted_at is not None
    assert Complaint.objects.get(pk=awaiting_defence.complaint.pk).state == State.WITH_DIRECTOR
    assert OutboxMessage.objects.filter(
        kind="defence_received", to=awaiting_defence.director.email
    ).exists()
    assert client.get(awaiting_defence.defence_url).status_code == 404
