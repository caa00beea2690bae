"""Settings for the portal: one module, every operator-facing value read from the environment.

``DJANGO_ENV`` picks development (the default: SQLite under ``var/``, eager Celery, mail to the
console) or production (``SECRET_KEY`` required, secure cookies, HSTS, manifest static files).
See ``docs/deployment.md`` for every variable.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import (
    EnvError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

DJANGO_ENV = env_choice("DJANGO_ENV", "development", ("development", "production"))
PRODUCTION = DJANGO_ENV == "production"
TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")

DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise EnvError("DJANGO_DEBUG must be off when DJANGO_ENV=production")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise EnvError("SECRET_KEY must be at least 50 characters with at least 5 distinct ones")
else:
    SECRET_KEY = env_str("SECRET_KEY", "development-only-not-secret-" + "x" * 40)

# Personal data encrypted at rest (presidium/crypto.py): the first key encrypts, all decrypt.
# Required in production; development and tests derive a key from SECRET_KEY.
PII_ENCRYPTION_KEYS = env_list("PII_ENCRYPTION_KEYS", [])
if PRODUCTION and not PII_ENCRYPTION_KEYS:
    raise EnvError("PII_ENCRYPTION_KEYS must hold at least one key in production (docs/deployment.md)")
for _key in PII_ENCRYPTION_KEYS:
    try:
        _raw = base64.urlsafe_b64decode(_key.encode())
    except ValueError:
        _raw = b""
    if len(_raw) != 32:
        raise EnvError("PII_ENCRYPTION_KEYS: each key is 32 random bytes in URL-safe base64 (44 characters): "
                       "python3 -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise EnvError("ALLOWED_HOSTS must list the portal's host names in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "presidium.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "presidium.apps.PresidiumConfig",
    "presidium.calendar.apps.WorkCalendarConfig",
    "presidium.notifications.apps.NotificationsConfig",
    "presidium.documents.apps.DocumentsConfig",
    "deputies.apps.DeputiesConfig",
    "proposals.apps.ProposalsConfig",
    "petitions.apps.PetitionsConfig",
    "petitions.public.apps.PetitionsPublicConfig",
    "presidium.meetings.apps.MeetingsConfig",
    "presidium.votes.apps.VotesConfig",
    "presidium.bulletins.apps.BulletinsConfig",
    "presidium.terms.apps.TermsConfig",
    "evaluations.apps.EvaluationsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "presidium.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "presidium.middleware.ScriptedUploadRedirectMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "csp.context_processors.nonce",
                "presidium.context_processors.portal",
            ],
            # {% load i18n %} loads Django's library with a {% translate %} that remembers constant
            # messages per language (presidium/templatetags/portal_i18n.py).
            "libraries": {"i18n": "presidium.templatetags.portal_i18n"},
        },
    },
]
# templates.W003 warns that "i18n" names two modules: the override above, on purpose. Any other name
# used twice fails tests/presidium/test_portal_i18n.py, which runs the same check without that one.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

# Django's renderer with <select> and <input> written in Python (a county filter form has 800 options).
FORM_RENDERER = "presidium.forms_renderer.PortalFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_url("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}", schemes=("sqlite", "postgres", "postgresql"))
        or "",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers or a worker and a web process may write at once: wait, don't fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
else:
    # PostgreSQL's JIT compiles any query its planner costs above jit_above_cost: a home page's one count query
    # over a county's suggestions spent 200 ms of 245 compiling (docs/performance.md). Short web queries never
    # win that back, so the portal's connections turn it off (reports run the same short queries).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A streaming replica of the primary (docs/deployment.md): reports and exports read from it inside
# presidium.db.reporting(); every write and every other read goes to default (config/db_router.py).
DATABASE_REPLICA_URL = env_url("DATABASE_REPLICA_URL", None, schemes=("postgres", "postgresql"))
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True)
    DATABASES["replica"]["OPTIONS"] = {"options": "-c jit=off"}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
elif TESTING:
    # The router's tests route to this mirror of the test database (tests/presidium/test_db_router.py).
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
REPORTING_DATABASE = "replica" if DATABASE_REPLICA_URL else "default"
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "presidium.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "presidium.validators.ChineseMinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: five failures lock the username from that address for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 1 if PRODUCTION else 0, minimum=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
# django-filter: an unset choice filter reads 全部 ("All"), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("全部")
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads and generated files are private: never served by nginx or whitenoise, only through
# views that check permission (presidium.views.files).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Generated documents and unconfirmed import uploads (personal data) are deleted after this many days.
DOCUMENT_RETENTION_DAYS = env_int("DOCUMENT_RETENTION_DAYS", 30, minimum=1)
# An uploaded import file is deleted when its batch is committed or discarded; one left unconfirmed is
# discarded (file deleted) this many hours after upload by the nightly purge_import_files.
IMPORT_FILE_RETENTION_HOURS = env_int("IMPORT_FILE_RETENTION_HOURS", 24, minimum=1)
# An import is checked by a document job (the preview page polls it) instead of in the request when its
# file is larger than this, or holds more rows than IMPORT_CHECK_IN_REQUEST_ROWS: the check rehearses the
# commit, which takes about 40 ms a roster row.
IMPORT_CHECK_IN_JOB_BYTES = env_int("IMPORT_CHECK_IN_JOB_BYTES", 256 * 1024, minimum=0)
IMPORT_CHECK_IN_REQUEST_ROWS = env_int("IMPORT_CHECK_IN_REQUEST_ROWS", 100, minimum=0)
# A list export of more rows than this runs as a document job with progress (presidium/documents/list_export.py);
# smaller ones download at once.
EXPORT_JOB_THRESHOLD = env_int("EXPORT_JOB_THRESHOLD", 2000, minimum=0)
# Read in-app messages, failed e-mails/SMS and finished reminders are kept this long (unread messages
# twice as long); sent e-mails/SMS for OUTBOX_RETENTION_DAYS. presidium/notifications/retention.py.
NOTIFICATION_RETENTION_DAYS = env_int("NOTIFICATION_RETENTION_DAYS", 365, minimum=30)
OUTBOX_RETENTION_DAYS = env_int("OUTBOX_RETENTION_DAYS", 90, minimum=7)
# 信访工作条例 (2022) time limits of the petitions app, in calendar days (petitions/clocks.py): tell the
# petitioner within 15 days whether the matter is accepted, finish within 60 days of acceptance, extend once
# by at most 30, review may be requested within 30 days of the written answer and is done within 30.
PETITION_ACCEPT_DAYS = env_int("PETITION_ACCEPT_DAYS", 15, minimum=1)
PETITION_COMPLETE_DAYS = env_int("PETITION_COMPLETE_DAYS", 60, minimum=1)
PETITION_EXTENSION_MAX_DAYS = env_int("PETITION_EXTENSION_MAX_DAYS", 30, minimum=1)
PETITION_REVIEW_REQUEST_DAYS = env_int("PETITION_REVIEW_REQUEST_DAYS", 30, minimum=1)
PETITION_REVIEW_DAYS = env_int("PETITION_REVIEW_DAYS", 30, minimum=1)
PETITION_RE_REVIEW_DAYS = env_int("PETITION_RE_REVIEW_DAYS", 30, minimum=1)
# A clock counted in another unit than calendar days, by kind (petitions.choices.ClockKind), e.g.
# {"acceptance": "working_days"} where a county counts 受理告知 in working days. Empty: the regulation's 日.
PETITION_CLOCK_UNITS: dict[str, str] = {}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- e-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise EnvError("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
EMAIL_TIMEOUT = 10
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # filebased backend only
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "人大工作平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env_str("SMS_BACKEND", "presidium.notifications.sms.LoggingSmsBackend")
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://localhost:8000")

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", None, schemes=("redis", "rediss"))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 10
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
    "retry_on_timeout": True,
    "health_check_interval": 30,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}

# --- security -------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
# "在本机保持登录" on the login form: a session of this many days on a device the person chose (their own
# phone); without it, SESSION_COOKIE_AGE. A password change ends either (Django's session auth hash).
REMEMBER_ME_DAYS = env_int("REMEMBER_ME_DAYS", 30, minimum=1)
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # HSTS preload lists public host names; an intranet portal has nothing to preload, and
    # preloading is a commitment for every subdomain of the parent domain. Decided: no preload.
    SECURE_HSTS_PRELOAD = False
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# --- portal ---------------------------------------------------------------------------------
PORTAL_NAME = env_str("PORTAL_NAME", "乡镇人大主席团工作平台")
