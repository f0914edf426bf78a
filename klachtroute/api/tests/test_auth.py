"""Token authentication: only a valid personal token gets in."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from klachtroute.accounts.models import ApiToken
from klachtroute.testing.factories import UserFactory

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def _assert_401(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_api_refuses_a_request_without_token(organisation):
    _assert_401(ApiClient().get("/complaints"))


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-real-token", "Bearer ", "Basic c2VjcmV0YXJpYWF0OmRlbW8=", "Token abc", "Bearer"],
)
def test_api_refuses_a_wrong_token(organisation, secretariat, token_for, header):
    token_for(secretariat)
    response = ApiClient().client.get("/api/v1/complaints", HTTP_AUTHORIZATION=header)
    _assert_401(response)


def test_api_refuses_a_revoked_token(organisation, secretariat, token_for):
    raw = token_for(secretariat)
    ApiToken.objects.update(revoked_at=timezone.now())
    _assert_401(ApiClient(raw).get("/complaints"))


def test_api_refuses_the_token_of_a_deactivated_user(organisation, secretariat, token_for):
    raw = token_for(secretariat)
    assert ApiClient(raw).get("/complaints").status_code == 200
    secretariat.is_active = False
    secretariat.save()
    _assert_401(ApiClient(raw).get("/complaints"))


def test_a_wrong_token_and_a_revoked_one_get_the_same_answer(organisation, secretariat, token_for):
    raw = token_for(secretariat)
    ApiToken.objects.update(revoked_at=timezone.now())
    revoked = ApiClient(raw).get("/complaints")
    wrong = ApiClient("x" * 43).get("/complaints")
    assert revoked.json() == wrong.json()


def test_valid_token_is_accepted_and_its_use_recorded(organisation, secretariat, token_for):
    raw = token_for(secretariat)
    assert ApiToken.objects.get().last_used_at is None
    response = ApiClient(raw).get("/complaints")
    assert response.status_code == 200
    last_used = ApiToken.objects.get().last_used_at
    assert last_used is not None
    assert timezone.now() - last_used < dt.timedelta(minutes=1)


def test_only_a_hash_of_the_token_is_stored(secretariat, token_for):
    raw = token_for(secretariat)
    stored = ApiToken.objects.get()
    assert raw not in (stored.key_hash, stored.prefix)
    assert ApiToken.objects.for_raw(raw) == stored


# The api_token management command -------------------------------------------------------


def test_api_token_command_prints_a_token_that_works(organisation, secretariat):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "secretariaat", "--name", "scanner", stdout=out, stderr=err)
    raw = out.getvalue().strip().splitlines()[-1]
    assert out.getvalue().strip() == raw  # nothing but the token on stdout
    assert "not shown again" in err.getvalue()
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (secretariat, "scanner")
    response = ApiClient(raw).get("/complaints")
    assert response.status_code == 200


def test_api_token_command_gives_each_call_a_new_token(secretariat):
    first, second = io.StringIO(), io.StringIO()
    call_command("api_token", "secretariaat", stdout=first, stderr=io.StringIO())
    call_command("api_token", "secretariaat", stdout=second, stderr=io.StringIO())
    assert first.getvalue() != second.getvalue()
    assert ApiToken.objects.filter(user=secretariat).count() == 2


def test_api_token_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user with username 'nobody'"):
        call_command("api_token", "nobody", stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.exists()


def test_api_token_command_refuses_an_inactive_user(db):
    UserFactory(username="oud", is_active=False)
    with pytest.raises(CommandError, match="not active"):
        call_command("api_token", "oud", stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.exists()
