"""Kadans settings, read from the environment (twelve-factor) with safe defaults.

Development needs no variables at all: SQLite in ./data, a secret key generated once and kept in
./data/secret_key, DEBUG on. Production sets DEBUG=0, DATABASE_URL (PostgreSQL), SECRET_KEY and
ALLOWED_HOSTS; see README.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
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
    # audit trail and personal data (README "Audit trail and personal data")
    "auditlog",
    "kadans.audit",
    "kadans.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True

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

# Audit trail (kadans.audit): django-auditlog's entries, with the relation each change belongs to
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
