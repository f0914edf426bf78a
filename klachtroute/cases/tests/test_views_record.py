"""The registration record (klachtenregistratieformulier) and its actions."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klachtroute.cases.models import Complaint, Event
from klachtroute.cases.phrases import Phrase as Note
from klachtroute.cases.services import complaint_assign_handler, complaint_register
from klachtroute.cases.workflow import State
from klachtroute.notifications.models import OutboxMessage, OutboxStatus
from klachtroute.testing.factories import complaint_data
from klachtroute.testing.pdf import pdf_text

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def record(number: str) -> str:
    return f"/zaken/{number}/"


def test_record_address_and_login_required(client, posted_complaint):
    url = record(posted_complaint.number)
    assert reverse("cases:detail", args=[posted_complaint.number]) == url
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/inloggen/")


def test_lsr_4a_record_shows_every_registered_fact(login, posted_complaint, secretariat):
    html = login(secretariat).get(record(posted_complaint.number)).content.decode()
    for text in [
        "Klachtenregistratieformulier",
        posted_complaint.number,
        "Nieuw",  # state
        "Post",  # channel
        "Klachtenprocedure LIVP",  # procedure version
        "Petra Willems",
        "petra@example.org",
        "06 12345678",
        "Dorpsstraat 1",
        "Nederlands",
        "Basisopleiding vertrouwenspersoon",
        "De trainer kwam drie keer te laat en gaf geen uitleg.",
        "Een excuus.",
        "Nog niet bekend",  # respondent
        "Sanne Secretaris",  # registered by
        "Klacht geregistreerd via post.",  # history
        "Afdrukken",
    ]:
        assert text in html, text
    assert 'class="button no-print" data-print' in html  # app.js prints; no inline script (CSP)


def test_record_is_visible_to_secretariat_director_and_handler_only(
    login, posted_complaint, secretariat, director, trainers
):
    complaint_assign_handler(complaint=posted_complaint, handler=trainers[2], actor=secretariat)
    url = record(posted_complaint.number)
    assert login(secretariat).get(url).status_code == 200
    assert login(director).get(url).status_code == 200
    assert login(trainers[2]).get(url).status_code == 200
    assert login(trainers[0]).get(url).status_code == 404
    assert login(trainers[1]).get(record("K-2026-9999")).status_code == 404


def test_livp_5_9_record_shows_deadlines_with_days_left(login, organisation, course, secretariat):
    # Received Monday 2 March 2026 by post.
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=AMS), tick=False):
        complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    with time_machine.travel(dt.datetime(2026, 3, 4, 12, tzinfo=AMS), tick=False):
        html = login(secretariat).get(record(complaint.number)).content.decode()
    assert "dinsdag 3 maart 2026" in html  # acknowledge (LIVP-3), missed: today is Wednesday
    assert "maandag 9 maart 2026" in html  # first contact (LIVP-5)
    assert "nog 3 werkdagen" in html
    assert "maandag 30 maart 2026" in html  # settlement within 4 weeks (LIVP-9)
    assert "1 werkdag te laat" in html
    assert "niet gehaald" in html


def test_livp_4_only_eligible_handlers_are_offered(login, posted_complaint, secretariat, trainers):
    html = login(secretariat).get(record(posted_complaint.number)).content.decode()
    assert "Behandelaar aanwijzen" in html
    # Other forms on the record (respondent, measure owner) list everyone; look at this one.
    html = html.split('id="actie-assign_handler"')[1].split("</details>")[0]
    assert f'<option value="{trainers[2].pk}"' in html
    assert f'<option value="{trainers[0].pk}"' not in html  # teaches the course
    assert f'<option value="{trainers[1].pk}"' not in html
    assert f'<option value="{secretariat.pk}"' not in html


def test_livp_4_server_refuses_a_trainer_of_the_course_with_a_clear_message(
    login, posted_complaint, secretariat, trainers
):
    response = login(secretariat).post(
        f"/zaken/{posted_complaint.number}/behandelaar/", {"handler": trainers[0].pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tom Trainer kan deze klacht niet behandelen" in html
    assert "geeft les in de opleiding van de klager" in html
    posted_complaint.refresh_from_db()
    assert posted_complaint.handler is None
    assert not OutboxMessage.objects.exists()


def test_livp_3_assignment_queues_acknowledgement_naming_the_handler(
    login, posted_complaint, secretariat, trainers
):
    client = login(secretariat)
    response = client.post(
        f"/zaken/{posted_complaint.number}/behandelaar/", {"handler": trainers[2].pk}
    )
    assert response.status_code == 302
    assert response.url == record(posted_complaint.number)
    posted_complaint.refresh_from_db()
    assert posted_complaint.handler == trainers[2]
    assert posted_complaint.state == State.IN_PROGRESS
    message = OutboxMessage.objects.get(complaint=posted_complaint, kind="acknowledgement")
    assert message.to == "petra@example.org"
    assert "Theo Trainer" in message.body
    page = client.get(response.url).content.decode()
    assert "Theo Trainer behandelt klacht" in page  # the success message
    assert message.subject in page
    assert "Wacht op verzending" in page  # the record shows whether it was delivered


def test_record_shows_delivery_of_the_acknowledgement(
    login, posted_complaint, secretariat, trainers
):
    complaint_assign_handler(complaint=posted_complaint, handler=trainers[2], actor=secretariat)
    OutboxMessage.objects.update(
        status=OutboxStatus.FAILED, attempts=8, last_error="SMTPConnectError: geen verbinding"
    )
    html = login(secretariat).get(record(posted_complaint.number)).content.decode()
    assert "Mislukt" in html and "SMTPConnectError: geen verbinding" in html
    OutboxMessage.objects.update(
        status=OutboxStatus.SENT, sent_at=dt.datetime(2026, 3, 2, 11, 5, tzinfo=AMS), last_error=""
    )
    html = login(secretariat).get(record(posted_complaint.number)).content.decode()
    assert "Verzonden" in html and "2 mrt. 2026, 11:05" in html.lower()


def test_handler_is_not_offered_secretariat_actions_and_cannot_post_them(
    login, posted_complaint, secretariat, trainers
):
    complaint_assign_handler(complaint=posted_complaint, handler=trainers[2], actor=secretariat)
    handler = login(trainers[2])
    html = handler.get(record(posted_complaint.number)).content.decode()
    assert "Behandelaar aanwijzen" not in html
    assert "Ontvangstdatum corrigeren" not in html
    response = handler.post(
        f"/zaken/{posted_complaint.number}/behandelaar/", {"handler": trainers[2].pk}
    )
    assert response.status_code == 404
    response = handler.post(
        f"/zaken/{posted_complaint.number}/ontvangstdatum/",
        {"received_at": "2026-01-05T09:00", "reason": "Poststempel."},
    )
    assert response.status_code == 404


def test_correcting_the_date_of_receipt_recomputes_deadlines_and_records_before_after(
    login, organisation, course, secretariat
):
    with time_machine.travel(dt.datetime(2026, 3, 11, 10, tzinfo=AMS), tick=False):
        complaint = complaint_register(**complaint_data(actor=secretariat, channel="post"))
        assert complaint.settle_due == dt.date(2026, 4, 8)
        client = login(secretariat)
        response = client.post(
            f"/zaken/{complaint.number}/ontvangstdatum/",
            {"received_at": "2026-03-06T16:30", "reason": "Poststempel."},
        )
        assert response.status_code == 302
        complaint.refresh_from_db()
        assert complaint.received_at == dt.datetime(2026, 3, 6, 16, 30, tzinfo=AMS)
        assert complaint.acknowledge_due == dt.date(2026, 3, 9)
        assert complaint.first_contact_due == dt.date(2026, 3, 13)
        # Four weeks is Good Friday 3 April; Easter Monday follows: Tuesday 7 April.
        assert complaint.settle_due == dt.date(2026, 4, 7)
        event = Event.objects.get(complaint=complaint, kind="received_at_corrected")
        assert event.actor == secretariat
        assert event.before["deadlines"]["settle"] == "2026-04-08"
        assert event.after["deadlines"]["settle"] == "2026-04-07"
        html = client.get(response.url).content.decode()
    assert "dinsdag 7 april 2026" in html
    assert "termijnen opnieuw berekend. Reden: Poststempel." in html
    assert "<del>8 apr. 2026</del> → <ins>7 apr. 2026</ins>" in html


def test_date_of_receipt_cannot_be_corrected_into_the_future(login, posted_complaint, secretariat):
    before = posted_complaint.received_at
    tomorrow = (dt.datetime.now(AMS) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = login(secretariat).post(
        f"/zaken/{posted_complaint.number}/ontvangstdatum/",
        {"received_at": tomorrow, "reason": "Poststempel."},
    )
    assert response.status_code == 400
    assert "De datum van ontvangst kan niet in de toekomst liggen." in response.content.decode()
    posted_complaint.refresh_from_db()
    assert posted_complaint.received_at == before
    assert not Event.objects.filter(kind="received_at_corrected").exists()


def test_document_is_downloaded_as_attachment_and_only_by_who_may_see_it(
    login, organisation, course, secretariat, trainers, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    complaint = complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="post",
            course=course,
            document=SimpleUploadedFile("brief klager.pdf", PDF, content_type="text/html"),
        )
    )
    document = complaint.documents.get()
    url = f"/zaken/{complaint.number}/documenten/{document.pk}/"
    html = login(secretariat).get(record(complaint.number)).content.decode()
    assert f'href="{url}"' in html and "brief klager.pdf" in html

    response = login(secretariat).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "brief klager.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF

    assert login(trainers[0]).get(url).status_code == 404
    assert login(trainers[2]).get(url).status_code == 404  # not (yet) the handler
    assert (
        login(secretariat).get(f"/zaken/{complaint.number}/documenten/999999/").status_code == 404
    )
    other = complaint_register(**complaint_data(actor=secretariat, channel="post"))
    wrong_pair = f"/zaken/{other.number}/documenten/{document.pk}/"
    assert login(secretariat).get(wrong_pair).status_code == 404


def test_livp_3_complainant_without_email_gets_a_printable_letter(
    login, organisation, course, secretariat, trainers
):
    complaint = complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="post",
            course=course,
            complainant_name="Henk de Boer",
            complainant_email="",
            complainant_address="Kerkweg 12\n3511 AB Utrecht",
        )
    )
    organisation.address = "Stationsplein 1\n3511 CE Utrecht"
    organisation.save()
    client = login(secretariat)
    letter_url = f"/zaken/{complaint.number}/ontvangstbevestiging/"
    assert client.get(letter_url).status_code == 404  # nothing to print before acknowledgement
    client.post(f"/zaken/{complaint.number}/behandelaar/", {"handler": trainers[2].pk})
    # No e-mail to the complainant, a letter; the handler is told by e-mail.
    assert (
        not OutboxMessage.objects.exclude(status="to_post").exclude(to=trainers[2].email).exists()
    )

    html = client.get(record(complaint.number)).content.decode()
    assert f'href="{letter_url}"' in html
    letter = client.get(letter_url, follow=True)
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    text = pdf_text(letter.content)
    for expected in [
        "Testinstituut",
        "Stationsplein 1",
        "Henk de Boer",
        "Kerkweg 12",
        complaint.number,
        "Uw klacht wordt behandeld door Theo Trainer.",
        "Een trainer die niet bij uw opleiding betrokken is",  # procedure summary
        "Uw klacht wordt altijd vertrouwelijk behandeld.",
        "Afhandeling van uw klacht: uiterlijk",
    ]:
        assert expected in text, expected


def test_acknowledgement_letter_is_in_the_complainants_language(
    login, organisation, secretariat, trainers
):
    complaint = complaint_register(
        **complaint_data(
            actor=secretariat, channel="post", complainant_email="", complainant_language="en"
        )
    )
    complaint_assign_handler(complaint=complaint, handler=trainers[2], actor=secretariat)
    letter = login(secretariat).get(f"/zaken/{complaint.number}/ontvangstbevestiging/", follow=True)
    assert "Your complaint is always treated confidentially." in pdf_text(letter.content)


def test_lsr_6h_record_shows_a_complaint_settled_on_the_spot(login, organisation, secretariat):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=AMS), tick=False):
        complaint = complaint_register(
            **complaint_data(
                actor=secretariat,
                channel="phone",
                received_at=dt.datetime(2026, 3, 2, 9, 15, tzinfo=AMS),
                settled_on_the_spot=True,
            )
        )
    html = login(secretariat).get(record(complaint.number)).content.decode()
    assert Complaint.objects.get(pk=complaint.pk).state == State.SETTLED
    assert "Afgehandeld" in html
    assert "Direct afgehandeld" in html
    assert "2 maart 2026, 09:15" in html  # settled at
    assert "Deze mondelinge klacht is direct afgehandeld." in html
    assert "gehaald" in html  # the settlement deadline was met
    assert "vervallen" in html  # the acknowledgement was not needed
    assert "Behandelaar aanwijzen" not in html  # no actions on a settled complaint


def _queries_for(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_record_page_makes_as_many_queries_with_40_complaints_and_a_longer_history_as_with_5(
    login, posted_complaint, complaints_bulk, secretariat
):
    from klachtroute.cases.events import event_record

    complaints_bulk(4, start=101)
    client = login(secretariat)
    url = record(posted_complaint.number)
    with_5 = _queries_for(client, url)
    complaints_bulk(35, start=201)
    for i in range(10):
        event_record(
            complaint=posted_complaint,
            actor=secretariat,
            kind="note",
            summary=Note(f"Notitie {i}."),
        )
    assert Complaint.objects.count() == 40
    assert _queries_for(client, url) == with_5


def test_record_shows_the_newest_50_events_and_pages_back_through_older_ones(
    login, posted_complaint, secretariat
):
    import re

    from klachtroute.cases.events import event_record

    for i in range(1, 121):
        event_record(
            complaint=posted_complaint,
            actor=secretariat,
            kind="note",
            summary=Note(f"Notitie {i}."),
        )
    client = login(secretariat)
    url = record(posted_complaint.number)

    def notes(html: str) -> list[int]:
        return [int(n) for n in re.findall(r"Notitie (\d+)\.", html)]

    def older(html: str) -> str | None:
        found = re.search(r'href="(\?ouder=\d+)#history-title"', html)
        return found.group(1) if found else None

    newest = client.get(url).content.decode()
    # The newest 50 of 121 events (registration first), oldest of them first.
    assert notes(newest) == list(range(71, 121))
    assert "Nieuwste gebeurtenissen" not in newest
    middle = client.get(url + older(newest)).content.decode()
    assert notes(middle) == list(range(21, 71))
    assert f'href="{url}#history-title"' in middle  # back to the newest
    oldest = client.get(url + older(middle)).content.decode()
    assert notes(oldest) == list(range(1, 21)) and "geregistreerd" in oldest
    assert older(oldest) is None
    # A value the page did not give shows the newest events.
    for nonsense in ["abc", "-5", "99999999999999999999999"]:
        assert notes(client.get(url, {"ouder": nonsense}).content.decode()) == notes(newest)


def test_record_lists_of_people_are_the_lists_django_would_write(
    posted_complaint, secretariat, trainers
):
    """The one-pass <select> of the record's forms says what Django's widget says: the same
    options, the chosen one selected, required, aria-describedby and aria-invalid."""
    import re

    from django import forms

    from klachtroute.cases.templatetags.select_options import select
    from klachtroute.cases.views import _form_for
    from klachtroute.cases.workflow import actions_for

    def same(html: str) -> str:
        return re.sub(r">\s+<", "><", html)

    compared = 0
    for transition in actions_for(secretariat, posted_complaint):
        for data in (None, {"handler": str(trainers[2].pk), "respondent": "nobody"}):
            form = _form_for(transition.action, posted_complaint, secretariat, data)
            if form.is_bound:
                form.is_valid()
            for field in form:
                if type(field.field.widget) is forms.Select:
                    assert same(select(field)) == same(field.as_widget())
                    compared += 1
    assert compared >= 4


@pytest.mark.parametrize("preset", ["organisation", "lsr_organisation", "awb_organisation"])
def test_record_action_fields_are_written_as_the_field_template_writes_them(
    request, preset, course, secretariat, trainers
):
    """The record's action forms write their fields in one pass (`form_fields`), byte for
    byte what `cases/partials/form_field.html` writes: every field of every action's form
    under each shipped procedure, empty, refused for missing values and for wrong ones
    (labels, hints, errors, required marks and inputs alike)."""
    from django.template.loader import render_to_string

    from klachtroute.cases.actions import ACTIONS
    from klachtroute.cases.templatetags.form_fields import field_html
    from klachtroute.cases.views import _form_for

    request.getfixturevalue(preset)
    complaint = complaint_register(
        **complaint_data(actor=secretariat, course=course, complainant_address="Dorpsstraat 1")
    )
    spec = complaint.procedure_version.spec
    # A category with criteria, so that the criteria's notes are among the fields.
    complaint.category = next(
        (c.code for c in spec.categories if spec.criteria_for(c.code)), complaint.category
    )
    compared = errors = 0
    for action in ACTIONS:
        for data in (None, {}, "wrong"):
            form = _form_for(action, complaint, secretariat, data)
            if data == "wrong":
                form = _form_for(
                    action, complaint, secretariat, {name: "x" * 3 for name in form.fields}
                )
            if form.is_bound:
                form.is_valid()
            for field in form.visible_fields():
                for extra in ("", "Nog één fout <b>hier</b>."):
                    expected = render_to_string(
                        "cases/partials/form_field.html", {"field": field, "extra": extra}
                    )
                    assert field_html(field, extra=extra) == expected, (action, field.name)
                compared += 1
                errors += bool(field.errors)
    assert compared > 100 and errors > 30
