"""Production refuses unsafe defaults; no log holds a private-link token; pages with
personal data are not stored by browsers or proxies; downloads never run as a page."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from klachtroute.cases.services import document_add
from klachtroute.cases.uploads import upload_check
from klachtroute.links.tokens import link_create

BASE_DIR = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(60)


def _check_production(tmp_path, **overrides) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "klachten.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "KLACHTROUTE_VAR_DIR": str(tmp_path),
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECRET_KEY", None),
        ("SECRET_KEY", ""),
        ("SECRET_KEY", "dev-only-insecure-key-change-me-in-production"),
        ("SECRET_KEY", "geheim"),
        ("DEBUG", "1"),
        ("DEBUG", "true"),
        ("ALLOWED_HOSTS", None),
        ("ALLOWED_HOSTS", ""),
        ("ALLOWED_HOSTS", ","),
    ],
)
def test_production_refuses_an_unsafe_default_and_names_the_variable(tmp_path, variable, value):
    result = _check_production(tmp_path, **{variable: value})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "ImproperlyConfigured" in output
    assert f"{variable}:" in output


def test_production_starts_with_safe_settings(tmp_path):
    result = _check_production(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_development_server_log_holds_no_private_link_token(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "KLACHTROUTE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    token = "GeheimeToken123abc:handtekening456"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/p/{token}/", timeout=10)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break  # any answer: the request line has been logged
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        time.sleep(0.5)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "GET /p/" in output  # the request was logged …
    assert "GeheimeToken123abc" not in output  # … without its token
    assert "handtekening456" not in output


@pytest.mark.django_db
def test_staff_pages_and_private_link_pages_are_not_stored(organisation, secretariat, complaint):
    client = Client()
    client.force_login(secretariat)
    for url in ("/werk/", f"/zaken/{complaint.number}/", "/en/werk/"):
        assert "no-store" in client.get(url)["Cache-Control"], url
    url = link_create(complaint=complaint, party="complainant", purpose="status")
    anonymous = Client()
    response = anonymous.get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_downloads_are_sandboxed_attachments(organisation, secretariat, director, complaint):
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    document = document_add(complaint=complaint, checked=upload_check(upload), actor=secretariat)
    client = Client()
    client.force_login(secretariat)
    urls = [
        f"/zaken/{complaint.number}/documenten/{document.pk}/",
        f"/zaken/{complaint.number}/dossier.pdf",
        f"/zaken/{complaint.number}/dossier.zip",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment"), url
        assert response["Content-Security-Policy"] == "sandbox", url
        assert response["X-Content-Type-Options"] == "nosniff", url
    client.force_login(director)
    response = client.get("/jaarverslag/csv/")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"
