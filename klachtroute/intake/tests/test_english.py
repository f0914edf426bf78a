"""The English public form and confirmation page, and the English catalogue itself.

The English page is served under /en/ from locale/en/LC_MESSAGES/django.po (compiled to
django.mo). The catalogue tests make a missing, fuzzy or uncompiled translation fail CI.
"""

import datetime as dt
import gettext
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from klachtroute.cases.models import Complaint

FORM_EN = "/en/klacht/"
AMS = ZoneInfo("Europe/Amsterdam")
FRIDAY_BEFORE_KINGS_DAY = dt.datetime(2026, 4, 24, 15, 0, tzinfo=AMS)
PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


# --- The form -------------------------------------------------------------------------------


def test_english_form_labels_are_english(client, html, organisation):
    page = html(client.get(FORM_EN))
    labels = {e["for"]: " ".join(e.text.split()) for e in page.elements if e.tag == "label"}
    assert labels == {
        "id_complainant_name": "Your name",
        "id_complainant_phone": "Phone number",
        "id_complainant_email": "E-mail address",
        "id_course": "Course or training",
        "id_course_other": "Other course or training",
        "id_complaint_date": "Date of the complaint",
        "id_description": "Short description of your complaint",
        "id_remedy_sought": "Desired solution (optional)",
        "id_website": "Leave this field empty",  # the honeypot
    }
    assert page.lang == "en"
    assert page.text.count("Make a complaint") == 2  # title and heading
    assert "All fields are required unless marked ‘optional’." in page.text
    assert "Choose a course or training" in page.text
    assert "Other, namely …" in page.text
    assert "Send complaint" in page.get("submit-complaint").text


def test_english_form_states_confidentiality_in_english(client, html, organisation):
    statement = " ".join(html(client.get(FORM_EN)).get("confidentiality").text.split())
    assert statement == "Confidential Your complaint is always treated confidentially."


def test_english_form_leaks_no_dutch(client, html, organisation):
    text = html(client.get(FORM_EN)).text
    for dutch in (
        "Een klacht indienen",
        "Vertrouwelijk",
        "vertrouwelijk behandeld",
        "Uw naam",
        "Uw gegevens",
        "Telefoonnummer",
        "E-mailadres",
        "Cursus of opleiding",
        "Kies een cursus",
        "Anders, namelijk",
        "Datum van de klacht",
        "Gewenste oplossing",
        "niet verplicht",
        "Klacht versturen",
    ):
        assert dutch not in text


# --- Validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("complainant_name", "Enter your name."),
        ("complainant_phone", "Enter your phone number."),
        ("complainant_email", "Enter your e-mail address."),
        ("course", "Choose the course or training your complaint is about."),
        ("complaint_date", "Enter the date of the complaint."),
        ("description", "Describe your complaint."),
    ],
)
def test_english_required_field_errors_are_english(client, html, form_data, field, message):
    form_data[field] = ""
    page = html(client.post(FORM_EN, form_data))
    assert page.fields_in_error() == {field}
    assert page.field_error(field) == f"Error: {message}"
    summary = " ".join(page.get("error-summary").text.split())
    assert summary == f"Please check the form {message}"


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        (
            "complainant_phone",
            "12345",
            "Enter a valid phone number, for example 06 12345678 or +32 470 12 34 56.",
        ),
        (
            "complainant_email",
            "nope",
            "Enter a valid e-mail address, for example name@example.com.",
        ),
        ("complaint_date", "not a date", "Enter a real date, for example 14/3/2026."),
        ("complaint_date", "2999-01-01", "The date of the complaint cannot be in the future."),
        ("description", "short", "Describe your complaint in at least 10 characters (you used 5)."),
    ],
)
def test_english_invalid_value_errors_are_english(client, html, form_data, field, bad, message):
    form_data[field] = bad
    page = html(client.post(FORM_EN, form_data))
    assert page.fields_in_error() == {field}
    assert page.field_error(field) == f"Error: {message}"


def test_english_complaint_date_too_long_ago_names_the_earliest_date_in_english(
    client, html, form_data
):
    form_data["complaint_date"] = "2024-04-23"
    with time_machine.travel(FRIDAY_BEFORE_KINGS_DAY, tick=False):
        page = html(client.post(FORM_EN, form_data))
    assert page.field_error("complaint_date") == (
        "Error: The date of the complaint cannot be more than two years ago "
        "(not before 24 April 2024)."
    )


def test_english_other_course_without_its_name_is_an_english_error(client, html, form_data):
    form_data["course"] = "other"
    page = html(client.post(FORM_EN, form_data))
    assert page.field_error("course_other") == "Error: Enter the name of the course or training."


def test_english_errors_change_the_page_title_in_english(client, html, form_data):
    form_data["complainant_name"] = ""
    response = client.post(FORM_EN, form_data)
    assert "<title>Error: Make a complaint ·" in response.content.decode()


# --- The confirmation page ------------------------------------------------------------------


