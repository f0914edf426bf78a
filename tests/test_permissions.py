"""Who may do what: every URL pattern and every API operation, for every role,
against the table in klachtroute/operations/permissions.py (docs/permissions.md is made from it).

A URL pattern without an entry in the table fails the test; a complaint someone may not see
answers 404, with the same page as a complaint that does not exist.
"""

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from klachtroute.accounts.models import ApiToken
from klachtroute.cases.models import Complaint, Event
from klachtroute.cases.services import complaint_assign_handler, complaint_register
from klachtroute.cases.tests.test_workflow import MAY_ACT, PARTY_MAY_ACT
from klachtroute.cases.workflow import TRANSITIONS, may_act
from klachtroute.intake.mail_services import received_mail_store
from klachtroute.intake.models import ReceivedMail
from klachtroute.intake.public_views import confirmation_token_make
from klachtroute.links.tokens import link_create
from klachtroute.measures.services import measure_propose
from klachtroute.notifications.models import OutboxMessage
from klachtroute.operations import permissions
from klachtroute.operations.permissions import ACTION_PERMISSIONS, ALLOW, ROLES, URL_PERMISSIONS
from klachtroute.testing.factories import UserFactory, complaint_data

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parent.parent
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LINK_ROLES = {"anonymous", "complainant", "third_party"}
LOGOUTS = {"accounts:logout", "accounts:logout_everywhere"}  # these end on the login page


def url_names() -> set[str]:
    """Every URL pattern of the site, by name; the admin's patterns as one entry."""
    names = set()

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, ns)
            elif namespace == "admin":
                names.add("admin:*")
            else:
                name = pattern.name or str(pattern.pattern)
                names.add(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver())
    return names


def path_of(url: str) -> str:
    return urlsplit(url).path


def tampered(path: str) -> str:
    """The same private address with one character of the token changed."""
    token = path.rstrip("/").rsplit("/", 1)[1]
    changed = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    return path.replace(token, changed)


@pytest.fixture
def world(organisation, course, trainers, secretariat, director, administrator):
    respondent = UserFactory(username="beklaagde", first_name="Bert", is_staff_member=True)
    other_handler = UserFactory(username="trainer4", first_name="Otto", is_trainer=True)
    exam = UserFactory(username="examen", first_name="Eva", is_exam_committee=True)
    complaint = complaint_register(
        **complaint_data(
            actor=secretariat,
            channel="post",
            course=course,
            complainant_email="",
            complainant_address="Kerkstraat 1, 1234 AB Utrecht",
            respondent_type="person",
            respondent=respondent,
            document=SimpleUploadedFile("brief klager.pdf", PDF_BYTES),
        )
    )
    complaint = complaint_assign_handler(
        complaint=complaint, handler=trainers[2], actor=secretariat
    )
    complaint.refresh_from_db()
    assert complaint.handler == trainers[2]
    assert complaint.acknowledgement_by_letter
    other = complaint_register(
        **complaint_data(
            actor=secretariat,
            complainant_name="Piet Pietersen",
            course=course,
            document=SimpleUploadedFile("andere.pdf", PDF_BYTES),
        )
    )
    complaint_assign_handler(complaint=other, handler=other_handler, actor=secretariat)
    measure = measure_propose(
        complaint=complaint,
        actor=secretariat,
        description="Afspraken over op tijd beginnen.",
        owner=complaint.handler,
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    message = complaint.messages.order_by("id").first()
    if message is None:
        message = OutboxMessage.objects.create(
            complaint=complaint,
            kind="test",
            subject="Test",
            body="Test",
            next_attempt_at=timezone.now(),
        )
    users = {
        "secretariat": secretariat,
        "handler": complaint.handler,
        "other_handler": other_handler,
        "course_trainer": trainers[0],
        "respondent": respondent,
        "director": director,
        "exam_committee": exam,
        "administrator": administrator,
    }
    received_mail_store(raw=b"From: a@example.org\r\nSubject: Klacht\r\n\r\nTekst\r\n")
    return {
        "complaint": complaint,
        "mail": ReceivedMail.objects.get(),
        "other": other,
        "document": complaint.documents.get(),
        "other_document": other.documents.get(),
        "measure": measure,
        "message": message,
        "users": users,
        "tokens": {role: ApiToken.objects.create_token(user=u)[1] for role, u in users.items()},
        "links": {
            "complainant": path_of(
                link_create(complaint=complaint, party="complainant", purpose="status")
            ),
            "third_party": path_of(
                link_create(complaint=complaint, party="third_party", purpose="third_party")
            ),
        },
    }


def client_for(world, role: str) -> Client:
    client = Client()
    user = world["users"].get(role)
    if user is not None:
        user.refresh_from_db()  # "log out everywhere" changes the session hash
        client.force_login(user)
    return client


def address(world, role: str, name: str) -> str:
    c = world["complaint"]
    number = {"number": c.number}
    message = {"pk": world["message"].pk}
    special = {
        "admin:*": "/beheer/",
        "api-v1:complaint_detail": f"/api/v1/complaints/{c.number}",
        "api-v1:complaint_action": f"/api/v1/complaints/{c.number}/actions/extend",
        "cases:action": reverse("cases:action", kwargs={**number, "action": "extend"}),
        "cases:document_download": reverse(
            "cases:document_download", kwargs={**number, "document_id": world["document"].pk}
        ),
        "measures:update": reverse("measures:update", kwargs={"measure_id": world["measure"].pk}),
        "privacy:person_export_json": reverse("privacy:person_export_json") + "?name=Jan+Jansen",
        "privacy:person_export_pdf": reverse("privacy:person_export_pdf") + "?name=Jan+Jansen",
        "intake:complaint_received": reverse(
            "intake:complaint_received", kwargs={"token": confirmation_token_make(c)}
        ),
        "notifications:detail": reverse("notifications:detail", kwargs=message),
        "notifications:retry": reverse("notifications:retry", kwargs=message),
        "letters:pdf": reverse("letters:pdf", kwargs=message),
        "letters:mark_posted": reverse("letters:mark_posted", kwargs=message),
        "intake:mail_detail": reverse("intake:mail_detail", args=[world["mail"].pk]),
        "intake:mail_original": reverse("intake:mail_original", args=[world["mail"].pk]),
        "portal:link_revoke": reverse(
            "portal:link_revoke", kwargs={**number, "link_id": c.links.order_by("pk").first().pk}
        ),
    }
    if name == "portal:link":
        # Each party has its own link; anyone else only has a guessed or altered one.
        return world["links"].get(role) or tampered(world["links"]["complainant"])
    if name in special:
        return special[name]
    try:
        return reverse(name, kwargs=number)
    except Exception:
        return reverse(name)


def is_login_redirect(response) -> bool:
    if response.status_code not in (301, 302):
        return False
    location = response["Location"]
    return location.startswith((reverse("accounts:login"), reverse("admin:login")))


def request(world, role: str, name: str):
    client = client_for(world, role)
    path = address(world, role, name)
    method = permissions.URL_METHODS[name]
    headers = {}
    if name.startswith("api-v1:") and role in world["tokens"]:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world['tokens'][role]}"
    if name == "accounts:two_factor_qr":
        client.get(reverse("accounts:two_factor_setup"))  # starts the set-up the QR shows
    if method == "GET":
        return path, client.get(path, **headers)
    return path, client.post(path, {}, content_type="application/json", **headers) if (
        name.startswith("api-v1:")
    ) else client.post(path, {}, **headers)


