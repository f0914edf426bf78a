"""No one can act as someone else: API tokens are made by their owner only, and every
change of roles is recorded, mailed to the person and, when administrators give
themselves a complaint-handling role, shown to the director."""

import re

import pytest
from django.test import Client

from klachtroute.accounts.models import ApiToken, RoleChange, User
from klachtroute.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

API = "/api/v1/complaints"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_status(raw: str) -> int:
    return Client().get(API, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def change_form_data(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "phone": user.phone,
        "preferred_language": user.preferred_language or "nl",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    for flag in (
        "is_staff",
        "is_superuser",
        "is_secretariat",
        "is_trainer",
        "is_staff_member",
        "is_director",
        "is_exam_committee",
        "is_administrator",
    ):
        if getattr(user, flag):
            data[flag] = "on"
    for flag, on in changes.items():
        if on:
            data[flag] = "on"
        else:
            data.pop(flag, None)
    return data


def test_an_administrator_cannot_mint_a_token_for_someone_else(administrator, secretariat):
    client = logged_in(administrator)
    assert client.get("/beheer/accounts/apitoken/add/").status_code == 403
    response = client.post(
        "/beheer/accounts/apitoken/add/", {"user": secretariat.pk, "name": "namens jou"}
    )
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_the_owner_makes_a_token_on_the_account_page_and_sees_it_once(organisation, trainers):
    owner = trainers[0]
    client = logged_in(owner)
    response = client.post("/account/api-tokens/", {"name": "scanner"})
    assert response.status_code == 200
    raw = re.search(r'<code class="new-token">([^<]+)</code>', response.content.decode()).group(1)
    assert api_status(raw) == 200
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (owner, "scanner")
    page = client.get("/account/").content.decode()
    assert "scanner" in page and token.prefix in page
    assert raw not in page  # shown once only


def test_a_token_needs_a_name(trainers):
    response = logged_in(trainers[0]).post("/account/api-tokens/", {"name": "  "})
    assert response.status_code == 400
    assert "Geef het token een naam" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_their_token_and_no_one_else_can(organisation, trainers):
    owner, other = trainers[0], trainers[1]
    token, raw = ApiToken.objects.create_token(user=owner, name="oud")

    response = logged_in(other).post("/account/api-tokens/", {"revoke": token.pk})
    assert response.status_code == 400
    assert api_status(raw) == 200

    logged_in(owner).post("/account/api-tokens/", {"revoke": token.pk})
    assert api_status(raw) == 401


def test_an_administrator_revokes_but_does_not_mint(organisation, administrator, trainers):
    token, raw = ApiToken.objects.create_token(user=trainers[0], name="vertrokken")
    response = logged_in(administrator).post(
        "/beheer/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert api_status(raw) == 401


def test_a_role_change_is_recorded_and_mailed_to_the_person(administrator, trainers):
    person = trainers[0]
    response = logged_in(administrator).post(
        f"/beheer/accounts/user/{person.pk}/change/",
        change_form_data(person, is_secretariat=True),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    change = RoleChange.objects.get(person=person)
    assert change.changed_by == administrator
    assert change.before == ["trainer"]
    assert sorted(change.after) == ["secretariat", "trainer"]
    assert change.at is not None
    assert not change.self_granted
    mail = OutboxMessage.objects.get(kind="roles_changed")
    assert mail.to == person.email
    assert administrator.display_name in mail.body
    assert "Rollen daarna: secretariaat, behandelaar / trainer" in mail.body


def test_an_administrator_who_gives_themselves_a_complaint_role_is_shown_to_the_director(
    administrator, director
):
    client = logged_in(administrator)
    response = client.post(
        f"/beheer/accounts/user/{administrator.pk}/change/",
        change_form_data(administrator, is_trainer=True),
    )
    assert response.status_code == 302

    change = RoleChange.objects.get(person=administrator)
    assert change.self_granted
    told = OutboxMessage.objects.get(kind="roles_self_granted")
    assert told.to == director.email
    page = logged_in(director).get("/rollen/wijzigingen/")
    assert page.status_code == 200
    assert "gaf zichzelf een klachtrol" in page.content.decode()
    assert administrator.display_name in page.content.decode()
    # The administrator cannot look at (or hide) that list.
    assert client.get("/rollen/wijzigingen/").status_code == 403
