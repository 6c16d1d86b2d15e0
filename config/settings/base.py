"""Settings shared by every environment. Machine-specific values come from config.env."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_path,
    env_redis_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = env_path("PORTAL_VAR_DIR", BASE_DIR / "var")

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-development-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "accounts",
    "indicators",
    "assessments",
    "scoring",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.CleanQueryMiddleware",
    "config.middleware.ApiBodyLimitMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "assessments.context_processors.role",
            ],
        },
    }
]

DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "portal.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process task runner and the web server read while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Idle sessions end after 30 minutes of inactivity, and every session after 12 hours
# (config.middleware.SessionLifetimeMiddleware), as OWASP ASVS level 2 asks.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True

# Login throttling (django-axes): after 5 wrong passwords for one user name from one
# address, that pair is locked out for 15 minutes; every failure is logged. The portal's
# login and the admin's go through the same backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_USERNAME_CALLABLE = "accounts.security.attempted_username"
# The records are shown by accounts.admin, in the portal's languages.
AXES_ENABLE_ADMIN = False
# How many reverse proxies in front of the portal append to X-Forwarded-For (0: none, the
# address of the connection is the client's).
PROXY_COUNT = env_int("PROXY_COUNT", 0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded evidence is private: it lives outside STATIC_ROOT, has no public URL and is
# served only through views that check permissions.
UPLOAD_ROOT = env_path("UPLOAD_ROOT", VAR_DIR / "uploads")
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# Images larger than this are refused before they are decoded (decompression bombs).
UPLOAD_MAX_IMAGE_PIXELS = env_int("UPLOAD_MAX_IMAGE_PIXELS", 40_000_000, minimum=10_000)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(UPLOAD_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Result exports: up to EXPORT_INLINE_ROWS rows are answered at once; larger ones are written
# by a task into this private folder (served only to the job's owner) and removed a day later.
EXPORT_ROOT = env_path("EXPORT_ROOT", VAR_DIR / "exports")
EXPORT_INLINE_ROWS = env_int("EXPORT_INLINE_ROWS", 2000)
EXPORT_MAX_ACTIVE = env_int("EXPORT_MAX_ACTIVE", 3, minimum=1)  # queued or running, per person
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Rendered PDFs (scorecards, round summaries, notices) and zipped batches of scorecards:
# private, served through views that check who may download them.
PDF_ROOT = env_path("PDF_ROOT", VAR_DIR / "pdfs")
# The portal's public address, printed in the QR codes of scorecards (pointing at /verify/).
SITE_URL = (env_str("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
# Look-ups of verification codes per client address and minute (the page is public).
VERIFY_RATE_PER_MINUTE = env_int("VERIFY_RATE_PER_MINUTE", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Celery: with REDIS_URL set, tasks go to the broker; without it they run in process so a
# newcomer's quick start needs no Redis.
REDIS_URL = env_redis_url("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
# One cache for every process (rate limits, cached summaries): Redis when there is one.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Dashboards re-rank a round whose totals changed at most this often (the beat task does it
# every minute too); in process, with small data, always.
STANDINGS_MAX_LAG_SECONDS = env_int(
    "STANDINGS_MAX_LAG_SECONDS", 0 if REDIS_URL is None else 60, minimum=0
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# Longer than the longest task, or Redis redelivers a message that is still being worked on.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 2,
}
CELERY_TASK_DEFAULT_QUEUE = "portal"
# A broker that is down must not hang a request: connecting gives up after 2 s, publishing
# retries twice within about a second, and the change stays committed (the sweep re-sends).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The sweep re-sends work whose message was lost (see scoring.services.scoring_sweep).
CELERY_BEAT_SCHEDULE = {
    "scoring-sweep": {"task": "scoring.sweep", "schedule": env_int("SCORING_SWEEP_SECONDS", 300)},
    "ranks-refresh": {"task": "scoring.ranks_refresh", "schedule": 60},
    "evidence-orphans": {"task": "assessments.evidence_orphans_sweep", "schedule": 6 * 60 * 60},
    "exports-sweep": {"task": "reports.exports_sweep", "schedule": 15 * 60},
    # Batches of scorecards that stopped moving are sent again (see reports.pdf.batches).
    "pdf-batches-sweep": {"task": "reports.pdf_batches_sweep", "schedule": 5 * 60},
    # Stored PDF files that no document refers to any more.
    "pdfs-sweep": {"task": "reports.pdfs_sweep", "schedule": 6 * 60 * 60},
    # Rank ranges of rounds whose ranking changed (see scoring.services.stability).
    "stability-refresh": {"task": "scoring.stability_refresh", "schedule": 60 * 60},
}

# The REST API (/api/v1/): tokens for machines, sessions (with CSRF) for the browser; one
# error shape (common.api.errors); throttles for anonymous and token clients.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an unauthenticated call is answered 401 with WWW-Authenticate: Bearer.
        "accounts.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "common.api.pagination.PagePagination",
    "DEFAULT_SCHEMA_CLASS": "common.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "common.api.errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "common.api.throttles.AnonymousThrottle",
        "common.api.throttles.TokenThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "30/minute"),
        "token": env_str("API_TOKEN_RATE", "1200/minute"),
    },
    # Anonymous rates count by client address, behind as many proxies as the login throttle.
    "NUM_PROXIES": PROXY_COUNT,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
# Refused API tokens from one address per minute before it gets 429 for the rest of it.
API_TOKEN_FAILURES_PER_MINUTE = env_int("API_TOKEN_FAILURES_PER_MINUTE", 20, minimum=1)
# The largest request body the API reads (a bulk import of a whole district's answers is a
# few MB; evidence files are limited by UPLOAD_MAX_BYTES); larger ones get 413.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 32 * 1024 * 1024, minimum=1024 * 1024)
SPECTACULAR_SETTINGS = {
    "TITLE": "Smart Community Assessment Portal API",
    "DESCRIPTION": (
        "Assessments of smart communities against DB37/T 3890.3-2020. Answers use the "
        'item codes and fields of the scoring rules (e.g. {"L1P8.1": {"numerator": 480, '
        '"denominator": 1000}}). Machines authenticate with `Authorization: Bearer '
        "<token>`; every error has the shape {code, message, details}."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Choice sets that several components share, named once.
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatusEnum": "assessments.choices.AssessmentStatus",
        "ItemReviewStatusEnum": "assessments.choices.ItemReviewStatus",
    },
}

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per finished task is noise; failures are still logged.
        "celery.app.trace": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO; its warnings (a missing font) stay.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

ADMINS: list[tuple[str, str]] = []

# seed_demo refuses to run where this is False (production).
DEMO_DATA_ALLOWED = True
