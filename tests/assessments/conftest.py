"""Fixtures of the assessments tests: an assessor, an administrator, an assessment."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Role
from tests.factories import UserFactory, make_assessment


@pytest.fixture
def assessor() -> Any:
    return UserFactory(role=Role.ASSESSOR)


@pytest.fixture
def admin() -> Any:
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def assessment(framework: Any, assessor: Any) -> Any:
    return make_assessment(framework, assessors=(assessor,))
