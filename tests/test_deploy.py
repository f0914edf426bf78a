"""The production settings under gunicorn against PostgreSQL, as deploy/ runs them: the form
is served with its security headers, the static files load (WhiteNoise), `/gezond/` answers
and `check --deploy` is clean; deploy/nginx.conf in front of it keeps the private links out of
its access log. Runs on the PostgreSQL pass (DATABASE_URL=postgres://...)."""

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SERVER_NAME = "klachten.example.org"  # deploy/nginx.conf's example name
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


def get(port, path, headers=None, tls=None):
    if tls is None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    else:
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=tls)
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
        "ALLOWED_HOSTS": f"127.0.0.1,{SERVER_NAME}",
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


NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
OPENSSL = shutil.which("openssl")
needs_nginx = pytest.mark.skipif(
    NGINX is None or OPENSSL is None,
    reason="needs nginx and openssl: apt-get install nginx openssl (.ci/run installs them)",
)


def render(text, replacements):
    """deploy/nginx.conf with this machine's ports and paths; every line replaced must exist,
    so that a changed example fails here instead of being tested half."""
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def nginx(gunicorn, tmp_path_factory):
    """deploy/nginx.conf, unchanged but for ports (IPv4 only), log and certificate directories
    (a self-signed certificate) and gunicorn's port, included in
    an `http {}` block as Debian's nginx.conf includes sites-enabled/, in front of gunicorn;
    nginx runs in the foreground as the test's own user with everything in a tmp dir."""
    tmp = tmp_path_factory.mktemp("nginx")
    (tmp / "logs").mkdir()
    (tmp / "tls").mkdir()
    subprocess.run(  # noqa: S603
        [OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "1", "-subj", f"/CN={SERVER_NAME}"]
        + ["-addext", f"subjectAltName=DNS:{SERVER_NAME},IP:127.0.0.1"]
        + ["-keyout", str(tmp / "tls" / "privkey.pem"), "-out", str(tmp / "tls" / "fullchain.pem")],
        check=True,
        capture_output=True,
    )
    http_port, https_port = free_port(), free_port()
    site = render(
        (BASE_DIR / "deploy" / "nginx.conf").read_text(),
        {
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "listen [::]:80;": "",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            f"/etc/letsencrypt/live/{SERVER_NAME}/": f"{tmp}/tls/",
            "/var/log/nginx/": f"{tmp}/logs/",
            "proxy_pass http://127.0.0.1:8000;": f"proxy_pass http://127.0.0.1:{gunicorn};",
        },
    )
    (tmp / "klachtroute.conf").write_text(site)
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root root;" if os.geteuid() == 0 else ""  # workers as the test's own user
    (tmp / "nginx.conf").write_text(
        f"{user}\nworker_processes 1;\nerror_log {tmp}/logs/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    access_log {tmp}/logs/access.log;\n{temp_paths}\n"
        f"    include {tmp}/klachtroute.conf;\n}}\n"
    )
    process = subprocess.Popen(  # noqa: S603
        [NGINX, "-p", str(tmp), "-e", str(tmp / "logs" / "error.log")]
        + ["-c", str(tmp / "nginx.conf"), "-g", f"daemon off; pid {tmp}/nginx.pid;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    error_log = tmp / "logs" / "error.log"
                    log = error_log.read_text(errors="replace") if error_log.exists() else ""
                    output = process.stdout.read().decode() if process.poll() is not None else ""
                    pytest.fail(f"nginx did not start:\n{output}\n{log}")
                time.sleep(0.2)
        tls = ssl.create_default_context(cafile=tmp / "tls" / "fullchain.pem")
        yield {
            "http_port": http_port,
            "https_port": https_port,
            "tls": tls,
            "logs": tmp / "logs",
        }
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def access_log_once_written(nginx, line_part):
    """nginx writes a request's line after answering it: wait for it a moment."""
    path = nginx["logs"] / "klachtroute.access.log"
    deadline = time.monotonic() + 10
    while True:
        log = path.read_text() if path.exists() else ""
        if line_part in log or time.monotonic() > deadline:
            return log
        time.sleep(0.1)


@needs_nginx
def test_nginx_example_logs_the_form_but_never_a_private_link_or_its_token(nginx):
    https = {"Host": SERVER_NAME}
    token = secrets.token_urlsafe(24)
    for path in (f"/p/{token}/", f"/en/p/{token}/"):
        status, headers, _body = get(nginx["https_port"], path, https, tls=nginx["tls"])
        assert status == 404, path  # proxied to the application, which refuses the token
        assert headers["cache-control"] == "no-store"
        status, _headers, _body = get(nginx["http_port"], path, https)  # an http:// link
        assert status == 301, path
    status, _headers, body = get(nginx["https_port"], "/klacht/", https, tls=nginx["tls"])
    assert status == 200
    assert 'name="complainant_name"' in body.decode()

    log = access_log_once_written(nginx, '"GET /klacht/ HTTP/1.1" 200')
    assert '"GET /klacht/ HTTP/1.1" 200' in log
    assert "/p/" not in log
    for written in nginx["logs"].iterdir():
        assert token not in written.read_text(errors="replace"), written.name


@needs_nginx
def test_nginx_example_serves_the_static_files_and_sends_plain_http_to_https(nginx):
    https = {"Host": SERVER_NAME}
    _status, _headers, body = get(nginx["https_port"], "/klacht/", https, tls=nginx["tls"])
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', body.decode())
    assert stylesheets
    for href in stylesheets:
        status, headers, css = get(nginx["https_port"], href, https, tls=nginx["tls"])
        assert status == 200, href
        assert headers["content-type"].startswith("text/css")
        assert "immutable" in headers["cache-control"]
        assert css.strip()

    status, headers, _body = get(nginx["http_port"], "/klacht/?taal=en", https)
    assert status == 301
    assert headers["location"] == f"https://{SERVER_NAME}/klacht/?taal=en"
