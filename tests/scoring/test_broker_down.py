"""With the broker down, a save still succeeds: the answer is committed, the failure to
enqueue is logged, nothing hangs, and the sweep scores it once the broker is back."""

from __future__ import annotations

import logging
import socket
import time
from datetime import timedelta

import pytest

from accounts.models import Role
from assessments import services as assessment_services
from config.celery import app
from scoring import services
from scoring.models import ScoreCard
from tests.factories import UserFactory, make_assessment

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def dead_broker():
    def use(eager: bool, url: str) -> None:
        app.conf.CELERY_TASK_ALWAYS_EAGER = eager
        app.conf.CELERY_BROKER_URL = url
        app._pool = None
        app.amqp._producer_pool = None

    saved = (app.conf.CELERY_TASK_ALWAYS_EAGER, app.conf.CELERY_BROKER_URL)
    use(False, f"redis://127.0.0.1:{closed_port()}/0")
    try:
        yield
    finally:
        use(*saved)


def test_a_save_succeeds_and_the_sweep_catches_up(framework, dead_broker, caplog):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    assessment = make_assessment(framework)
    caplog.set_level(logging.ERROR, logger="scoring")
    started = time.monotonic()
    saved = assessment_services.answers_save(
        actor=admin,
        assessment=assessment,
        values={"L1P8.1": {"numerator": 480, "denominator": 1000}},
    )
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"a dead broker held the save for {elapsed:.1f} s"
    assert saved.version == 2
    assert assessment_services.current_engine_answers(assessment) == {
        "L1P8.1": {"numerator": 480, "denominator": 1000}
    }
    assert not ScoreCard.objects.filter(assessment=assessment).exists()
    assert any("could not hand" in r.getMessage() for r in caplog.records), caplog.text

    app.conf.CELERY_TASK_ALWAYS_EAGER = True  # the broker is back (tasks run here)
    assert services.scoring_sweep(grace=timedelta(0)) == {"chunks": 0, "stale": 1}
    card = ScoreCard.objects.get(assessment=assessment)
    assert card.assessment_version == 2
