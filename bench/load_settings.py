"""The load benchmark's server (`bench/load.py`): the production settings, with the two bare
views of `bench/load_urls.py` beside the application, over plain HTTP on 127.0.0.1. The
public form's limit per address is lifted (every client comes from 127.0.0.1), mail goes
nowhere, and the static files are served unhashed (no `collectstatic` needed)."""

import warnings

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
PUBLIC_FORM_RATE_LIMIT = 10**9
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise stays in (as in production) but has nothing collected to serve here.
warnings.filterwarnings("ignore", message="No directory at")
