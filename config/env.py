"""Read configuration from the environment, once, and fail loudly on bad values.

Every setting that may differ between machines is read here and nowhere else, so
`grep env_ config/` lists the whole configuration surface.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def env_str(name: str, default: str | None = None) -> str | None:
    """A string, or ``default`` when the variable is unset or empty."""
    value = _raw(name)
    return default if value is None else value


def env_required(name: str) -> str:
    """A string that must be set (used by production settings for secrets)."""
    value = _raw(name)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of {sorted(_TRUE | _FALSE)}."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [part.strip() for part in value.split(",") if part.strip()]


def env_path(name: str, default: Path) -> Path:
    value = _raw(name)
    return Path(value).expanduser().resolve() if value else default


def env_database(name: str, default_sqlite: Path) -> dict[str, object]:
    """A Django DATABASES entry from a URL such as ``postgres://user@host:5432/db``."""
    url = _raw(name) or f"sqlite:///{default_sqlite}"
    scheme = url.split(":", 1)[0]
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name} uses the unsupported scheme {scheme!r}; use postgres:// or sqlite:///."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=0 if scheme == "sqlite" else 60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} does not name a database.")
    if scheme == "sqlite":
        _create_sqlite_folder(str(config["NAME"]), name if _raw(name) else "PORTAL_VAR_DIR")
    return dict(config)


def _create_sqlite_folder(database: str, variable: str) -> None:
    """SQLite creates its file but not the folder it lives in (``var/`` on a fresh clone)."""
    if database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ImproperlyConfigured(
            f"Cannot create {folder} for the SQLite database ({reason}); "
            f"set {variable} to a writable place."
        ) from None


def env_redis_url(name: str) -> str | None:
    url = _raw(name)
    if url is not None and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"{name}={url!r} must start with redis://, rediss:// or unix://."
        )
    return url
