"""ISSUE-5.10: hypothesis feeds the public form and the registration arbitrary input.

Arbitrary text (any unicode without surrogates, control characters, very long strings),
unknown and repeated fields, raw bodies in odd or unknown charsets and random bytes. The
rule for every submission: never a server error, and a refused submission (anything but
the redirect to the next page) leaves no complaint, no event and no outbox message; an
accepted one leaves exactly one complaint.
"""

import datetime as dt
import urllib.parse

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtroute.cases.models import Complaint, Event
from klachtroute.notifications.models import OutboxMessage

PUBLIC_URL = "/klacht/"
REGISTER_URL = "/registreren/"
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Every code point except surrogates (which cannot be encoded), control characters included.
any_character = st.characters(exclude_categories=("Cs",))
long_text = st.builds(
    lambda chunk, times: chunk * times,
    st.text(any_character, min_size=1, max_size=3),
    st.integers(min_value=1_000, max_value=40_000),
)
fuzz_text = st.one_of(
    st.text(any_character, max_size=60),
    st.text(st.characters(codec="ascii"), max_size=20),  # control characters, NUL among them
    st.sampled_from(["", " ", "\x00", "\r\n", "\u202e", "0", "-1", "9" * 30, "2026-02-30"]),
    long_text,
)
CHARSETS = ["utf-8", "latin-1", "cp1252", "utf-16", "shift_jis", "koi8-r", "bogus-charset", ""]


def counts() -> tuple[int, int, int]:
    return Complaint.objects.count(), Event.objects.count(), OutboxMessage.objects.count()


def assert_nothing_left_unless_accepted(response, before) -> None:
    assert response.status_code < 500, response.status_code
    after = counts()
    if response.status_code == 302:
        assert after[0] == before[0] + 1  # accepted: exactly one complaint
    else:
        assert after == before, f"refused with {response.status_code} but something was saved"


def public_data(course) -> dict:
    return {
        "complainant_name": "Maria de Groot",
        "complainant_phone": "06 12345678",
        "complainant_email": "maria@example.org",
        "course": str(course.pk),
        "course_other": "",
        "complaint_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "description": "Mijn examen is zonder bericht verplaatst.",
        "remedy_sought": "Een nieuwe examendatum.",
        "website": "",
    }


def register_data() -> dict:
    received = timezone.localtime() - dt.timedelta(hours=2)
    return {
        "channel": "post",
        "received_at": received.strftime("%Y-%m-%dT%H:%M"),
        "complainant_name": "Maria de Groot",
        "complainant_email": "maria@example.org",
        "complainant_phone": "06 12345678",
        "complainant_address": "Lindelaan 4\n1234 AB Ergens",
        "complainant_language": "nl",
        "representative_name": "",
        "course": "",
        "course_other": "",
        "complaint_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "description": "Mijn examen is zonder bericht verplaatst.",
        "remedy_sought": "Een nieuwe examendatum.",
        "respondent_type": "organisation",
        "respondent_description": "",
        "category": "",
    }


def mutated(base: dict, data) -> dict:
    """The valid base with some fields replaced, dropped, repeated or added by hypothesis."""
    fields = list(base) + ["submission_token", "unknown_field", "csrfmiddlewaretoken"]
    result: dict = dict(base)
    for name in data.draw(st.lists(st.sampled_from(fields), max_size=len(fields), unique=True)):
        action = data.draw(st.sampled_from(["replace", "replace", "drop", "repeat"]))
        if action == "drop":
            result.pop(name, None)
        elif action == "repeat":
            result[name] = [data.draw(fuzz_text), data.draw(fuzz_text)]
        else:
            result[name] = data.draw(fuzz_text)
    return result


def encoded_body(data: dict, charset: str) -> bytes:
    codec = charset if charset not in ("", "bogus-charset") else "utf-8"
    return urllib.parse.urlencode(data, doseq=True, encoding=codec, errors="replace").encode(
        "ascii"
    )


@pytest.fixture
def public_client(organisation, course, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 1_000_000
    cache.clear()
    return Client()


@pytest.fixture
def desk(organisation, course, secretariat):
    client = Client()
    client.force_login(secretariat)
    return client


def test_the_valid_bases_are_accepted(public_client, desk, course):
    """Without this the fuzz tests below could pass by refusing everything."""
    before = counts()
    assert public_client.post(PUBLIC_URL, public_data(course)).status_code == 302
    assert desk.post(REGISTER_URL, register_data()).status_code == 302
    assert counts()[0] == before[0] + 2


@FUZZ
@given(data=st.data())
def test_public_form_survives_arbitrary_text(public_client, course, data):
    fields = mutated(public_data(course), data)
    before = counts()
    response = public_client.post(PUBLIC_URL, fields)
    assert_nothing_left_unless_accepted(response, before)
    if str(fields.get("website", "")).strip() and not isinstance(fields["website"], list):
        assert response.status_code == 400  # the honeypot: refused, whatever the rest


@FUZZ
@given(data=st.data(), charset=st.sampled_from(CHARSETS))
def test_public_form_survives_odd_encodings(public_client, course, data, charset):
    body = encoded_body(mutated(public_data(course), data), charset)
    content_type = "application/x-www-form-urlencoded" + (f"; charset={charset}" if charset else "")
    before = counts()
    response = public_client.generic("POST", PUBLIC_URL, body, content_type=content_type)
    assert_nothing_left_unless_accepted(response, before)


@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=2_000), st.binary(min_size=1, max_size=2).map(lambda b: b * 1_500_000)
    ),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=latin-1",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "text/plain",
            "application/json",
        ]
    ),
)
def test_public_form_survives_random_bytes(public_client, body, content_type):
    before = counts()
    response = public_client.generic("POST", PUBLIC_URL, body, content_type=content_type)
    assert_nothing_left_unless_accepted(response, before)


@FUZZ
@given(data=st.data())
def test_registration_survives_arbitrary_text(desk, data):
    fields = mutated(register_data(), data)
    before = counts()
    response = desk.post(REGISTER_URL, fields)
    assert_nothing_left_unless_accepted(response, before)


@FUZZ
@given(data=st.data(), charset=st.sampled_from(CHARSETS))
def test_registration_survives_odd_encodings(desk, data, charset):
    body = encoded_body(mutated(register_data(), data), charset)
    content_type = "application/x-www-form-urlencoded" + (f"; charset={charset}" if charset else "")
    before = counts()
    response = desk.generic("POST", REGISTER_URL, body, content_type=content_type)
    assert_nothing_left_unless_accepted(response, before)


@FUZZ
@given(
    body=st.binary(max_size=2_000),
    content_type=st.sampled_from(
        ["application/x-www-form-urlencoded; charset=utf-16", "multipart/form-data; boundary=b"]
    ),
)
def test_registration_survives_random_bytes(desk, body, content_type):
    before = counts()
    response = desk.generic("POST", REGISTER_URL, body, content_type=content_type)
    assert_nothing_left_unless_accepted(response, before)
