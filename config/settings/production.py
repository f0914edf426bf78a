"""Production settings: secure defaults; everything else comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _refuse(variable: str, problem: str) -> None:
    raise ImproperlyConfigured(f"{variable}: {problem} (config.settings.production)")


# Production refuses the unsafe defaults rather than starting with them.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY:  # noqa: F405
    _refuse("SECRET_KEY", "set a long random key of your own, not the development key")
if len(SECRET_KEY) < 32 or len(set(SECRET_KEY)) < 5:
    _refuse("SECRET_KEY", "too short or too simple; use at least 32 random characters")
if env_bool("DEBUG", False):  # noqa: F405
    _refuse("DEBUG", "debug mode shows settings and personal data on error pages; unset it")
DEBUG = False
if not os.environ.get("ALLOWED_HOSTS", "").strip(",\t "):
    _refuse("ALLOWED_HOSTS", "name the host names the site answers to, comma-separated")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Trust a proxy's "this came in over HTTPS" header only when the operator names it (for
# example SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO): a header anyone can send must
# not make a plain request count as secure.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"].strip(), "https")
# The health check answers a monitor on plain HTTP from this machine, too.
SECURE_REDIRECT_EXEMPT = [r"^gezond/$"]
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
OTP_REQUIRED_FOR_ROLES = env_bool("OTP_REQUIRED_FOR_ROLES", True)  # noqa: F405
# `collectstatic` writes every file with a hash in its name; WhiteNoise serves those with a
# cache lifetime of a year (compression is left to the reverse proxy: WhiteNoise's own
# Brotli pass over the API documentation's scripts takes minutes).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# Static files straight from the WSGI process (WhiteNoise), right after SecurityMiddleware.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
