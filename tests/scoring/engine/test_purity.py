"""The engine is pure stdlib: no Django, no project app, no third-party package."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ENGINE = ROOT / "scoring" / "engine"
PROJECT_APPS = ("indicators", "assessments", "reports", "config", "accounts", "scoring")


def is_allowed(module: str) -> bool:
    """Stdlib modules, and the engine itself (its parent package `scoring` is only a
    namespace: importing scoring.engine runs scoring/__init__.py)."""
    top = module.split(".")[0]
    if top == "scoring":
        return module in ("scoring", "scoring.engine") or module.startswith("scoring.engine.")
    return top in sys.stdlib_module_names


def test_importing_the_engine_loads_only_stdlib_and_engine_modules() -> None:
    # Installed packages stay importable (no -S), so even a guarded `try: import django`
    # would show up; modules loaded at start-up are left out by the before/after difference.
    probe = (
        "import json, sys; before = set(sys.modules); import scoring.engine; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    loaded = json.loads(completed.stdout)
    assert "scoring.engine" in loaded
    assert not [name for name in loaded if name.split(".")[0] == "django"]
    assert not [name for name in loaded if not is_allowed(name)]


def engine_files() -> list[Path]:
    return sorted(ENGINE.rglob("*.py"))


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a file of the engine."""
    package = "scoring.engine"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            # an imported name may be a submodule (`from scoring import models`): check both
            found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call):
            callee = ast.unparse(node.func)
            if callee in ("__import__", "importlib.import_module", "import_module"):
                found.append((node.lineno, f"<dynamic import {callee}>"))
    return found


def test_engine_files_exist() -> None:
    names = {path.name for path in engine_files()}
    assert {"__init__.py", "specs.py", "rules.py", "aggregate.py"} <= names


@pytest.mark.parametrize("path", engine_files(), ids=lambda path: path.name)
def test_engine_file_imports_only_stdlib_and_the_engine(path: Path) -> None:
    bad = [(line, name) for line, name in imported_modules(path) if not is_allowed(name)]
    assert bad == [], f"{path.relative_to(ROOT)} imports {bad}"
    for _, name in imported_modules(path):
        assert name.split(".")[0] not in PROJECT_APPS or name.startswith("scoring.engine")
