"""The secretariat can revoke a private link; it then works no more."""

import pytest

from klachtroute.cases.models import Event
from klachtroute.links.models import PrivateLink
from klachtroute.links.tokens import link_create, link_resolve

from .conftest import path_of

pytestmark = pytest.mark.django_db


def test_secretariat_revokes_a_link_and_it_stops_working(client, livp, secretariat):
    url = link_create(complaint=livp.complaint, party="complainant", purpose="status")
    link = PrivateLink.objects.latest("id")
    client.force_login(secretariat)
    record = client.get(f"/zaken/{livp.complaint.number}/").content.decode()
    assert "Privélinks" in record and "Intrekken" in record
    response = client.post(f"/zaken/{livp.complaint.number}/links/{link.pk}/intrekken/")
    assert response.status_code == 302
    assert link_resolve(url.rsplit("/", 2)[-2]) is None
    assert client.get(path_of(url)).status_code == 404
    event = Event.objects.filter(complaint=livp.complaint, kind="link_revoked").get()
    assert event.actor == secretariat


def test_only_the_secretariat_revokes_links(client, livp):
    link_create(complaint=livp.complaint, party="complainant", purpose="status")
    link = PrivateLink.objects.latest("id")
    client.force_login(livp.complaint.handler)
    response = client.post(f"/zaken/{livp.complaint.number}/links/{link.pk}/intrekken/")
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    assert "Privélinks" not in client.get(f"/zaken/{livp.complaint.number}/").content.decode()
