"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

# A WSGI server is the production path; development uses `manage.py runserver` (bin/run-dev).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