def refusal_problem(world, role: str, name: str, response) -> str | None:
    status = response.status_code
    if role in LINK_ROLES or role not in world["users"]:
        if status in (401, 403, 404) or is_login_redirect(response):
            return None
        return f"expected a refusal, got {status}"
    if name == "admin:*":
        return None if is_login_redirect(response) else f"expected the admin login, got {status}"
    sees = permissions.SEES_COMPLAINT
    bound = "{number}" in permissions.URL_ADDRESSES[name] or name in (
        "letters:pdf",
        "measures:update",
    )
    if bound and role not in sees:
        return None if status == 404 else f"a complaint one may not see must be 404, got {status}"
    return None if status in (401, 403, 404) else f"expected 403/404, got {status}"


def allowed_problem(name: str, method: str, response) -> str | None:
    status = response.status_code
    if is_login_redirect(response) and name not in LOGOUTS:
        return f"sent to the login page ({response['Location']})"
    if name == "portal:link" and status == 410:
        return None  # the own link, recognised; its step (here: the third party's) is not open
    if method == "GET" and status not in (200, 302):
        return f"expected 200, got {status}"
    if method == "POST" and status in (401, 403, 404, 405):
        return f"refused with {status}"
    return None


def test_every_url_pattern_has_an_entry_in_the_table():
    names = url_names()
    missing = sorted(names - set(URL_PERMISSIONS))
    stale = sorted(set(URL_PERMISSIONS) - names)
    assert not missing, f"URL patterns without a row in operations/permissions.py: {missing}"
    assert not stale, f"Rows for URL patterns that no longer exist: {stale}"


