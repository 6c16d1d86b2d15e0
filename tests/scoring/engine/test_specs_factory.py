"""The engine tests' DB37/T 3890.3-2020 framework comes from the bundled data file, Django-free."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from scoring.engine import FrameworkSpec, ItemType, validate_answers

ROOT = Path(__file__).resolve().parents[3]


def test_loading_the_factory_and_building_db37_imports_no_django() -> None:
    # A fresh interpreter: this one has Django loaded by pytest-django.
    probe = "\n".join(
        (
            "import importlib.util, json, sys",
            "spec = importlib.util.spec_from_file_location('factory', sys.argv[1])",
            "module = importlib.util.module_from_spec(spec)",
            "spec.loader.exec_module(module)",
            "framework = module.make_db37()",
            "django = sorted(n for n in sys.modules if n.split('.')[0] == 'django')",
            "print(json.dumps([len(framework.items), django]))",
        )
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe, str(Path(__file__).with_name("specs_factory.py"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    items, django_modules = json.loads(completed.stdout)
    assert items == 46
    assert django_modules == []


def test_db37_is_the_parsed_data_file(factory: ModuleType, db37: FrameworkSpec) -> None:
    definition = factory.db37_definition()
    assert definition.source_file == factory.DB37_FILE.name
    assert db37.code == definition.code == "DB37/T 3890.3-2020"
    assert [item.code for item in definition.items] == list(db37.items)


def test_random_applications_use_the_record_choices_of_the_spec(
    factory: ModuleType, db37: FrameworkSpec
) -> None:
    (graded,) = [item for item in db37.items.values() if item.type is ItemType.GRADED]
    assert graded.record_choices
    rng = random.Random(3)
    seen: dict[str, set[str]] = {field: set() for field in graded.record_choices}
    for _ in range(200):
        answer = factory.random_answer(graded, rng)
        assert validate_answers(db37, {graded.code: answer}) == []
        for application in answer.get("applications", []):
            for field, choices in graded.record_choices.items():
                assert application[field] in choices
                seen[field].add(application[field])
    assert seen == {field: set(choices) for field, choices in graded.record_choices.items()}
