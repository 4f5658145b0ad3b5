"""Kadans settings, read from the environment (twelve-factor) with safe defaults.

Development needs no variables at all: SQLite in ./data, a secret key generated once and kept in
./data/secret_key, DEBUG on. Production sets DEBUG=0, DATABASE_URL (PostgreSQL), SECRET_KEY and
ALLOWED_HOSTS; see README.md.
"""

import os
import secrets
import urllib.parse
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER from `Header-Name` (its value then `https`) or `Header-Name=value`; empty:
    None, no header is trusted."""
    name, _sep, expected = value.strip().partition("=")
    if not name:
        return None
    if not all(c.isalnum() or c == "-" for c in name):
        raise ImproperlyConfigured(f"SECURE_PROXY_SSL_HEADER must be a header name such as X-Forwarded-Proto, "
                                   f"optionally =value, got {value!r}")
    return "HTTP_" + name.upper().replace("-", "_"), expected.strip() or "https"


DATA_DIR = Path(env_str("KADANS_DATA_DIR", str(BASE_DIR / "data")))
DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise generate one on first run and keep it in the data folder.

    A fixed key in the source would let anyone forge sessions, so there is none, in production either.
    """
    if key := env_str("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "axes",
    "csp",
    "kadans.core",
    "kadans.accounts",
    "kadans.relations",
    "kadans.activities",
    "kadans.calendars",
    "kadans.reports",
    "kadans.api",
    "kadans.web",
    "kadans.bench",
    "kadans.documents",
    "kadans.notifications",
    "kadans.integrations",
    "kadans.ops",
    "kadans.planner",
    "kadans.caldav",  # calendar sync: the CalDAV server (an entry point, like the API)
    # audit trail and personal data (README "Audit trail and personal data")
    "auditlog",
    "kadans.audit",
    "kadans.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "kadans.audit.middleware.AuditActorMiddleware",  # who made a change, also for API tokens
    "kadans.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # last: turns a login refused by django-axes into the lockout page (see "Security and accounts")
    "axes.middleware.AxesMiddleware",
]
# The benchmark server reports each request's SQL query count in an X-Kadans-Queries header; never in
# production (kadans.bench.middleware).
if env_bool("KADANS_QUERY_COUNT_HEADER", False):
    MIDDLEWARE.insert(0, "kadans.bench.middleware.QueryCountMiddleware")

ROOT_URLCONF = "kadans.urls"
WSGI_APPLICATION = "kadans.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "csp.context_processors.nonce",
            ],
        },
    },
    {
        # the partials repeated many times per page: list rows and a relation's timeline
        # (kadans/web/jinja2.py); looked up in each app's jinja2/ folder
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "kadans.web.jinja2.environment"},
    },
]

# Database: DATABASE_URL, else a SQLite file in the data folder. SQLite runs in WAL mode with a busy
# timeout (kadans.core.db) so that several people can write at once without "database is locked".
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'kadans.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept like PostgreSQL's (CONN_MAX_AGE): a new SQLite connection starts with an empty
    # page cache and parses the schema again, which cost more than most queries of a page (bench: my
    # activities and the relation page ran their queries twice as fast on a kept connection).
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so two writers queue on the
        # busy timeout instead of failing with "database is locked" halfway through.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # mmap: pages are read from the operating system's cache without a copy and a system call each
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA mmap_size=1073741824;",
    }
    # Tests use a file too, not Django's shared in-memory database: its table locks ignore the busy
    # timeout, and the concurrency tests need the same locking as production.
    DATABASES["default"]["TEST"] = {
        "NAME": env_str("KADANS_TEST_SQLITE", str(DATA_DIR / f"test-kadans-{os.getpid()}.sqlite3"))
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "nl")
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kadans" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "media/"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kadans@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security and accounts (README, "Security and accounts") ---------------------------------------
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    # The TLS-terminating proxy says a request came over HTTPS in this header; it must set it on every
    # request, replacing any the client sent (README, Production). Empty when nothing sits in front.
    SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env_str("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto"))
    SECURE_CONTENT_TYPE_NOSNIFF = True
