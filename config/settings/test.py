"""Settings for the test suite: DATABASE_URL picks SQLite (default) or PostgreSQL."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="klachtroute-test-uploads-"))
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["NAME"] = ":memory:"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
# Django's live server (browser tests) wraps the site in a media handler that needs a URL
# prefix; uploads are still never served through a plain URL outside the test suite.
MEDIA_URL = "/test-media/"
PUBLIC_FORM_RATE_LIMIT = 10_000  # tests of the limit set their own
