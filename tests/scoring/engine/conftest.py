"""Fixtures of the engine tests: the DB37/T 3890.3-2020 framework and its factory module.

The framework is built from the bundled data file (no database): see specs_factory.py.

The tests run with ``--import-mode=importlib`` and no ``__init__.py``, so a sibling module
cannot be imported by name; the factory is loaded from its path once and shared.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from scoring.engine import FrameworkSpec

_FACTORY_NAME = "engine_specs_factory"


def load_factory() -> ModuleType:
    loaded = sys.modules.get(_FACTORY_NAME)
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location(
        _FACTORY_NAME, Path(__file__).with_name("specs_factory.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[_FACTORY_NAME] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def factory() -> ModuleType:
    """tests/scoring/engine/specs_factory.py."""
    return load_factory()


@pytest.fixture(scope="session")
def db37(factory: ModuleType) -> FrameworkSpec:
    """The 24-indicator / 46-item framework of DB37/T 3890.3-2020, from its data file."""
    framework: FrameworkSpec = factory.make_db37()
    return framework
