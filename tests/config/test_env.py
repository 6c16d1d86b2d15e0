"""Settings come from the environment and fail loudly on bad values."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("Off", False), ("false", False)]
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env.env_bool("X_FLAG", not expected) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env.env_bool("X_FLAG", False)


def test_env_int_refuses_text_and_too_small(monkeypatch):
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env.env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "5")
    with pytest.raises(ImproperlyConfigured, match="at least 60"):
        env.env_int("X_INT", 100, minimum=60)


def test_database_defaults_to_a_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("X_DB", raising=False)
    config = env.env_database("X_DB", tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(str(config["NAME"])) == tmp_path / "db.sqlite3"


def test_database_url_for_postgres(monkeypatch, tmp_path):
    monkeypatch.setenv("X_DB", "postgres://portal:pw@db.internal:5432/portal")
    config = env.env_database("X_DB", tmp_path / "x")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["NAME"], config["PORT"]) == ("db.internal", "portal", 5432)


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host:5432/", "nonsense"])
def test_unsupported_or_incomplete_database_urls_fail(monkeypatch, tmp_path, url):
    monkeypatch.setenv("X_DB", url)
    with pytest.raises(ImproperlyConfigured, match="X_DB"):
        env.env_database("X_DB", tmp_path / "x")


def test_redis_url_must_be_a_redis_url(monkeypatch):
    monkeypatch.setenv("X_REDIS", "http://localhost:6379")
    with pytest.raises(ImproperlyConfigured, match="X_REDIS"):
        env.env_redis_url("X_REDIS")
    monkeypatch.delenv("X_REDIS")
    assert env.env_redis_url("X_REDIS") is None


def test_required_values_must_be_set(monkeypatch):
    monkeypatch.setenv("X_SECRET", "  ")
    with pytest.raises(ImproperlyConfigured, match="X_SECRET"):
        env.env_required("X_SECRET")


def test_the_sqlite_folder_is_created(monkeypatch, tmp_path):
    monkeypatch.delenv("X_DB", raising=False)
    env.env_database("X_DB", tmp_path / "var" / "portal.sqlite3")
    assert (tmp_path / "var").is_dir()
    monkeypatch.setenv("X_DB", f"sqlite:///{tmp_path}/other/db.sqlite3")
    env.env_database("X_DB", tmp_path / "unused" / "portal.sqlite3")
    assert (tmp_path / "other").is_dir()
    assert not (tmp_path / "unused").exists()


def test_an_in_memory_sqlite_database_needs_no_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("X_DB", "sqlite://:memory:")
    assert env.env_database("X_DB", tmp_path / "unused" / "x")["NAME"] == ":memory:"
    assert not (tmp_path / "unused").exists()


def test_a_sqlite_folder_that_cannot_be_created_names_the_variable(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.delenv("X_DB", raising=False)
    with pytest.raises(ImproperlyConfigured, match=r"Cannot create .*a-file.*PORTAL_VAR_DIR"):
        env.env_database("X_DB", blocker / "var" / "portal.sqlite3")
    monkeypatch.setenv("X_DB", f"sqlite:///{blocker}/var/portal.sqlite3")
    with pytest.raises(ImproperlyConfigured, match="set X_DB to a writable place"):
        env.env_database("X_DB", tmp_path / "x")