def test_english_confirmation_page_is_english(client, html, form_data):
    form_data["complaint_date"] = "2026-04-20"
    with time_machine.travel(FRIDAY_BEFORE_KINGS_DAY, tick=False):
        response = client.post(FORM_EN, form_data)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/klacht/ontvangen/")
        page = html(client.get(response["Location"]))
    complaint = Complaint.objects.get()
    assert page.lang == "en"
    assert page.get("complaint-number").text == complaint.number
    text = page.text
    assert "Your complaint has been received" in text
    assert "Your complaint number is" in text
    assert "Please mention this number whenever you contact us about your complaint." in text
    assert "We will also send you an acknowledgement by e-mail" in text
    assert "What happens next?" in text
    assert "When?" in text
    # Monday 27 April is King's Day: first contact within 5 working days, settled in 4 weeks.
    assert "Acknowledgement By e-mail on Friday 24 April 2026" in text
    assert "Personal contact with the handler No later than Monday 4 May 2026" in text
    assert "Settlement of your complaint No later than Friday 22 May 2026" in text
    assert "Your complaint is always treated confidentially." in text
    for dutch in (
        "Uw klacht is ontvangen",
        "Wat gebeurt er nu",
        "Wanneer?",
        "Uiterlijk",
        "Per e-mail",
    ):
        assert dutch not in text


# --- The catalogue --------------------------------------------------------------------------


def _unquote(line: str) -> str:
    body = line.strip()
    assert body.startswith('"') and body.endswith('"'), line
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    out, chars = [], iter(body[1:-1])
    for char in chars:
        out.append(escapes[next(chars)] if char == "\\" else char)
    return "".join(out)


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file (without the header and obsolete `#~` entries).

    Each entry is a dict of its fields (`msgid`, `msgid_plural`, `msgstr`, `msgstr[0]` …)
    plus `flags`, the set of its `#,` flags.
    """
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": set()}
        field = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                entry[field] += _unquote(line)
            else:
                field, _space, rest = line.partition(" ")
                entry[field] = _unquote(rest)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def _name(entry: dict) -> str:
    return repr(entry["msgid"])


def test_every_dutch_text_has_an_english_translation():
    entries = po_entries(PO_FILE)
    assert len(entries) > 600  # the parser read the file
    untranslated = [
        _name(e)
        for e in entries
        if not (translations := [v for k, v in e.items() if k.startswith("msgstr")])
        or not all(t.strip() for t in translations)
    ]
    fuzzy = [_name(e) for e in entries if "fuzzy" in e["flags"]]
    plural_without_both_forms = [
        _name(e)
        for e in entries
        if "msgid_plural" in e and not ("msgstr[0]" in e and "msgstr[1]" in e)
    ]
    assert untranslated == [], "Untranslated in locale/en/LC_MESSAGES/django.po"
    assert fuzzy == [], "Fuzzy (so unused) in locale/en/LC_MESSAGES/django.po"
    assert plural_without_both_forms == []


def test_compiled_english_catalogue_matches_the_po_file():
    """django.mo is committed: it must be rebuilt (compilemessages) after every .po change."""
    with MO_FILE.open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = []
    for e in po_entries(PO_FILE):
        if "msgid_plural" in e:
            compiled = [catalogue.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
            written = [e.get("msgstr[0]"), e.get("msgstr[1]")]
        elif "msgctxt" in e:
            compiled, written = catalogue.pgettext(e["msgctxt"], e["msgid"]), e.get("msgstr")
        else:
            compiled, written = catalogue.gettext(e["msgid"]), e.get("msgstr")
        if compiled != written:
            stale.append(_name(e))
    assert stale == [], "Run: manage.py compilemessages --ignore=.venv"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_every_translatable_text_in_the_code_is_in_the_english_catalogue(
    settings, tmp_path, monkeypatch
):
    """A new gettext string without `makemessages -l en` (and a translation) fails here.

    makemessages runs on a copy of the sources: run in the project it would write its
    result into the project's own locale directory, whatever LOCALE_PATHS says.
    """
    source = tmp_path / "source"
    shutil.copytree(
        settings.BASE_DIR,
        source,
        ignore=shutil.ignore_patterns(
            ".*", "var", "locale", "node_modules", "static", "__pycache__", "*.pyc"
        ),
    )
    settings.LOCALE_PATHS = [source / "locale"]
    monkeypatch.chdir(source)
    committed = PO_FILE.read_bytes()
    call_command("makemessages", locale=["en"], verbosity=0)
    assert PO_FILE.read_bytes() == committed
    in_code = {e["msgid"] for e in po_entries(source / "locale/en/LC_MESSAGES/django.po")}
    in_catalogue = {e["msgid"] for e in po_entries(PO_FILE)}
    assert sorted(in_code - in_catalogue) == [], (
        "Run: manage.py makemessages -l en --ignore=.venv --ignore=var, then translate"
    )
