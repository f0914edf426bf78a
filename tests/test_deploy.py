"""The production settings under gunicorn against PostgreSQL, as deploy/ runs them: the form
is served with its security headers, the static files load (WhiteNoise), `/gezond/` answers
and `check --deploy` is clean. Runs on the PostgreSQL pass (DATABASE_URL=postgres://...)."""

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"),
    reason="needs PostgreSQL: set DATABASE_URL=postgres://... (CI's PostgreSQL pass runs it)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def database():
    """An empty database of its own on the test server, dropped afterwards."""
    import psycopg

    params = dj_database_url.parse(DATABASE_URL)
    name = f"klachtroute_deploy_{secrets.token_hex(4)}"
    conninfo = {
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = DATABASE_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with psycopg.connect(**conninfo, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args, timeout=300):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def production(database, tmp_path_factory):
    """migrate and collectstatic, as the README's deploy steps do."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
        "DATABASE_URL": database,
        "KLACHTROUTE_VAR_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static-root"),
        "MEDIA_ROOT": str(tmp_path / "uploads"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    return env


@pytest.fixture(scope="module")
def gunicorn(production):
    port = free_port()
    env = {**production, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
    process = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
        + ["config.wsgi"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(port, "/gezond/")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.poll() is not None else ""
                    pytest.fail(f"gunicorn did not start:\n{output}")
                time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        process.wait(20)


def test_check_deploy_is_clean_with_the_production_environment(production):
    output = manage(production, "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in output


def test_gunicorn_serves_the_form_with_its_security_headers_and_its_static_files(gunicorn):
    status, headers, body = get(gunicorn, "/klacht/", {"X-Forwarded-Proto": "https"})

    assert status == 200
    page = body.decode()
    assert 'name="complainant_name"' in page and 'name="csrfmiddlewaretoken"' in page
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert "secure" in headers["set-cookie"].lower()

    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert stylesheets
    for href in stylesheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", href), href  # a hashed, cacheable name
        status, headers, css = get(gunicorn, href, {"X-Forwarded-Proto": "https"})
        assert status == 200, href
        assert headers["content-type"].startswith("text/css")
        assert "immutable" in headers["cache-control"]
        assert css.strip()


def test_plain_http_is_sent_to_https_but_the_health_check_answers(gunicorn):
    status, headers, _body = get(gunicorn, "/klacht/")
    assert status == 301
    assert headers["location"] == "https://127.0.0.1/klacht/"

    status, headers, body = get(gunicorn, "/gezond/")
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {
        "database": "ok",
        "oldest_waiting_message_seconds": None,
        "oldest_waiting_task_seconds": None,
    }
