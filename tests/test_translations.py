"""Every string the UI shows has a Simplified Chinese translation, and none is stale."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = Path("locale", "zh_Hans", "LC_MESSAGES", "django.po")
SOURCES = (
    "accounts",
    "assessments",
    "common",
    "config",
    "demo",
    "indicators",
    "reports",
    "scoring",
    "templates",
    "locale",
    "manage.py",
)


def po_statistics(po: Path) -> str:
    """msgfmt's verdict, e.g. "228 translated messages." (it names untranslated and fuzzy
    messages when there are any)."""
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_the_committed_translations_are_complete_and_valid():
    stats = po_statistics(ROOT / PO)
    assert "translated" in stats
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


def test_every_message_of_the_current_sources_is_translated(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v0"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert result.returncode == 0, result.stderr
    stats = po_statistics(tmp_path / PO)
    assert "untranslated" not in stats and "fuzzy" not in stats, (
        f"{stats.strip()}: run makemessages -l zh_Hans and translate the new strings"
    )
