"""Fixtures for the scoring app's database tests. Django is imported inside the fixtures,
so the pure engine tests below this folder collect without it."""

from __future__ import annotations

import random
from typing import Any

import pytest


@pytest.fixture
def admin(db: None) -> Any:
    from accounts.models import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def open_round(framework: Any) -> Any:
    from tests.factories import make_round

    return make_round(framework, evidence_required=False)


@pytest.fixture
def make_answered(framework: Any, spec: Any, open_round: Any, admin: Any) -> Any:
    """Make an assessment of a new community with answers saved through the service:
    generated ones of a given quality, or the ``answers`` given."""
    from assessments import services
    from demo.answers import make_answers
    from tests.factories import make_assessment, make_community

    def make(
        *,
        quality: float = 0.8,
        seed: int = 1,
        street: Any = None,
        answers: dict[str, Any] | None = None,
        round: Any = None,
    ) -> Any:
        assessment = make_assessment(
            framework, round=round or open_round, community=make_community(street)
        )
        values = (
            answers if answers is not None else make_answers(spec, quality, random.Random(seed))
        )
        services.answers_save(
            actor=admin,
            assessment=assessment,
            values=values,
        )
        assessment.refresh_from_db()
        return assessment

    return make
