"""Production settings: secure defaults; everything else comes from the environment."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# The health check answers a monitor on plain HTTP from this machine, too.
SECURE_REDIRECT_EXEMPT = [r"^gezond/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
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