def test_docs_permissions_md_is_generated_from_the_table():
    written = (BASE_DIR / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert written == permissions.markdown(), (
        "docs/permissions.md is out of date: "
        ".venv/bin/python -m klachtroute.operations.permissions > docs/permissions.md"
    )


@pytest.mark.parametrize("role", list(ROLES))
def test_every_url_for_role_is_allowed_or_refused_as_the_table_says(world, role):
    problems = []
    for name, row in URL_PERMISSIONS.items():
        method = permissions.URL_METHODS[name]
        events, complaints = Event.objects.count(), Complaint.objects.count()
        path, response = request(world, role, name)
        if row[role] == ALLOW:
            problem = allowed_problem(name, method, response)
        else:
            problem = refusal_problem(world, role, name, response)
            if method == "POST" and (
                Event.objects.count() != events or Complaint.objects.count() != complaints
            ):
                problem = (problem or "") + " the refused request changed data"
        if problem:
            problems.append(f"{name} {method} {path}: {problem}")
    assert not problems, f"{role}:\n" + "\n".join(problems)


def test_lists_show_only_visible_complaints(world):
    number, other = world["complaint"].number, world["other"].number
    expected = {
        "secretariat": {number, other},
        "director": {number, other},
        "handler": {number},
        "other_handler": {other},  # handles the other complaint
        "course_trainer": set(),
        "respondent": set(),
        "exam_committee": set(),
        "administrator": set(),
    }
    for role, numbers in expected.items():
        body = client_for(world, role).get(reverse("cases:worklist")).content.decode()
        api = client_for(world, role).get(
            "/api/v1/complaints", HTTP_AUTHORIZATION=f"Bearer {world['tokens'][role]}"
        )
        listed = {item["number"] for item in api.json()["items"]}
        assert listed == numbers, role
        assert {n for n in (number, other) if n in body} == numbers, role


def _without_csrf(body: bytes, *numbers: str) -> str:
    text = body.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r"csrf[^\"']*[\"'][^\"']{20,}[\"']", "", text, flags=re.IGNORECASE)
    for number in numbers:
        text = text.replace(number, "NUMMER")
    return text


def test_another_complaints_number_is_a_404_that_reveals_nothing(world):
    handler = client_for(world, "handler")
    other, missing = world["other"].number, "K-0000-999"
    for template in ("/zaken/{}/", "/zaken/{}/dossier.pdf", "/zaken/{}/ontvangstbevestiging/"):
        hidden = handler.get(template.format(other))
        absent = handler.get(template.format(missing))
        assert hidden.status_code == absent.status_code == 404
        assert _without_csrf(hidden.content, other) == _without_csrf(absent.content, missing)
        assert b"Pietersen" not in hidden.content
    token = {"HTTP_AUTHORIZATION": f"Bearer {world['tokens']['handler']}"}
    hidden = handler.get(f"/api/v1/complaints/{other}", **token)
    absent = handler.get(f"/api/v1/complaints/{missing}", **token)
    assert hidden.status_code == absent.status_code == 404
    assert hidden.content == absent.content
    # A document of another complaint, asked for under one's own complaint's number.
    own = world["complaint"].number
    crossed = handler.get(f"/zaken/{own}/documenten/{world['other_document'].pk}/")
    nowhere = handler.get(f"/zaken/{own}/documenten/999999/")
    assert crossed.status_code == nowhere.status_code == 404
    assert _without_csrf(crossed.content) == _without_csrf(nowhere.content)


def test_a_tampered_private_link_is_a_404_that_reveals_nothing(world):
    good = world["links"]["complainant"]
    assert Client().get(good).status_code == 200
    altered_path = tampered(good)
    altered = Client().get(altered_path)
    unknown = Client().get("/p/onbekend-token/")
    assert altered.status_code == unknown.status_code == 404
    # The page links to itself in English; apart from that address the pages are the same.
    assert _without_csrf(altered.content, altered_path) == _without_csrf(
        unknown.content, "/p/onbekend-token/"
    )
    assert world["complaint"].number.encode() not in altered.content
    received = reverse(
        "intake:complaint_received", kwargs={"token": confirmation_token_make(world["complaint"])}
    )
    assert Client().get(tampered(received)).status_code == 404


def test_workflow_action_rows_say_who_the_procedures_let_act():
    """The rows are generated from TRANSITIONS; they must say what the procedures say."""
    expected = {
        action: roles | PARTY_MAY_ACT.get(action, set()) for action, roles in MAY_ACT.items()
    }
    generated = {
        action: {role for role, value in row.items() if value == ALLOW}
        for action, row in ACTION_PERMISSIONS.items()
    }
    assert generated == expected


def test_workflow_actions_follow_the_table(world):
    assert set(ACTION_PERMISSIONS) == {t.action for t in TRANSITIONS}
    complaint = world["complaint"]
    users = world["users"]
    problems = []
    for transition in TRANSITIONS:
        for role in ROLES:
            if role in ("complainant", "third_party"):
                allowed = may_act(None, complaint, transition, party=role)
            elif role == "anonymous":
                allowed = False
            elif role == "respondent":
                allowed = may_act(users[role], complaint, transition) or may_act(
                    None, complaint, transition, party="respondent"
                )
            else:
                allowed = may_act(users[role], complaint, transition)
            if allowed != (ACTION_PERMISSIONS[transition.action][role] == ALLOW):
                problems.append(f"{transition.action} {role}: may_act says {allowed}")
    assert not problems, "\n".join(problems)
