"""The complainant answers the findings of the investigation (LSR-6c, LSR-6d, LSR-6h)."""

from klachtroute.cases.models import Complaint, Findings, Outcome
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage


def test_lsr_6c_findings_judgements_and_solution_are_shown(client, findings_shared):
    html = client.get(findings_shared.url).content.decode()

    assert findings_shared.complaint.number in html
    assert "De trainer is drie keer te laat gekomen zonder uitleg." in html
    for judgement in findings_shared.findings.judgements.all():
        assert judgement.label in html
    assert "Niet in orde" in html
    assert "De toon in de les was niet respectvol." in html
    assert "De trainer biedt excuses aan en de gemiste tijd wordt ingehaald." in html


def test_lsr_6h_complainant_agrees_and_the_complaint_closes(client, findings_shared):
    done = client.post(findings_shared.url, {"decision": "yes"})

    assert "Uw reactie is ontvangen" in done.content.decode()
    complaint = Complaint.objects.get(pk=findings_shared.complaint.pk)
    assert (complaint.state, complaint.outcome) == (State.SETTLED, Outcome.FINDINGS_ACCEPTED)
    assert Findings.objects.get().response == Findings.Response.AGREED


def test_lsr_6d_disagreeing_needs_a_reason(client, findings_shared):
    page = client.post(findings_shared.url, {"decision": "no", "reason": ""})

    assert "Geef aan waarom u niet akkoord gaat." in page.content.decode()
    assert Complaint.objects.get(pk=findings_shared.complaint.pk).state == State.FINDINGS_SHARED


def test_lsr_6d_complainant_disagrees_and_the_secretariat_is_told(client, findings_shared):
    done = client.post(
        findings_shared.url, {"decision": "no", "reason": "De les is nooit ingehaald."}
    )

    assert "klachtenprocedure" in done.content.decode()
    complaint = Complaint.objects.get(pk=findings_shared.complaint.pk)
    assert complaint.state == State.NOT_SOLVED
    assert Findings.objects.get().response_reason == "De les is nooit ingehaald."
    assert OutboxMessage.objects.filter(
        kind="findings_rejected", to=findings_shared.secretariat.email
    ).exists()
    assert client.get(findings_shared.url).status_code == 404
