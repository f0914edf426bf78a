"""Approving or rejecting a solution through a private link (LIVP-6, LIVP-7)."""

from django.utils import timezone

from klachtroute.cases.models import Approval, Complaint, Outcome, Solution
from klachtroute.cases.services import no_agreement_declare
from klachtroute.cases.workflow import State
from klachtroute.links.tokens import link_create
from klachtroute.notifications.models import OutboxMessage

from .conftest import path_of


def test_livp_6_complainant_sees_the_solution_and_approves(client, proposed):
    page = client.get(proposed.complainant_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert proposed.complaint.number in html
    assert "De trainer biedt excuses aan en geeft een extra les op 12 mei." in html
    assert "Ik ga akkoord met de oplossing" in html
    assert "Ik ga niet akkoord" in html

    done = client.post(proposed.complainant_url, {"decision": "yes"})

    assert done.status_code == 200
    assert "Uw reactie is ontvangen" in done.content.decode()
    approval = Approval.objects.get(solution=proposed.solution)
    assert (approval.party, approval.decision) == ("complainant", "approved")
    assert approval.recorded_by is None
    assert Complaint.objects.get(pk=proposed.complaint.pk).state == State.AWAITING_APPROVAL


def test_livp_7_both_approvals_settle_and_the_dossier_keeps_both_with_times(client, proposed):
    before = timezone.now()
    client.post(proposed.complainant_url, {"decision": "yes"})
    done = client.post(proposed.respondent_url, {"decision": "yes"})

    assert "Beide partijen zijn akkoord" in done.content.decode()
    complaint = Complaint.objects.get(pk=proposed.complaint.pk)
    assert complaint.state == State.SETTLED
    assert complaint.outcome == Outcome.SOLUTION_APPROVED
    approvals = Approval.objects.filter(solution=proposed.solution).order_by("decided_at")
    assert [(a.party, a.decision) for a in approvals] == [
        ("complainant", "approved"),
        ("respondent", "approved"),
    ]
    assert all(before <= a.decided_at <= timezone.now() for a in approvals)
    assert Solution.objects.get(pk=proposed.solution.pk).status == Solution.Status.APPROVED
    assert complaint.events.filter(kind="solution_approved").exists()


def test_livp_6_rejecting_needs_a_reason_shown_next_to_the_field(client, proposed):
    page = client.post(proposed.complainant_url, {"decision": "no", "reason": "  "})

    assert page.status_code == 200
    html = page.content.decode()
    assert "Geef aan waarom u niet akkoord gaat." in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_reason-error"' in html
    assert not Approval.objects.exists()
    assert Complaint.objects.get(pk=proposed.complaint.pk).state == State.AWAITING_APPROVAL


def test_livp_6_rejection_with_reason_goes_back_to_the_handler(client, proposed):
    done = client.post(
        proposed.respondent_url, {"decision": "no", "reason": "Ik was niet te laat."}
    )

    assert "Uw reactie is ontvangen" in done.content.decode()
    complaint = Complaint.objects.get(pk=proposed.complaint.pk)
    assert complaint.state == State.IN_PROGRESS
    approval = Approval.objects.get()
    assert (approval.party, approval.decision, approval.reason) == (
        "respondent",
        "rejected",
        "Ik was niet te laat.",
    )
    assert OutboxMessage.objects.filter(
        kind="solution_rejected", to=proposed.handler.email
    ).exists()
    # The rejection ends the round: both links stop working.
    assert client.get(proposed.complainant_url).status_code == 404


def test_reusing_an_approval_link_after_deciding_shows_done_page_and_adds_nothing(client, proposed):
    client.post(proposed.complainant_url, {"decision": "yes"})

    again = client.get(proposed.complainant_url)
    assert again.status_code == 200
    assert "Uw reactie is ontvangen" in again.content.decode()
    assert "Ik ga akkoord met de oplossing" not in again.content.decode()

    client.post(proposed.complainant_url, {"decision": "no", "reason": "Toch niet."})
    assert Approval.objects.count() == 1
    assert Approval.objects.get().decision == "approved"
    assert Complaint.objects.get(pk=proposed.complaint.pk).state == State.AWAITING_APPROVAL


def test_approval_link_after_settlement_no_longer_works(client, proposed):
    client.post(proposed.complainant_url, {"decision": "yes"})
    client.post(proposed.respondent_url, {"decision": "yes"})

    assert client.get(proposed.respondent_url).status_code == 404
    client.post(proposed.respondent_url, {"decision": "no", "reason": "x"})
    assert Approval.objects.count() == 2


def test_approval_link_when_there_is_nothing_to_approve_shows_step_is_over(client, proposed):
    no_agreement_declare(complaint=proposed.complaint, actor=proposed.handler)
    url = path_of(
        link_create(complaint=proposed.complaint, party="complainant", purpose="approve_solution")
    )

    page = client.get(url)
    assert page.status_code == 410
    assert "Deze stap is niet meer nodig" in page.content.decode()
    client.post(url, {"decision": "yes"})
    assert not Approval.objects.exists()
    assert Complaint.objects.get(pk=proposed.complaint.pk).state == State.NO_AGREEMENT


def test_complainant_link_approves_only_for_the_complainant(client, proposed):
    client.post(proposed.complainant_url, {"decision": "yes", "party": "respondent"})
    client.post(proposed.complainant_url, {"decision": "yes", "party": "respondent"})

    assert list(Approval.objects.values_list("party", flat=True)) == ["complainant"]
    assert Complaint.objects.get(pk=proposed.complaint.pk).state == State.AWAITING_APPROVAL


def test_respondent_page_speaks_to_the_respondent(client, proposed):
    html = client.get(proposed.respondent_url).content.decode()
    assert "u als beklaagde" in html


def test_approval_link_after_the_other_party_rejected_says_so(client, proposed):
    client.post(proposed.complainant_url, {"decision": "yes"})
    client.post(proposed.respondent_url, {"decision": "no", "reason": "Te duur."})
    url = path_of(
        link_create(complaint=proposed.complaint, party="complainant", purpose="approve_solution")
    )

    html = client.get(url).content.decode()
    assert "Uw reactie is ontvangen" in html
    assert "niet door beide partijen aanvaard" in html
    assert "Als ook de andere partij akkoord gaat" not in html


def test_a_refused_step_shows_its_message_instead_of_an_error(client, proposed, monkeypatch):
    import dataclasses

    from django.core.exceptions import ValidationError

    from klachtroute.cases.actions import ACTIONS
    from klachtroute.cases.workflow import TransitionError

    def service_of(action, service):
        monkeypatch.setitem(ACTIONS, action, dataclasses.replace(ACTIONS[action], service=service))

    def refuse(**kwargs):
        raise TransitionError("Deze actie kan niet in de status ‘Afgehandeld’.")

    service_of("approve_solution", refuse)
    page = client.post(proposed.complainant_url, {"decision": "yes"})
    assert page.status_code == 200
    assert "Deze actie kan niet in de status ‘Afgehandeld’." in page.content.decode()

    def invalid(**kwargs):
        raise ValidationError({"reason": "Deze reden is te kort."})

    service_of("reject_solution", invalid)
    page = client.post(proposed.complainant_url, {"decision": "no", "reason": "Nee"})
    assert 'id="id_reason-error"' in page.content.decode()
    assert "Deze reden is te kort." in page.content.decode()
    assert not Approval.objects.exists()
