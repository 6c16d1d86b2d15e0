"""The quick-start path on embedded defaults: a fresh SQLite file, in-process tasks."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def manage(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {"PORTAL_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in (
                "indicators_item",
                "assessments_region",
                "assessments_community",
                "assessments_assessment",
                "assessments_answer",
                "accounts_user",
            )
        }


def test_migrate_load_and_seed_on_a_fresh_sqlite_file_then_again(tmp_path):
    manage(tmp_path, "migrate", "--no-input", "-v0")
    loaded = manage(tmp_path, "load_framework").stdout
    assert "created (4 primary, 24 indicators, 46 items)" in loaded
    seeded = manage(tmp_path, "seed_demo", "--communities", "12").stdout
    for login in ("admin", "assessor1", "official_jinan", "demo-admin-2026"):
        assert login in seeded
    db = tmp_path / "portal.sqlite3"
    first = counts(db)
    assert first["indicators_item"] == 46
    assert first["assessments_community"] == 12
    assert first["assessments_region"] > 16 + 100
    assert first["assessments_answer"] > 12 * 20

    with sqlite3.connect(db) as conn:
        statuses = dict(
            conn.execute(
                "SELECT status, COUNT(*) FROM assessments_assessment GROUP BY status"
            ).fetchall()
        )
        answered = [
            n
            for (n,) in conn.execute(
                "SELECT COUNT(*) FROM assessments_answer GROUP BY assessment_id"
            )
        ]
    assert set(statuses) == {"draft", "submitted", "returned", "approved"}
    assert min(answered) < 46 and max(answered) == 46, "some partial, some complete"

    assert "unchanged" in manage(tmp_path, "load_framework").stdout
    manage(tmp_path, "seed_demo", "--communities", "12")
    assert counts(db) == first
