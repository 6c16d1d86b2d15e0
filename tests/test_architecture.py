"""Imports point one way: demo -> reports -> scoring -> assessments -> indicators, with
accounts beside indicators and ``common`` (domain errors, parameters, admin forms) below all.

scoring.engine is a pure library at the bottom that every layer may use; it imports nothing
of the project (tests/scoring/engine/test_purity.py checks that).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("common", "accounts", "indicators", "assessments", "scoring", "reports", "demo")
# app -> project packages it must not import
FORBIDDEN = {
    "common": {"accounts", "indicators", "assessments", "scoring", "reports", "demo", "config"},
    "accounts": {"indicators", "assessments", "scoring", "reports", "demo"},
    "indicators": {"accounts", "assessments", "scoring", "reports", "demo"},
    "assessments": {"scoring", "reports", "demo"},
    "scoring": {"reports", "demo"},
    "reports": {"demo"},
    "demo": set(),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("app", APPS)
def test_app_imports_only_downwards(app):
    offending = []
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts or (app == "scoring" and "engine" in path.parts):
            continue
        for module in imported_modules(path):
            top = module.split(".")[0]
            if module.startswith("scoring.engine"):
                continue
            if top in FORBIDDEN[app]:
                offending.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not offending, offending
