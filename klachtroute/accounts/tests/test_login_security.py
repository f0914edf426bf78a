"""Issue 5.3, login: lock-out with a cool-off, two-factor login (TOTP), sessions that
expire, and logging out everywhere."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from klachtroute.testing.factories import UserFactory

from .conftest import code_for

WORKLIST = "/werk/"
VERIFY = "/inloggen/code/"
SETUP = "/account/tweestapsverificatie/"


def is_logged_in(client) -> bool:
    return client.get(WORKLIST).status_code == 200


# --- lock-out -------------------------------------------------------------------------------


def test_login_with_right_password_goes_to_worklist(secretariat, password_login):
    client, response = password_login("secretariaat")
    assert response.status_code == 302
    assert response.url == WORKLIST
    assert is_logged_in(client)


def test_lockout_after_failure_limit_shows_when_to_try_again(secretariat, password_login, clock):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        _, response = password_login("secretariaat", "fout")
        assert response.status_code == 200
        assert "Inloggen tijdelijk geblokkeerd" not in response.content.decode()
    _, response = password_login("secretariaat", "fout")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in page
    assert "15 minuten" in page
    # 09:00 UTC is 10:00 in Amsterdam; the cool-off of 15 minutes ends at 10:15.
    assert "Probeer het na 10:15 opnieuw" in page


def test_right_password_during_lockout_is_refused(secretariat, password_login, clock):
    for _ in range(5):
        password_login("secretariaat", "fout")
    client, response = password_login("secretariaat")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert not is_logged_in(client)


def test_lockout_ends_after_cool_off(secretariat, password_login, clock):
    for _ in range(5):
        password_login("secretariaat", "fout")
    clock.shift(dt.timedelta(minutes=14))
    _, response = password_login("secretariaat")
    assert response.status_code == 429  # still locked, and this attempt restarts the cool-off
    clock.shift(dt.timedelta(minutes=16))
    client, response = password_login("secretariaat")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_lockout_is_per_username_and_address(secretariat, director, password_login, clock):
    for _ in range(5):
        password_login("secretariaat", "fout", ip="192.0.2.10")
    other_user, response = password_login("directeur", ip="192.0.2.10")
    assert response.status_code == 302
    other_address, response = password_login("secretariaat", ip="198.51.100.7")
    assert response.status_code == 302
    assert is_logged_in(other_address)


def test_english_lockout_page(secretariat, clock):
    client = Client()
    for _ in range(5):
        response = client.post("/en/inloggen/", {"username": "secretariaat", "password": "x"})
    page = response.content.decode()
    assert response.status_code == 429
    assert "Login temporarily blocked" in page
    assert "Try again after 10:15." in page


# --- two-factor login -----------------------------------------------------------------------


def test_totp_setup_then_login_with_code(secretariat, password_login, clock):
    client, _ = password_login("secretariaat")
    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=secretariat, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/Klachtroute%3Asecretariaat?secret=")
    qr = client.get(f"{SETUP}qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    # The same secret is shown as text, in groups of four, for typing it in.
    secret = page.context["secret_groups"]
    assert "".join(secret) in device.config_url
    assert " ".join(secret) in page.content.decode()

    response = client.post(SETUP, {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert is_logged_in(client)

    clock.shift(60)
    second, response = password_login("secretariaat")
    assert second.get(WORKLIST).url == f"{VERIFY}?next=%2Fwerk%2F"
    response = second.post(VERIFY, {"token": code_for(device), "next": WORKLIST})
    assert response.status_code == 302
    assert response.url == WORKLIST
    assert is_logged_in(second)


def test_wrong_code_at_setup_leaves_two_factor_off(secretariat, login_client, clock):
    client = login_client(secretariat)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=secretariat)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_wrong_code_at_login_is_refused(secretariat, totp_device, password_login, clock):
    device = totp_device(secretariat)
    client, _ = password_login("secretariaat")
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet of is verlopen" in response.content.decode()
    assert client.get(WORKLIST).status_code == 302
    for nonsense in ["", "12345", "abcdef", "1234567"]:
        response = client.post(VERIFY, {"token": nonsense})
        assert response.status_code == 200
        assert not is_logged_in(client)


def test_a_used_code_cannot_be_used_again(secretariat, totp_device, password_login, clock):
    device = totp_device(secretariat)
    first, _ = password_login("secretariaat")
    code = code_for(device)
    first.post(VERIFY, {"token": code})
    assert is_logged_in(first)
    second, _ = password_login("secretariaat")
    second.post(VERIFY, {"token": code})
    assert not is_logged_in(second)


def test_with_an_app_a_second_app_cannot_be_added_before_the_code(
    secretariat, totp_device, login_client
):
    totp_device(secretariat)
    client = login_client(secretariat)
    assert client.get(SETUP).url == VERIFY
    assert client.post(SETUP, {"token": "123456"}).url == VERIFY
    assert client.get(f"{SETUP}qr.svg").status_code == 404
    assert TOTPDevice.objects.filter(user=secretariat).count() == 1


def test_anyone_with_an_app_must_give_a_code_even_when_not_compulsory(
    trainers, totp_device, login_client
):
    totp_device(trainers[0])
    client = login_client(trainers[0])
    assert client.get(WORKLIST).url == f"{VERIFY}?next=%2Fwerk%2F"


def test_an_app_added_elsewhere_stops_a_session_without_code_at_its_next_page(
    trainers, totp_device, login_client
):
    client = login_client(trainers[0])
    assert client.get(WORKLIST).status_code == 200
    totp_device(trainers[0])  # confirmed in another session, or by an administrator
    assert client.get(WORKLIST).url == f"{VERIFY}?next=%2Fwerk%2F"


def test_the_gate_asks_for_an_app_in_the_query_that_reads_the_person(trainers, login_client):
    client = login_client(trainers[0])
    client.get(WORKLIST)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(WORKLIST).status_code == 200
    device_reads = [q["sql"] for q in queries if "otp_totp_totpdevice" in q["sql"]]
    assert len(device_reads) == 1
    assert "accounts_user" in device_reads[0]


@pytest.mark.parametrize("role", ["secretariat", "director", "administrator"])
def test_compulsory_two_factor_sends_role_to_setup_and_blocks_staff_pages(
    role, request, login_client, settings, organisation
):
    settings.OTP_REQUIRED_FOR_ROLES = True
    user = request.getfixturevalue(role)
    client = login_client(user)
    assert client.get(WORKLIST).url == f"{SETUP}?next=%2Fwerk%2F"
    assert client.get("/account/").url.startswith(SETUP)
    assert client.get("/beheer/").url.startswith(SETUP)
    assert client.get(SETUP).status_code == 200
    # Not staff pages: still open.
    assert client.get("/klacht/").status_code == 200
    # htmx requests get told to go to the set-up page instead of a fragment.
    response = client.get(WORKLIST, headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(SETUP)


def test_compulsory_two_factor_lets_them_in_after_setup(secretariat, login_client, settings, clock):
    settings.OTP_REQUIRED_FOR_ROLES = True
    client = login_client(secretariat)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=secretariat)
    response = client.post(SETUP, {"token": code_for(device), "next": WORKLIST})
    assert response.url == WORKLIST
    assert is_logged_in(client)


def test_compulsory_two_factor_does_not_force_a_trainer(trainers, login_client, settings):
    settings.OTP_REQUIRED_FOR_ROLES = True
    assert is_logged_in(login_client(trainers[0]))


def test_two_factor_is_compulsory_in_production_only():
    from config.settings import test as test_settings

    assert test_settings.OTP_REQUIRED_FOR_ROLES is False
    source = (settings.BASE_DIR / "config/settings/production.py").read_text()
    assert 'OTP_REQUIRED_FOR_ROLES = env_bool("OTP_REQUIRED_FOR_ROLES", True)' in source


# --- sessions -------------------------------------------------------------------------------


def test_session_expires_after_eight_hours_and_at_browser_close(secretariat, password_login, clock):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    client, response = password_login("secretariaat")
    assert response.cookies["sessionid"]["max-age"] == ""  # a browser-session cookie
    clock.shift(dt.timedelta(hours=7, minutes=59))
    assert is_logged_in(client)
    clock.shift(dt.timedelta(minutes=2))
    response = client.get(WORKLIST)
    assert response.status_code == 302
    assert response.url.startswith("/inloggen/")


def test_logout_everywhere_ends_the_other_sessions(secretariat, director, login_client):
    here = login_client(secretariat)
    elsewhere = login_client(secretariat)
    someone_else = login_client(director)
    assert is_logged_in(elsewhere)
    page = here.get("/account/")
    assert "Overal uitloggen" in page.content.decode()
    response = here.post("/account/overal-uitloggen/")
    assert response.url == "/inloggen/"
    assert not is_logged_in(here)
    assert not is_logged_in(elsewhere)
    assert is_logged_in(someone_else)
    # Logging in again works as before (a login reads the person afresh).
    secretariat.refresh_from_db()
    assert is_logged_in(login_client(secretariat))


def test_logout_everywhere_needs_post(secretariat, login_client):
    client = login_client(secretariat)
    assert client.get("/account/overal-uitloggen/").status_code == 405
    assert is_logged_in(client)


def test_logout_ends_the_session(secretariat, login_client):
    client = login_client(secretariat)
    client.post("/uitloggen/")
    assert not is_logged_in(client)


def test_account_page_is_linked_from_the_header(secretariat, login_client):
    page = login_client(secretariat).get(WORKLIST).content.decode()
    assert 'href="/account/"' in page


def test_new_user_keeps_sessions_without_epoch():
    """Sessions made before this change stay valid: epoch 0 gives Django's own hash."""
    user = UserFactory.build(password="x")
    from django.contrib.auth.base_user import AbstractBaseUser

    assert user.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(user)
    user.session_epoch = 1
    assert user.get_session_auth_hash() != AbstractBaseUser._get_session_auth_hash(user)
