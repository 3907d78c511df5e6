"""Settings for the courtyard self-governance portal, read from the environment.

Production values (see docs/deploy.md): DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, HTTPS=1.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.getenv(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name, default):
    return int(os.getenv(name, default))


def envlist(name, default):
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# The default key only suits a developer's machine; `check --deploy` flags it.
SECRET_KEY = os.getenv("SECRET_KEY", "django-insecure-development-key-do-not-use-in-production")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, for the project's form renderer
    "django_filters",  # the list pages' filters (portal.listing.ListFilter)
    "simple_history",
    "import_export",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",  # Django 6.0's tasks framework, backported (docs/exports.md)
    "django_tasks_db",  # its database backend: the queue is a table of this database
    "portal",
    "courtyards",
    "councils",
    "funds",
    "inspections",
    "concerns",
    "notices",
    "assessments",
    "commendations",
    "reminders",
    "portal.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.RefuseNulBytesMiddleware",
    "portal.middleware.MethodNotAllowedPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Forms render through TEMPLATES with the project's field and form templates (portal/forms.py).
FORM_RENDERER = "portal.forms.PortalFormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the report's big aggregate queries for hundreds of
    # milliseconds and never wins it back at this scale (docs/bench.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",  # object rules: <app>/rules.py
    "django.contrib.auth.backends.ModelBackend",
]
# Brute-force protection (django-axes, portal/lockout.py): five wrong passwords for one account
# from one address lock that account from that address (only) for half an hour, and twenty
# from one address over any usernames lock the address; every login and failure is logged.
# The address is the client's, as the PROXY_COUNT trusted reverse proxies in front of the
# portal report it in X-Forwarded-For (0: no proxy, REMOTE_ADDR); see docs/deploy.md.
PROXY_COUNT = envint("PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = envint("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "portal.lockout.PortalAxesHandler"
AXES_CLIENT_IP_CALLABLE = "portal.lockout.client_ip"
AXES_USERNAME_CALLABLE = "portal.lockout.attempted_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Everyone reads Simplified Chinese: no LocaleMiddleware, so an English browser still gets
# Chinese pages. Source strings are English.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "media"))
# The dashboard's figures are computed once per role and unit, and its page once per
# session, and kept until a record changes (portal/scope_cache.py). In production every
# worker on every host shares one Redis (REDIS_URL), which also holds the versions that say
# what changed; without it (development, tests) each process keeps its own, in memory.
REDIS_URL = os.getenv("REDIS_URL", "")


def _cache(name, max_entries):
    if REDIS_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": name,
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": name,
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


CACHES = {
    "default": _cache("default", 300),
    "figures": _cache("figures", 2000),
    "pages": _cache("pages", 500),
}
FIGURES_CACHE_SECONDS = envint("FIGURES_CACHE_SECONDS", 300)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Long exports run as background jobs (docs/exports.md): queued in this database, run by
# `manage.py db_worker` (`make worker`; `make run` starts one). A user's annual workbook goes to
# the background when their scope holds more courtyards than this, a list's export when it has
# more rows than BACKGROUND_EXPORT_ROWS; smaller ones are written during the request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
BACKGROUND_EXPORT_COURTYARDS = envint("BACKGROUND_EXPORT_COURTYARDS", 2000)
BACKGROUND_EXPORT_ROWS = envint("BACKGROUND_EXPORT_ROWS", 5000)
EXPORT_KEEP_DAYS = envint("EXPORT_KEEP_DAYS", 7)

# Behind HTTPS (set HTTPS=1 in production): secure cookies, redirects and HSTS.
HTTPS = envbool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-simple-history: each change records the user who made it (HistoryRequestMiddleware).
SIMPLE_HISTORY_REVERT_DISABLED = True

# django-import-export: an import is all or nothing, and needs the "add" permission.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True


def _not_a_permission_refusal(record):
    """False for django.request's record of a PermissionDenied: portal.views.permission_denied
    already logs who was refused what in one line; Django's record adds only a traceback."""
    return not (record.exc_info and isinstance(record.exc_info[1], PermissionDenied))


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "not_a_permission_refusal": {
            "()": "django.utils.log.CallbackFilter",
            "callback": _not_a_permission_refusal,
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default configuration gives "django" its own console handler under DEBUG,
        # which printed every record twice with the root's; here it only propagates to the root.
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"filters": ["not_a_permission_refusal"]},
        "django.db.backends": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},  # its start-up banner, on every command
    },
}

# Uploads: PDF and images only (checked by content, portal/uploads.py), at most this size.
MAX_UPLOAD_MB = envint("MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# E-mail: the reminders' daily digest (docs/reminders.md). SMTP where EMAIL_HOST is set;
# otherwise the messages are printed to the console (development).
EMAIL_HOST = os.getenv("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "portal@localhost")
# The portal's address as users reach it, for links in e-mails.
PORTAL_URL = os.getenv("PORTAL_URL", "http://127.0.0.1:8000")
