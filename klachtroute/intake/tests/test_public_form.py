"""The public complaint form (LIVP-1), its validation and its confirmation page (LIVP-3, LIVP-4)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from klachtroute.cases.models import Complaint, Event
from klachtroute.intake.public_views import confirmation_token_make
from klachtroute.intake.validators import validate_phone
from klachtroute.notifications.models import OutboxMessage
from klachtroute.organisation.models import Organisation
from klachtroute.testing.factories import CourseFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
FORM_NL = "/klacht/"
FORM_EN = "/en/klacht/"


def nothing_registered() -> bool:
    return (
        not Complaint.objects.exists()
        and not OutboxMessage.objects.exists()
        and not Event.objects.exists()
    )


# --- The empty form -------------------------------------------------------------------------


def test_livp_1_form_asks_for_the_five_fields_plus_email_and_remedy(client, html, organisation):
    page = html(client.get(FORM_NL))
    labels = {e["for"]: " ".join(e.text.split()) for e in page.elements if e.tag == "label"}
    assert labels["id_complainant_name"] == "Uw naam"
    assert labels["id_course"] == "Cursus of opleiding"
    assert labels["id_complaint_date"] == "Datum van de klacht"
    assert labels["id_complainant_phone"] == "Telefoonnummer"
    assert labels["id_description"] == "Korte omschrijving van uw klacht"
    assert labels["id_complainant_email"] == "E-mailadres"
    assert labels["id_remedy_sought"] == "Gewenste oplossing (niet verplicht)"
    assert page.get("id_complaint_date")["type"] == "date"
    assert page.get("id_complainant_phone")["type"] == "tel"
    assert page.get("id_complainant_email")["type"] == "email"
    assert page.lang == "nl"


def test_livp_1_course_list_offers_active_courses_and_other(client, html, organisation, course):
    CourseFactory(name="Oude cursus", active=False)
    page = html(client.get(FORM_NL))
    values = [option["value"] for option in page.get("id_course").options]
    assert values == ["", str(course.pk), "other"]
    assert "Oude cursus" not in page.text
    assert "Anders, namelijk" in page.text


def test_livp_1_form_states_that_the_complaint_is_treated_confidentially(
    client, html, organisation
):
    dutch = html(client.get(FORM_NL)).get("confidentiality").text
    english = html(client.get(FORM_EN)).get("confidentiality").text
    # The texts come from the active procedure version, in the page's language.
    assert "Uw klacht wordt altijd vertrouwelijk behandeld." in dutch
    assert "Your complaint is always treated confidentially." in english


def test_livp_1_confidentiality_statement_without_a_procedure(client, html, organisation):
    Organisation.objects.update(active_procedure=None)
    page = html(client.get(FORM_NL))
    assert "Uw klacht wordt altijd vertrouwelijk behandeld." in page.get("confidentiality").text


def test_livp_1_english_form_is_at_its_english_address(client, html, organisation):
    response = client.get(FORM_EN)
    assert response.status_code == 200
    page = html(response)
    assert page.lang == "en"
    assert page.by_name("course")  # the same form
    assert page.get("id_complainant_name")


def test_every_empty_form_gets_its_own_submission_token(client, html, organisation):
    first = html(client.get(FORM_NL)).by_name("submission_token")["value"]
    second = html(client.get(FORM_NL)).by_name("submission_token")["value"]
    assert first and second and first != second


def test_form_page_is_not_cached(client, organisation):
    assert "no-store" in client.get(FORM_NL)["Cache-Control"]


# --- Validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("complainant_name", "Vul uw naam in."),
        ("course", "Kies de cursus of opleiding waar uw klacht over gaat."),
        ("complaint_date", "Vul de datum van de klacht in."),
        ("complainant_phone", "Vul uw telefoonnummer in."),
        ("complainant_email", "Vul uw e-mailadres in."),
        ("description", "Beschrijf uw klacht."),
    ],
)
def test_livp_1_required_field_left_empty_shows_an_error_next_to_it(
    client, html, form_data, field, message
):
    form_data[field] = "   " if field != "course" else ""
    response = client.post(FORM_NL, form_data)
    assert response.status_code == 200
    page = html(response)
    assert page.fields_in_error() == {field}
    assert page.field_error(field) == f"Fout: {message}"
    summary = page.get("error-summary")
    assert summary["role"] == "alert"
    assert message in summary.text
    # The summary links to the field with the problem.
    assert any(e.tag == "a" and e["href"] == f"#id_{field}" for e in page.elements)
    assert nothing_registered()


def test_remedy_sought_is_optional(client, form_data):
    form_data["remedy_sought"] = ""
    response = client.post(FORM_NL, form_data)
    assert response.status_code == 302
    assert Complaint.objects.get().remedy_sought == ""


@pytest.mark.parametrize("phone", ["12345", "0612", "06-1234567890123", "bel me maar", "+99 123"])
def test_livp_1_phone_number_that_does_not_exist_is_refused(client, html, form_data, phone):
    form_data["complainant_phone"] = phone
    page = html(client.post(FORM_NL, form_data))
    assert "Vul een geldig telefoonnummer in" in page.field_error("complainant_phone")
    assert nothing_registered()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06-12345678", "+31612345678"),
        ("020 555 1234", "+31205551234"),
        ("+32 470 12 34 56", "+32470123456"),
        ("0049 30 1234567", "+49301234567"),
    ],
)
def test_livp_1_dutch_and_international_phone_numbers_are_accepted(
    client, form_data, typed, stored
):
    form_data["complainant_phone"] = typed
    assert client.post(FORM_NL, form_data).status_code == 302
    assert Complaint.objects.get().complainant_phone == stored


def test_validate_phone_is_reusable_and_normalises():
    assert validate_phone(" 06 1234 5678 ") == "+31612345678"


def test_livp_1_complaint_date_in_the_future_is_refused(client, html, form_data):
    form_data["complaint_date"] = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = html(client.post(FORM_NL, form_data))
    assert "kan niet in de toekomst liggen" in page.field_error("complaint_date")
    assert nothing_registered()


@time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=AMS), tick=False)
def test_livp_1_complaint_date_more_than_two_years_back_is_refused(client, html, form_data):
    form_data["complaint_date"] = "2024-03-09"
    page = html(client.post(FORM_NL, form_data))
    error = page.field_error("complaint_date")
    assert "niet meer dan twee jaar geleden" in error
    assert "10 maart 2024" in error
    assert nothing_registered()


@time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=AMS), tick=False)
def test_livp_1_complaint_date_exactly_two_years_back_and_today_are_accepted(client, form_data):
    form_data["complaint_date"] = "2024-03-10"
    assert client.post(FORM_NL, form_data).status_code == 302
    form_data["complaint_date"] = "2026-03-10"
    form_data["submission_token"] = "5b0c54d4-7bd5-4c8e-8a39-5d0f3c1f0d11"
    assert client.post(FORM_NL, form_data).status_code == 302
    assert sorted(Complaint.objects.values_list("complaint_date", flat=True)) == [
        dt.date(2024, 3, 10),
        dt.date(2026, 3, 10),
    ]


@time_machine.travel(dt.datetime(2026, 3, 10, 23, 30, tzinfo=AMS), tick=False)
def test_today_is_the_local_date_in_amsterdam(client, form_data):
    # 23:30 in Amsterdam is 22:30 UTC: still 10 March. 11 March would be the future.
    form_data["complaint_date"] = "2026-03-11"
    assert client.post(FORM_NL, form_data).status_code == 200
    form_data["complaint_date"] = "2026-03-10"
    assert client.post(FORM_NL, form_data).status_code == 302


@pytest.mark.parametrize("typed", ["gisteren", "2026-02-30", "31-31-2025", "9999999999-01-01"])
def test_livp_1_garbage_date_is_a_form_error(client, html, form_data, typed):
    form_data["complaint_date"] = typed
    response = client.post(FORM_NL, form_data)
    assert response.status_code == 200
    assert "Vul een bestaande datum in" in html(response).field_error("complaint_date")


def test_dutch_date_typed_in_a_browser_without_date_picker_is_understood(client, form_data):
    day = timezone.localdate() - dt.timedelta(days=5)
    form_data["complaint_date"] = f"{day.day}-{day.month}-{day.year}"
    assert client.post(FORM_NL, form_data).status_code == 302
    assert Complaint.objects.get().complaint_date == day


@pytest.mark.parametrize(
    ("description", "accepted"),
    [
        ("Te kort.", False),  # 8 characters
        ("   123456789   ", False),  # 9 after stripping
        ("  1234567890  ", True),  # 10 after stripping
        ("x" * 10_000, True),
        ("x" * 10_001, False),
    ],
)
def test_livp_1_description_must_be_10_to_10000_characters(
    client, html, form_data, description, accepted
):
    form_data["description"] = description
    response = client.post(FORM_NL, form_data)
    if accepted:
        assert response.status_code == 302
        assert Complaint.objects.get().description == description.strip()
    else:
        assert response.status_code == 200
        error = html(response).field_error("description")
        assert "10.000" in error or "minstens 10" in error
        assert nothing_registered()


def test_huge_text_is_a_form_error_not_a_server_error(client, html, form_data):
    form_data["description"] = "klacht " * 150_000  # about a megabyte
    form_data["complainant_name"] = "n" * 5_000
    form_data["remedy_sought"] = "r" * 20_000
    response = client.post(FORM_NL, form_data)
    assert response.status_code == 200
    assert html(response).fields_in_error() == {"description", "complainant_name", "remedy_sought"}
    assert nothing_registered()


@pytest.mark.parametrize("email", ["fatma", "fatma@", "fatma@example", "a b@example.org"])
def test_livp_1_invalid_email_is_refused(client, html, form_data, email):
    form_data["complainant_email"] = email
    page = html(client.post(FORM_NL, form_data))
    assert "Vul een geldig e-mailadres in" in page.field_error("complainant_email")
    assert nothing_registered()


@pytest.mark.parametrize("course_value", ["999999", "abc", "-1", "1; DROP TABLE"])
def test_course_that_does_not_exist_is_a_form_error(client, html, form_data, course_value):
    form_data["course"] = course_value
    response = client.post(FORM_NL, form_data)
    assert response.status_code == 200
    assert "Kies een cursus of opleiding uit de lijst." in html(response).field_error("course")
    assert nothing_registered()


def test_inactive_course_cannot_be_chosen(client, html, form_data):
    old = CourseFactory(name="Oude cursus", active=False)
    form_data["course"] = str(old.pk)
    assert html(client.post(FORM_NL, form_data)).has_field_error("course")
    assert nothing_registered()


def test_livp_1_course_other_requires_its_name(client, html, form_data):
    form_data["course"] = "other"
    form_data["course_other"] = "  "
    page = html(client.post(FORM_NL, form_data))
    assert page.fields_in_error() == {"course_other"}
    assert "Vul de naam van de cursus of opleiding in." in page.field_error("course_other")
    assert page.value("course") == "other"
    assert nothing_registered()


def test_livp_1_course_other_is_registered_as_typed(client, form_data):
    form_data["course"] = "other"
    form_data["course_other"] = " Incompany-training Gemeente Zwolle "
    assert client.post(FORM_NL, form_data).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.course is None
    assert complaint.course_other == "Incompany-training Gemeente Zwolle"


def test_other_course_text_is_ignored_when_a_listed_course_is_chosen(client, form_data, course):
    form_data["course_other"] = "iets anders"
    client.post(FORM_NL, form_data)
    complaint = Complaint.objects.get()
    assert (complaint.course, complaint.course_other) == (course, "")


def test_livp_1_what_was_typed_stays_in_the_form_after_an_error(client, html, form_data):
    form_data["complainant_email"] = "fatma-at-example.org"
    form_data["description"] = 'Regel één\nRegel <twee> & "drie"'
    page = html(client.post(FORM_NL, form_data))
    assert page.has_field_error("complainant_email")
    for name in [
        "complainant_name",
        "course",
        "complaint_date",
        "complainant_phone",
        "complainant_email",
        "description",
        "remedy_sought",
    ]:
        assert page.value(name) == form_data[name], name
    assert page.by_name("submission_token")["value"] == form_data["submission_token"]


def test_errors_change_the_page_title(client, html, form_data):
    form_data["complainant_name"] = ""
    page = html(client.post(FORM_NL, form_data))
    title = next(e for e in page.elements if e.tag == "title").text
    assert title.startswith("Fout: Een klacht indienen")


def test_mangled_submission_token_is_replaced_not_an_error(client, html, form_data):
    form_data["submission_token"] = "not-a-uuid"
    form_data["complainant_name"] = ""
    page = html(client.post(FORM_NL, form_data))
    assert page.fields_in_error() == {"complainant_name"}
    token = page.by_name("submission_token")["value"]
    assert token != "not-a-uuid" and len(token) == 36
    form_data.update(complainant_name="Fatma", submission_token=token)
    first = client.post(FORM_NL, form_data)
    second = client.post(FORM_NL, form_data)
    assert first["Location"] == second["Location"]
    assert Complaint.objects.count() == 1


def test_missing_submission_token_still_registers(client, form_data):
    del form_data["submission_token"]
    assert client.post(FORM_NL, form_data).status_code == 302
    assert Complaint.objects.get().submission_token is not None


def test_service_refusal_is_shown_as_a_form_error_not_a_server_error(client, html, form_data):
    Organisation.objects.update(active_procedure=None)
    response = client.post(FORM_NL, form_data)
    assert response.status_code == 200
    page = html(response)
    assert "Er is nog geen actieve klachtenprocedure ingesteld." in page.get("error-summary").text
    assert page.value("complainant_name") == form_data["complainant_name"]
    assert nothing_registered()


def test_only_get_and_post_are_allowed(client, organisation):
    assert client.put(FORM_NL).status_code == 405


# --- English --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("complainant_phone", "12345"),
        ("complainant_email", "nope"),
        ("description", "short"),
        ("complaint_date", "not a date"),
    ],
)
def test_livp_1_english_page_shows_errors_next_to_their_fields(client, html, form_data, field, bad):
    form_data[field] = bad
    response = client.post(FORM_EN, form_data)
    assert response.status_code == 200
    page = html(response)
    assert page.lang == "en"
    assert page.fields_in_error() == {field}
    assert page.field_error(field)
    assert page.value("complainant_name") == form_data["complainant_name"]
    assert nothing_registered()


# --- Success --------------------------------------------------------------------------------

FRIDAY_BEFORE_KINGS_DAY = dt.datetime(2026, 4, 24, 15, 0, tzinfo=AMS)


@time_machine.travel(FRIDAY_BEFORE_KINGS_DAY, tick=False)
def test_livp_1_livp_3_submitted_form_registers_and_confirms_with_number_and_dates(
    client, html, form_data, course
):
    form_data["complaint_date"] = "2026-04-20"
    response = client.post(FORM_NL, form_data)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert response["Location"].startswith("/klacht/ontvangen/")
    assert complaint.number == "K-2026-0001"
    assert complaint.channel == "web"
    assert complaint.received_at == FRIDAY_BEFORE_KINGS_DAY
    assert complaint.registered_by is None
    assert complaint.complainant_name == "Fatma Yılmaz"
    assert complaint.course == course
    assert complaint.complainant_phone == "+31612345678"
    assert complaint.complainant_email == "fatma@example.org"
    assert complaint.remedy_sought == "Excuses en een gesprek."
    assert complaint.complainant_language == "nl"
    assert str(complaint.submission_token) == form_data["submission_token"]

    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    page = html(confirmation)
    assert page.get("complaint-number").text == "K-2026-0001"
    assert "Binnen een werkdag bevestigen wij de ontvangst" in page.text  # procedure summary
    # Monday 27 April is King's Day: first contact within 5 working days, settled within 4 weeks.
    assert "Uiterlijk maandag 4 mei 2026" in page.text
    assert "Uiterlijk vrijdag 22 mei 2026" in page.text
    assert "Per e-mail op vrijdag 24 april 2026" in page.text
    assert "Uw klacht wordt altijd vertrouwelijk behandeld." in page.text


def test_livp_4_web_complaint_is_assigned_at_once_to_a_trainer_not_teaching_the_course(
    client, form_data, trainers
):
    client.post(FORM_NL, form_data)
    complaint = Complaint.objects.get()
    assert complaint.handler == trainers[2]
    assert complaint.handler not in complaint.course.trainers.all()


def test_livp_3_acknowledgement_is_queued_in_dutch_for_the_dutch_form(client, form_data, trainers):
    client.post(FORM_NL, form_data)
    message = OutboxMessage.objects.get(kind="acknowledgement")
    assert message.to == "fatma@example.org"
    assert message.language == "nl"
    assert "K-20" in message.subject and "Ontvangstbevestiging" in message.subject
    assert trainers[2].display_name in message.body


def test_livp_3_english_form_registers_english_and_queues_an_english_acknowledgement(
    client, html, form_data
):
    response = client.post(FORM_EN, form_data)
    assert response["Location"].startswith("/en/klacht/ontvangen/")
    complaint = Complaint.objects.get()
    assert complaint.complainant_language == "en"
    message = OutboxMessage.objects.get(kind="acknowledgement")
    assert message.language == "en"
    assert "Your complaint is always treated confidentially." in message.body
    page = html(client.get(response["Location"]))
    assert page.lang == "en"
    assert page.get("complaint-number").text == complaint.number
    assert "Within one working day we confirm" in page.text


def test_livp_1_submitting_the_same_form_twice_registers_one_complaint(client, form_data):
    first = client.post(FORM_NL, form_data)
    second = client.post(FORM_NL, form_data)  # a double click or the browser's resubmission
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Complaint.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="acknowledgement").count() == 1
    assert Event.objects.filter(kind="registered").count() == 1


def test_a_new_form_registers_a_new_complaint(client, html, form_data):
    client.post(FORM_NL, form_data)
    form_data["submission_token"] = html(client.get(FORM_NL)).by_name("submission_token")["value"]
    client.post(FORM_NL, form_data)
    assert Complaint.objects.count() == 2


def test_invalid_post_leaves_nothing_behind(client, form_data):
    form_data["complainant_phone"] = "123"
    form_data["description"] = "kort"
    client.post(FORM_NL, form_data)
    assert nothing_registered()


# --- The confirmation address ---------------------------------------------------------------


def test_confirmation_address_cannot_be_guessed_or_altered(client, form_data):
    client.post(FORM_NL, form_data)
    complaint = Complaint.objects.get()
    token = confirmation_token_make(complaint)
    assert client.get(reverse("intake:complaint_received", args=[token])).status_code == 200
    for forged in [
        str(complaint.pk),
        f"{complaint.pk + 1}:{token.split(':', 1)[1]}",
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        "garbage",
    ]:
        url = reverse("intake:complaint_received", args=[forged])
        assert client.get(url).status_code == 404, forged


def test_confirmation_address_expires_after_a_day(client, form_data):
    client.post(FORM_NL, form_data)
    url = reverse(
        "intake:complaint_received", args=[confirmation_token_make(Complaint.objects.get())]
    )
    with time_machine.travel(timezone.now() + dt.timedelta(hours=23)):
        assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        assert client.get(url).status_code == 404


def test_confirmation_of_a_deleted_complaint_is_404(client, organisation):
    class Gone:
        pk = 424242

    assert (
        client.get(
            reverse("intake:complaint_received", args=[confirmation_token_make(Gone)])
        ).status_code
        == 404
    )


def test_confirmation_page_on_the_english_address_shows_english_dates(client, html, form_data):
    form_data["complaint_date"] = "2026-04-20"
    with time_machine.travel(FRIDAY_BEFORE_KINGS_DAY, tick=False):
        client.post(FORM_NL, form_data)
        token = confirmation_token_make(Complaint.objects.get())
        with translation.override("en"):
            url = reverse("intake:complaint_received", args=[token])
        page = html(client.get(url))
    assert url.startswith("/en/")
    assert "Friday 22 May 2026" in page.text


def test_request_bigger_than_the_upload_limit_is_refused_cleanly(client, form_data):
    form_data["description"] = "x" * 3_000_000  # over DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(FORM_NL, form_data)
    assert response.status_code == 413  # a friendly page (config.errors)
    assert nothing_registered()
