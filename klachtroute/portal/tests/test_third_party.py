"""The independent third party records the binding advice through its link (LIVP-11)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from klachtroute.cases.models import Complaint, Document, FollowUp, Outcome, Ruling
from klachtroute.cases.services import (
    complainant_information_add,
    complaint_register,
    first_contact_record,
    no_agreement_declare,
    third_party_appeal,
)
from klachtroute.cases.workflow import State
from klachtroute.links.tokens import link_create
from klachtroute.notifications.models import OutboxMessage
from klachtroute.testing.factories import complaint_data

from .conftest import link_in_message, path_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def livp(livp):
    """Before the solution: the first contact and information the complainant added later,
    with a document; then the solution rejected, no agreement, and the appeal."""
    first_contact_record(
        complaint=livp.complaint,
        actor=livp.handler,
        method="phone",
        contacted_at=timezone.now(),
        note="Klager gebeld; hij wil vooral dat de lessen worden ingehaald.",
    )
    complainant_information_add(
        complaint=livp.complaint,
        text="Ook op 3 maart kwam de trainer te laat.\nDaar waren twee cursisten bij.",
        files=[SimpleUploadedFile("rooster maart.pdf", PDF, content_type="application/pdf")],
    )
    return livp


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
            "remedy_due": "2026-12-31",
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


def test_livp_third_party_page_shows_appeal_first_contact_added_information_and_documents(
    client, with_third_party
):
    html = client.get(with_third_party.url).content.decode()

    assert "Het beroep van de klager" in html
    assert "Graag advies." in html  # the complainant's note with the appeal
    assert with_third_party.complaint.description in html
    assert "Eerste persoonlijk contact" in html
    assert "Klager gebeld; hij wil vooral dat de lessen worden ingehaald." in html
    assert "Telefonisch" in html
    assert with_third_party.solution.text in html
    assert "Eén les is te weinig." in html  # why the complainant disagreed
    # What the complainant added later, in full, and its document to download.
    assert "Ook op 3 maart kwam de trainer te laat.<br>Daar waren twee cursisten bij." in html
    document = Document.objects.get(complaint=with_third_party.complaint)
    assert f'href="{with_third_party.url}?document={document.pk}"' in html
    assert "rooster maart.pdf" in html
    assert 'name="advice"' in html  # and the form to give the advice


def test_third_party_downloads_a_document_through_its_own_link(client, with_third_party):
    document = Document.objects.get(complaint=with_third_party.complaint)

    response = client.get(f"{with_third_party.url}?document={document.pk}")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert "rooster maart.pdf" in response["Content-Disposition"]
    # A private document: no cache keeps it, no browser shows it as a page.
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    # The same document is not reached through a link of another purpose that shows no
    # documents, nor through a link that no longer works.
    status = path_of(
        link_create(complaint=with_third_party.complaint, party="complainant", purpose="status")
    )
    asked = client.get(f"{status}?document={document.pk}")
    assert asked.get("Content-Disposition") is None
    broken = with_third_party.url.rstrip("/")[:-3] + "xyz/"
    assert client.get(f"{broken}?document={document.pk}").status_code == 404


def test_third_party_link_cannot_download_another_complaints_document(
    client, with_third_party, course
):
    other = complaint_register(
        **complaint_data(
            course=course,
            complainant_name="Piet Pietersen",
            document=SimpleUploadedFile("andere klacht.pdf", PDF, content_type="application/pdf"),
        )
    )
    theirs = Document.objects.get(complaint=other)

    response = client.get(f"{with_third_party.url}?document={theirs.pk}")

    assert response.status_code == 404
    assert response.get("Content-Disposition") is None
    assert "andere klacht.pdf" not in response.content.decode()
    assert client.get(f"{with_third_party.url}?document=abc").status_code == 404
