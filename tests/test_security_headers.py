"""Headers and settings: a Content Security Policy without 'unsafe-inline' and
'unsafe-eval', nosniff, a referrer policy, no framing, and a clean `check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from klachtroute.accounts.models import ApiToken

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parent.parent


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    result = {}
    for part in policy.split(";"):
        name, *values = part.split()
        result[name] = values
    return result


def assert_secure_headers(response, *, referrer: str = "same-origin") -> None:
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == referrer


def test_public_form_sends_the_security_headers(client, organisation):
    response = client.get("/klacht/")
    assert response.status_code == 200
    assert_secure_headers(response)


def test_staff_worklist_sends_the_security_headers(client, organisation, secretariat):
    client.force_login(secretariat)
    response = client.get("/werk/")
    assert response.status_code == 200
    assert_secure_headers(response)


def test_complaint_record_sends_the_security_headers(client, secretariat, complaint):
    client.force_login(secretariat)
    response = client.get(f"/zaken/{complaint.number}/")
    assert response.status_code == 200
    assert_secure_headers(response)


def test_api_response_sends_the_security_headers(organisation, secretariat, complaint):
    _token, raw = ApiToken.objects.create_token(user=secretariat, name="test")
    response = Client().get(
        f"/api/v1/complaints/{complaint.number}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200
    assert_secure_headers(response)


def test_error_pages_send_the_security_headers(client, organisation):
    assert_secure_headers(client.get("/zaken/K-2099-9999/"))  # login redirect
    assert_secure_headers(client.get("/bestaat-niet/"))


def test_a_policy_set_by_the_view_is_kept(client, organisation, settings):
    """The middleware only fills in a missing policy (the portal sets a stricter one)."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from config.middleware import ContentSecurityPolicyMiddleware

    own = HttpResponse()
    own["Content-Security-Policy"] = "default-src 'none'"
    middleware = ContentSecurityPolicyMiddleware(lambda request: own)
    response = middleware(RequestFactory().get("/p/abc/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_cookies_are_http_only_and_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_check_deploy_with_production_settings_reports_nothing(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "klachten.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        "KLACHTROUTE_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "ERRORS" not in output
    assert "System check identified no issues" in output
