"""Issue 4, point 7: after a settled complaint the complainant is invited, once, to three
short questions (ISO 10002); the answers are stored once and feed the annual report as
aggregates only."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from klachtroute.cases.services import solution_decide
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage
from klachtroute.operations.periodic import periodic_run
from klachtroute.portal.models import SatisfactionResponse
from klachtroute.portal.services import satisfaction_invitations_send
from klachtroute.reports.selectors import annual_report

from .conftest import LINK_RE


@pytest.fixture
def settled(proposed):
    for party in ("complainant", "respondent"):
        solution_decide(
            complaint=proposed.complaint, actor=None, party=party, approve=True, via_link=True
        )
    proposed.complaint.refresh_from_db()
    assert proposed.complaint.state == State.SETTLED
    return proposed


def _tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


def _invitations():
    return OutboxMessage.objects.filter(kind="satisfaction_invitation", to="jan@example.org")


def _answer(client, url, **overrides):
    data = {
        "action": "satisfaction",
        "satisfaction-handling_score": "4",
        "satisfaction-informed_on_time": "partly",
        "satisfaction-taken_seriously_score": "5",
        "satisfaction-comment": "Jan Jansen vond het prima.",
    }
    data.update(overrides)
    return client.post(url, data)


def test_no_invitation_on_the_day_of_closing(settled):
    assert satisfaction_invitations_send(timezone.localdate()) == 0
    assert not _invitations().exists()


def test_invitation_is_sent_once_the_day_after_closing(settled):
    assert satisfaction_invitations_send(_tomorrow()) == 1
    assert satisfaction_invitations_send(_tomorrow()) == 0
    periodic_run(today=_tomorrow())  # the watcher calls it too
    message = _invitations().get()
    assert settled.complaint.number in message.subject
    assert LINK_RE.search(message.body)
    response = SatisfactionResponse.objects.get(complaint=settled.complaint)
    assert response.invited_at is not None and response.answered_at is None


def test_the_watcher_sends_the_invitation(settled):
    periodic_run(today=_tomorrow())
    periodic_run(today=_tomorrow())
    assert _invitations().count() == 1


def test_an_open_complaint_gets_no_invitation_nor_survey(client, livp):
    assert satisfaction_invitations_send(_tomorrow()) == 0
    from klachtroute.links.tokens import link_create

    from .conftest import path_of

    url = path_of(link_create(complaint=livp.complaint, party="complainant", purpose="status"))
    assert "Hoe tevreden bent u" not in client.get(url).content.decode()


def test_complainant_answers_through_the_invitation_link_once(client, settled):
    satisfaction_invitations_send(_tomorrow())
    url = LINK_RE.search(_invitations().get().body).group(1)
    html = client.get(url).content.decode()
    assert "Hoe tevreden bent u over de behandeling van uw klacht?" in html
    assert "Werd u op tijd op de hoogte gehouden?" in html
    assert "Voelde u zich serieus genomen?" in html

    assert _answer(client, url).status_code == 303
    response = SatisfactionResponse.objects.get(complaint=settled.complaint)
    assert (response.handling_score, response.informed_on_time) == (4, "partly")
    assert response.taken_seriously_score == 5
    assert response.answered_at is not None
    html = client.get(url).content.decode()
    assert "Dank u wel voor het beantwoorden" in html
    assert "Hoe tevreden bent u over de behandeling" not in html

    # A second answer (an old page posted again) changes nothing.
    _answer(client, url, **{"satisfaction-handling_score": "1"})
    response.refresh_from_db()
    assert response.handling_score == 4
    assert SatisfactionResponse.objects.count() == 1


def test_an_incomplete_answer_is_refused_with_a_message_by_the_question(client, settled):
    satisfaction_invitations_send(_tomorrow())
    url = LINK_RE.search(_invitations().get().body).group(1)
    response = _answer(client, url, **{"satisfaction-informed_on_time": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies ja, deels of nee." in html
    assert not SatisfactionResponse.objects.filter(answered_at__isnull=False).exists()


def test_the_annual_report_shows_the_aggregated_answers_without_comments(client, settled, director):
    satisfaction_invitations_send(_tomorrow())
    url = LINK_RE.search(_invitations().get().body).group(1)
    _answer(client, url)

    year = timezone.localdate().year
    report = annual_report(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    assert report.satisfaction.responses == 1
    rows = {row.label: row.value for row in report.satisfaction.questions}
    assert rows == {
        "Tevredenheid over de behandeling (gemiddeld, 1-5)": 4.0,
        "Serieus genomen (gemiddeld, 1-5)": 5.0,
        "Op tijd op de hoogte gehouden: ja": 0,
        "Op tijd op de hoogte gehouden: deels": 1,
        "Op tijd op de hoogte gehouden: nee": 0,
    }

    staff = Client()
    staff.force_login(director)
    html = staff.get("/jaarverslag/", {"start": f"{year}-01-01", "end": f"{year}-12-31"})
    html = html.content.decode()
    assert "1 klager heeft de vragen over de behandeling beantwoord." in html
    assert "Serieus genomen (gemiddeld, 1-5)" in html
    assert "nog geen gegevens" not in html
    assert "Jan Jansen vond het prima." not in html
    review = staff.get("/jaarverslag/trainers/", {"start": f"{year}-01-01", "end": f"{year}-12-31"})
    assert "Jan Jansen vond het prima." not in review.content.decode()
