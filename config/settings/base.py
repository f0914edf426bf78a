"""Settings shared by every environment; everything that differs is read from the environment."""

import hashlib
import hmac
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("KLACHTROUTE_VAR_DIR", BASE_DIR / "var"))


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting; a value that is neither stops start-up naming the variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise ImproperlyConfigured(
            f"{name}={value!r}: expected one of 1/0, true/false, yes/no, on/off"
        )
    return word in TRUE_WORDS


def env_int(name: str, default: int) -> int:
    """A whole-number setting; a value that is not stops start-up naming the variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from None


DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"  # noqa: S105 (refused in production)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
# The key of the history's hash chain. Never stored in the database; by default derived
# from SECRET_KEY (then changing SECRET_KEY breaks every chain: set HISTORY_KEY of its own
# in production and keep it as carefully as the backups).
HISTORY_KEY = (
    os.environ.get("HISTORY_KEY")
    or hmac.new(SECRET_KEY.encode(), b"klachtroute.history-chain", hashlib.sha256).hexdigest()
)
# Signed checkpoints of every complaint's event count and chain head, outside the database,
# written by watch_deadlines and verify_history: a removed last event shows.
HISTORY_CHECKPOINT_FILE = Path(
    os.environ.get("HISTORY_CHECKPOINT_FILE", VAR_DIR / "history-checkpoint.json")
)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# watch_deadlines verifies every history and moves the checkpoint at most this often (a
# full walk of a large archive takes a minute); verify_history always does.
HISTORY_VERIFY_EVERY_MINUTES = int(os.environ.get("HISTORY_VERIFY_EVERY_MINUTES", "60"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "klachtroute.accounts",
    "klachtroute.organisation",
    "klachtroute.procedures",
    "klachtroute.cases",
    "klachtroute.links",
    "klachtroute.measures",
    "klachtroute.privacy",
    "klachtroute.intake",
    "klachtroute.notifications",
    "klachtroute.letters",
    "klachtroute.portal",
    "klachtroute.reports",
    "klachtroute.api",
    "klachtroute.operations",
    # After the notifications app: its `db_worker` (recovering mail of dead workers) wins.
    "django_tasks",
    "klachtroute.operations.library_apps.TasksConfig",  # django_tasks_db, under a Dutch name
    "klachtroute.operations.library_apps.AxesConfig",  # axes, under a Dutch name
    "django_otp",
    "klachtroute.operations.library_apps.TotpConfig",  # otp_totp, under a Dutch name
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.PersonalDataNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "klachtroute.accounts.middleware.TwoFactorGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "klachtroute.organisation.context_processors.organisation",
            ],
        },
    },
]

# Django's renderer, with the plain inputs and text areas written without a template each.
FORM_RENDERER = "config.form_renderer.FormRenderer"

try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'klachtroute.sqlite3'}",
            conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Let concurrent writers (web and worker) wait for each other instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "klachtroute.portal.views.csrf_failure"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:worklist"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login security. django-axes checks every login first and refuses a locked-out
# username from the same address, whatever the password; the API (bearer tokens) is not behind it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend; a session's person is read with whether they have a confirmed
    # authenticator app, which the two-factor gate asks on every page.
    "klachtroute.accounts.backends.SessionUserBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_TIME", 15))  # minutes
# Per username and address; and per username from all addresses with a higher limit
# (klachtroute/accounts/lockout.py).
AXES_USERNAME_FAILURE_LIMIT = env_int("AXES_USERNAME_FAILURE_LIMIT", 20)
AXES_LOCKOUT_PARAMETERS = "klachtroute.accounts.lockout.lockout_parameters"
AXES_LOCKOUT_CALLABLE = "klachtroute.accounts.views.lockout"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Two-factor login (TOTP): roles that must use it; off unless the environment turns it on.
OTP_REQUIRED_FOR_ROLES = env_bool("OTP_REQUIRED_FOR_ROLES", False)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Klachtroute")
# Sessions end after SESSION_COOKIE_AGE seconds (default 8 hours) and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))

# Uploads live outside the web root and are only served through a permission check.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "uploads"))
MEDIA_URL = None
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20) * 1024 * 1024
# The trainers' review shows complaints per trainer, course and month only where at least
# this many share them; fewer are merged into a quarter or the whole period, or left out.
TRAINERS_REVIEW_MIN_GROUP = env_int("TRAINERS_REVIEW_MIN_GROUP", 3)
# Quotas: all documents of one complaint together, and what the complainant's private
# link may upload in one hour.
UPLOAD_COMPLAINT_MAX_BYTES = env_int("UPLOAD_COMPLAINT_MAX_MB", 200) * 1024 * 1024
UPLOAD_COMPLAINT_MAX_FILES = env_int("UPLOAD_COMPLAINT_MAX_FILES", 100)
UPLOAD_LINK_MAX_FILES_PER_HOUR = env_int("UPLOAD_LINK_MAX_FILES_PER_HOUR", 10)
UPLOAD_LINK_MAX_BYTES_PER_HOUR = env_int("UPLOAD_LINK_MAX_MB_PER_HOUR", 50) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Mail: the outbox is delivered by the worker through this backend.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = Path(os.environ.get("MAIL_DIR", VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "klachten@example.org")

OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_BACKOFF_SECONDS = env_int("OUTBOX_BACKOFF_SECONDS", 60)

# The public complaint form: at most this many posts per client address per window.
# Counts live in the cache below; the default (LocMemCache) is per process, so with several
# web processes use a shared one, e.g. CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache
# with CACHE_LOCATION=klachtroute_cache (and `manage.py createcachetable`).
PUBLIC_FORM_RATE_LIMIT = env_int("PUBLIC_FORM_RATE_LIMIT", 5)
PUBLIC_FORM_RATE_WINDOW = env_int("PUBLIC_FORM_RATE_WINDOW", 3600)
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", ""),
    }
}

# Headers. config.middleware sets the Content Security Policy; the rest is
# Django's SecurityMiddleware, clickjacking middleware and cookie settings.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
# Django's admin (/beheer/) works under the same policy: its templates have no inline code.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # the private-link pages set strict-origin themselves
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads the token: every form carries it
CSRF_COOKIE_SAMESITE = "Lax"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The public address used in links sent by e-mail.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No private-link token in any log: the development server logs every request line.
    "filters": {"link_tokens": {"()": "config.logfilters.PrivateLinkTokenFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["link_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["link_tokens"],
        },
    },
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Django's own handlers (an error names its path) give way to the filtered root.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The complaint mailbox (IMAP). The worker (`manage.py db_worker`) fetches it every
# MAIL_FETCH_INTERVAL seconds (0: never; `manage.py fetch_mail` from cron then) and turns new
# messages into mail waiting for the secretariat; a handled message gets the keyword
# IMAP_HANDLED_FLAG on the server.
MAIL_FETCH_INTERVAL = env_int("MAIL_FETCH_INTERVAL", 120)
IMAP_HOST = os.environ.get("IMAP_HOST", "")
IMAP_PORT = env_int("IMAP_PORT", 993)
IMAP_SECURITY = os.environ.get("IMAP_SECURITY", "tls")  # tls | starttls | none (loopback only)
IMAP_USER = os.environ.get("IMAP_USER", "")
IMAP_PASSWORD = os.environ.get("IMAP_PASSWORD", "")
IMAP_FOLDER = os.environ.get("IMAP_FOLDER", "INBOX")
IMAP_HANDLED_FLAG = os.environ.get("IMAP_HANDLED_FLAG", "$KlachtrouteVerwerkt")
IMAP_CA_FILE = os.environ.get("IMAP_CA_FILE", "")
IMAP_TIMEOUT = env_int("IMAP_TIMEOUT", 30)