# Off by default: both need TLS in front (the proxy sets X-Forwarded-Proto), and HSTS cannot be taken
# back from browsers that saw it before it expires.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# Content-Security-Policy (django-csp): scripts only from our own static files, or inline with the
# request's nonce. Styles allow 'unsafe-inline': templates colour type dots with style attributes and
# FullCalendar and htmx insert <style> elements. data: images are Pico's SVG icons in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF, "data:"],  # FullCalendar's icon font is a data: URL in its CSS
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
    },
}

# Login throttling (django-axes): after KADANS_LOGIN_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is refused for KADANS_LOGIN_COOLOFF_MINUTES; failures older than that are
# forgotten, and a successful login clears them. The API's tokens never pass through here.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("KADANS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KADANS_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kadans.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "kadans.accounts.client_ip.client_ip"
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's address: name the header it sets
# (e.g. X-Forwarded-For) and how many proxies append to it. Empty: the connection's own address. Never
# set it without a proxy that overwrites the header, or clients choose their own address.
KADANS_TRUSTED_PROXY_HEADER = env_str("KADANS_TRUSTED_PROXY_HEADER")
KADANS_TRUSTED_PROXY_COUNT = env_int("KADANS_TRUSTED_PROXY_COUNT", 1)
if AXES_FAILURE_LIMIT < 1 or KADANS_TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("KADANS_LOGIN_FAILURE_LIMIT and KADANS_TRUSTED_PROXY_COUNT must be at least 1")

# Password reset links (Django's own views) stay valid this long.
PASSWORD_RESET_TIMEOUT = env_int("KADANS_PASSWORD_RESET_TIMEOUT", 60 * 60 * 24)
# -----------------------------------------------------------------------------------------------------

# Background work (e-mail, reminders, webhooks) runs on the Django Tasks API (the django-tasks backport
# of Django 6's django.tasks) with its database backend: `manage.py db_worker` runs the worker.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Documents (kadans.documents): uploads on activities, public upload and signing links.
KADANS_UPLOAD_MAX_BYTES = env_int("KADANS_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
KADANS_UPLOAD_EXTENSIONS = env_list("KADANS_UPLOAD_EXTENSIONS", "pdf,png,jpg,jpeg,docx,xlsx,txt")
KADANS_LINK_VALID_DAYS = env_int("KADANS_LINK_VALID_DAYS", 14)
# Links in e-mails sent without a request (reminders, digests) start with this.
KADANS_BASE_URL = env_str("KADANS_BASE_URL", "http://127.0.0.1:8000")
# The daily digest goes out from this hour on, in each user's time zone (kadans_schedule).
KADANS_DIGEST_HOUR = env_int("KADANS_DIGEST_HOUR", 7)

# Week planner (kadans.planner; README, "Plan my week").
# Average speed over straight-line (haversine) distance, in km/h: travel time between two stops.
KADANS_PLANNER_SPEED_KMH = env_int("KADANS_PLANNER_SPEED_KMH", 50)
# At most this many visits a day; relations due up to this many days after the week are planned too.
KADANS_PLANNER_MAX_VISITS_PER_DAY = env_int("KADANS_PLANNER_MAX_VISITS_PER_DAY", 8)
KADANS_PLANNER_NEARLY_DUE_DAYS = env_int("KADANS_PLANNER_NEARLY_DUE_DAYS", 7)
# Travel assumed to and from a relation without coordinates, in minutes.
KADANS_PLANNER_UNKNOWN_TRAVEL_MINUTES = env_int("KADANS_PLANNER_UNKNOWN_TRAVEL_MINUTES", 20)
# The map's tiles ({s}, {z}, {x}, {y} as Leaflet takes them) and their attribution.
KADANS_PLANNER_TILE_URL = env_str("KADANS_PLANNER_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
KADANS_PLANNER_TILE_ATTRIBUTION = env_str(
    "KADANS_PLANNER_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)
# Optional geocoder: the dotted path of a callable(relation) -> (latitude, longitude) or None, used by
# `manage.py geocode_relations` only. None: no geocoding service is ever called.
KADANS_PLANNER_GEOCODER = env_str("KADANS_PLANNER_GEOCODER", "") or None
# The map's tiles come from the tile server: its origin is allowed as an image source ({s}: any subdomain).
_tiles = urllib.parse.urlsplit(KADANS_PLANNER_TILE_URL.replace("{s}", "*"))
if _tiles.scheme in ("http", "https") and _tiles.netloc:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")

# Audit trail (kadans.audit): django-auditlog's entries, with the relation each change belongs to
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
