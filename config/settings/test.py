"""Settings for the test suite: the database comes from DATABASE_URL (PostgreSQL in CI)."""

from config.env import env_path

from .base import *  # noqa: F403
from .base import BASE_DIR, STORAGES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
UPLOAD_ROOT = env_path("TEST_UPLOAD_ROOT", BASE_DIR / "var" / "test-uploads")
PDF_ROOT = env_path("TEST_PDF_ROOT", BASE_DIR / "var" / "test-pdfs")
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(UPLOAD_ROOT), "base_url": None},
    },
}
LOGGING = {"version": 1, "disable_existing_loggers": False}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the browser tests' server answers requests in threads, each with
    # its own connection, as the real server does.
    # TEST_SQLITE_FILE lets two suites run side by side on one checkout.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(env_path("TEST_SQLITE_FILE", BASE_DIR / "var" / "test-db.sqlite3"))
    }

# Each test process keeps its own cache; tests clear it where they count on it.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tests run tasks in process; the real-queue tests switch to the broker themselves.
CELERY_TASK_ALWAYS_EAGER = True
