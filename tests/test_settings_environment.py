"""Settings read the environment; a value that does not parse stops start-up, naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def _start(settings: str, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, **env}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "name, value",
    [
        ("UPLOAD_MAX_MB", "twenty"),
        ("OTP_REQUIRED_FOR_ROLES", "perhaps"),
        ("DB_CONN_MAX_AGE", "1.5"),
        ("DATABASE_URL", "mysqlx://nowhere"),
    ],
)
def test_an_environment_value_that_does_not_parse_stops_start_up_naming_it(name, value):
    result = _start("config.settings.dev", **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_wsgi_defaults_to_the_production_settings():
    source = (BASE_DIR / "config" / "wsgi.py").read_text(encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.wsgi; from django.conf import settings; "
            "print(settings.SETTINGS_MODULE, settings.SESSION_COOKIE_SECURE)",
        ],
        cwd=BASE_DIR,
        env={
            **env,
            "SECRET_KEY": "k3J9-vQ2xL7pR8mZ4tW1yN6bC5hF0sD2aG7uE9iO3",
            "ALLOWED_HOSTS": "klachten.example.org",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "config.settings.production" in source
    assert result.stdout.split() == ["config.settings.production", "True"], result.stderr


def test_the_proxy_https_header_is_trusted_only_when_configured():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k3J9-vQ2xL7pR8mZ4tW1yN6bC5hF0sD2aG7uE9iO3",
        "ALLOWED_HOSTS": "klachten.example.org",
    }
    plain = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    named = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**env, "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert plain.stdout.strip() == "None", plain.stderr
    assert named.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", named.stderr
