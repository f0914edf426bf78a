"""Password guessing does not scale with addresses: a username that fails from many
addresses is locked from every address, and the person is told by mail, once."""

import pytest
from django.conf import settings

from klachtroute.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def address(i: int) -> str:
    return f"203.0.113.{i + 1}"


def test_a_username_failing_from_many_addresses_is_locked_everywhere(
    secretariat, director, password_login, clock
):
    limit = settings.AXES_USERNAME_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    # Fewer failures than the pair limit from each address, but many addresses.
    per_address = settings.AXES_FAILURE_LIMIT - 1
    tried = 0
    i = 0
    while tried < limit:
        for _ in range(min(per_address, limit - tried)):
            password_login("secretariaat", "fout", ip=address(i))
            tried += 1
        i += 1

    client, response = password_login("secretariaat", ip="198.51.100.99")  # a fresh address
    assert response.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Someone else is not affected.
    _, response = password_login("directeur", ip=address(0))
    assert response.status_code == 302

    mails = OutboxMessage.objects.filter(kind="login_locked")
    assert [m.to for m in mails] == [secretariat.email]
    assert f"{limit} keer" in mails[0].body


def test_fewer_failures_than_the_username_limit_leave_other_addresses_open(
    secretariat, password_login, clock
):
    for i in range(3):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            password_login("secretariaat", "fout", ip=address(i))
    client, response = password_login("secretariaat", ip="198.51.100.99")
    assert response.status_code == 302
    assert not OutboxMessage.objects.filter(kind="login_locked").exists()


def test_the_person_is_told_once_when_locked_out_from_one_address(
    secretariat, password_login, clock
):
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        password_login("secretariaat", "fout", ip=address(0))
    assert OutboxMessage.objects.filter(kind="login_locked", to=secretariat.email).count() == 1
