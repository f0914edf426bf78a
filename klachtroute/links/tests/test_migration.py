"""An existing installation keeps its private links when they move out of the portal.

The links app takes over the portal's table of links (`portal_privatelink`), and the
complaint app the table of information a complainant added (`portal_informationadded` and
its documents table), without copying or dropping them: the migrations change only Django's
idea of which app a model belongs to, and move the content types. A link sent by mail
before the move must still open its page afterwards.
"""

import hashlib
import secrets
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from klachtroute.cases.models import InformationAdded
from klachtroute.cases.services import complaint_register
from klachtroute.links.models import PrivateLink
from klachtroute.links.tokens import link_resolve
from klachtroute.testing.factories import complaint_data

BEFORE = [("portal", "0003_awb_steps")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _link_as_sent_before_the_move(old, complaint) -> str:
    """A row as the portal stored it, and the token as the portal signed it into the mail:
    both are fixed by the links already out there, not by today's code."""
    raw = secrets.token_urlsafe(18)
    old.get_model("portal", "PrivateLink").objects.create(
        complaint_id=complaint.pk,
        party="complainant",
        purpose="status",
        token_hash=hashlib.sha256(raw.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(days=30),
    )
    return signing.Signer(salt="klachtroute.portal.link").sign(raw)


@pytest.mark.django_db(transaction=True)
def test_a_private_link_sent_before_the_move_still_opens_its_status_page(
    organisation, course, secretariat
):
    complaint = complaint_register(**complaint_data(actor=secretariat, course=course))
    old = _migrate(BEFORE)
    token = _link_as_sent_before_the_move(old, complaint)
    old.get_model("portal", "InformationAdded").objects.create(
        complaint_id=complaint.pk,
        text="Het rooster hing er pas op vrijdag.",
        added_at=timezone.now(),
    )
    old_types = old.get_model("contenttypes", "ContentType").objects
    link_type = old_types.get(app_label="portal", model="privatelink").pk
    information_type = old_types.get(app_label="portal", model="informationadded").pk
    try:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()

        link = link_resolve(token)
        assert link is not None
        assert (link.complaint, link.party, link.purpose) == (complaint, "complainant", "status")
        with translation.override("nl"):
            path = reverse("portal:link", kwargs={"token": token})
        page = Client().get(path)
        assert page.status_code == 200
        html = page.content.decode()
        assert complaint.number in html
        assert "Wat u heeft toegevoegd" in html

        added = InformationAdded.objects.get(complaint=complaint)
        assert added.text == "Het rooster hing er pas op vrijdag."
        assert list(added.documents.all()) == []
        # Permissions and the admin's history hang on the content type: it moved, not renewed.
        assert ContentType.objects.get_for_model(PrivateLink).pk == link_type
        assert ContentType.objects.get_for_model(InformationAdded).pk == information_type
        assert not ContentType.objects.filter(app_label="portal", model="privatelink").exists()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
