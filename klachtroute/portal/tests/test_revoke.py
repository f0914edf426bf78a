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


def test_the_private_links_fold_closed_under_a_summary_that_counts_them(client, livp, secretariat):
    import re

    for purpose in ("status", "approve_solution"):
        link_create(complaint=livp.complaint, party="complainant", purpose=purpose)
    live = PrivateLink.objects.filter(complaint=livp.complaint, revoked_at__isnull=True).count()
    assert live >= 2
    client.force_login(secretariat)
    record = client.get(f"/zaken/{livp.complaint.number}/").content.decode()
    section = record.split('aria-labelledby="links-title"')[1].split("</section>")[0]
    details = re.search(r"<details[^>]*>", section).group(0)
    assert "open" not in details
    summary = re.search(r"<summary>(.*?)</summary>", section, re.S).group(1)
    assert "Privélinks" in summary and f"{live} werkende links" in summary
    assert section.index("</summary>") < section.index("Intrekken") < section.index("</details>")


def test_only_the_secretariat_revokes_links(client, livp):
    link_create(complaint=livp.complaint, party="complainant", purpose="status")
    link = PrivateLink.objects.latest("id")
    client.force_login(livp.complaint.handler)
    response = client.post(f"/zaken/{livp.complaint.number}/links/{link.pk}/intrekken/")
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    assert "Privélinks" not in client.get(f"/zaken/{livp.complaint.number}/").content.decode()


def test_lsr_6h_after_the_directors_ruling_the_status_link_shows_the_outcome_and_asks_nothing(
    client, awaiting_defence
):
    """Closing stops every link that asks something (here the defence), under every
    procedure alike; the complainant's status link keeps showing how it ended."""
    from klachtroute.cases.services import defence_submit, director_rule
    from klachtroute.testing.criteria import criteria_judged
    from klachtroute.testing.factories import letter_parts

    lsr = awaiting_defence
    defence_submit(complaint=lsr.complaint, party="respondent", defence="Het klopt.")
    status_url = link_create(complaint=lsr.complaint, party="complainant", purpose="status")
    copy_url = link_create(complaint=lsr.complaint, party="respondent", purpose="complaint_copy")
    assert client.get(path_of(copy_url)).status_code == 200
    director_rule(
        complaint=lsr.complaint,
        actor=lsr.director,
        decision="partly_founded",
        motivation="De toon was niet in orde; de lestijd is ingehaald.",
        judgements=criteria_judged(lsr.complaint, not_in_order=1, as_form=False),
        **letter_parts("ruling"),
    )
    assert client.get(path_of(copy_url)).status_code == 404
    status = client.get(path_of(status_url))
    assert status.status_code == 200
    assert "deels gegrond" in status.content.decode().lower()
