"""gunicorn settings for Klachtroute (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # PDF dossiers can take a while
graceful_timeout = 30
max_requests = 1000
max_requests_jitter = 100
# No access log here: the reverse proxy keeps one, with private links (/p/...) left out.
accesslog = None
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
