"""Scoring through a real Celery worker on the real Redis broker and PostgreSQL.

The worker is a separate process started here, so it sees only committed data: these
tests use transactional database access.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import Role
from assessments import services as assessment_services
from assessments.models import Answer, Community
from demo.answers import make_answers
from indicators.models import Item
from scoring import services
from scoring.engine import rank_competition, score
from scoring.models import IndicatorScore, RescoreRun, ScoreCard
from tests.factories import UserFactory, make_assessment, make_round, region_chain

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Worker:
    """A Celery worker process on the test database and the real broker."""

    def __init__(self, redis_url: str) -> None:
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DEBUG": "false",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log = ROOT / "var" / f"test-worker-{uuid.uuid4().hex[:8]}.log"

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                "portal",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{uuid.uuid4().hex}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children), as a crash would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def broker() -> Iterator[str]:
    """Send tasks to the real Redis broker (the rest of the suite runs them in process)."""
    import redis

    from config.celery import app

    url = os.environ["REDIS_URL"]
    redis.Redis.from_url(url).flushdb()

    def use(eager: bool, broker_url: str) -> None:
        # The configuration comes from Django settings under the CELERY_ namespace, so the
        # namespaced keys are the ones that win.
        app.conf.CELERY_TASK_ALWAYS_EAGER = eager
        app.conf.CELERY_BROKER_URL = broker_url
        # Forget connections to the previous broker; new ones use the new URL.
        app._pool = None
        app.amqp._producer_pool = None

    saved = (app.conf.task_always_eager, app.conf.broker_url)
    use(False, url)
    try:
        yield url
    finally:
        use(*saved)
        redis.Redis.from_url(url).flushdb()


@pytest.fixture
def workers(broker) -> Iterator[Callable[[], Worker]]:
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(broker)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def test_a_changed_answer_is_scored_by_the_worker(framework, workers):
    workers()
    admin = UserFactory(role=Role.ADMINISTRATOR)
    assessment = make_assessment(framework, round=make_round(framework))
    assessment_services.answers_save(
        actor=admin,
        assessment=assessment,
        values={
            "L1P8.1": {"numerator": 480, "denominator": 1000},
            "L1P8.2": {"baseline": 200000, "actual": 170000},
        },
    )
    wait_for(
        lambda: ScoreCard.objects.filter(assessment=assessment).exists(),
        timeout=60,
        what="the first scorecard",
    )
    assert str(ScoreCard.objects.get(assessment=assessment).total) == "3.88"

    assessment_services.answers_save(
        actor=admin,
        assessment=assessment,
        values={
            "L1P8.1": {"numerator": 600, "denominator": 1000},
        },
    )
    wait_for(
        lambda: str(ScoreCard.objects.get(assessment=assessment).total) == "4.38",
        timeout=60,
        what="the rescored total 4.38 (5 x (1 + 0.75) / 2)",
    )
    card = ScoreCard.objects.get(assessment=assessment)
    assert card.detail.items["L1P8.1"]["met"] is True


def seed_round(framework, spec, count: int):
    """A round with ``count`` fully answered assessments, written in bulk for speed."""
    round_ = make_round(framework)
    street = region_chain()
    assessment_services.communities_import(
        rows=[
            assessment_services.CommunityData(
                code=f"Q{n:05d}", name=f"社区{n}", region=street, households=100, residents=300
            )
            for n in range(count)
        ]
    )
    assessments = assessment_services.assessments_open(
        round=round_, communities=list(Community.objects.filter(region=street).order_by("code"))
    )
    items = dict(Item.objects.filter(framework=framework).values_list("code", "pk"))
    answers = {
        a.pk: make_answers(spec, (n * 0.618) % 1, random.Random(n))
        for n, a in enumerate(assessments)
    }
    Answer.objects.bulk_create(
        (
            Answer(
                assessment_id=pk,
                item_id=items[code],
                value=None if value == {"na": True} else value,
                not_applicable=value == {"na": True},
            )
            for pk, values in answers.items()
            for code, value in values.items()
        ),
        batch_size=5_000,
    )
    return round_, answers


def test_a_worker_killed_mid_round_leaves_a_round_that_rerunning_finishes(framework, spec, workers):
    count = 2_000
    round_, answers = seed_round(framework, spec, count)
    first = workers()
    run = services.round_rescore_start(round=round_, chunk_size=20)
    assert run.chunks_total == 100

    def done() -> int:
        return RescoreRun.objects.get(pk=run.pk).chunks_done

    wait_for(lambda: done() >= 3, timeout=90, what="the worker to finish some chunks")
    first.kill()
    after_kill = RescoreRun.objects.get(pk=run.pk)
    assert after_kill.status == "running"
    assert 3 <= after_kill.chunks_done < after_kill.chunks_total
    # A chunk is scored and marked done in one transaction: nothing half-written.
    scored = ScoreCard.objects.filter(round=round_).count()
    assert IndicatorScore.objects.filter(scorecard__round=round_).count() == 24 * scored

    workers()
    again = services.round_rescore_start(round=round_, chunk_size=20)
    assert again.pk == run.pk, "starting again picks up the unfinished run"
    wait_for(
        lambda: RescoreRun.objects.get(pk=run.pk).status == "finished",
        timeout=180,
        what="the round to finish after the restart",
    )

    cards = {c.assessment_id: c for c in ScoreCard.objects.filter(round=round_)}
    assert len(cards) == count
    assert IndicatorScore.objects.filter(scorecard__round=round_).count() == 24 * count
    for assessment_id, values in answers.items():
        assert cards[assessment_id].total == score(spec, values).total_rounded
    expected_ranks = rank_competition((pk, c.total) for pk, c in cards.items())
    assert {pk: c.rank for pk, c in cards.items()} == expected_ranks
    assert RescoreRun.objects.filter(round=round_).count() == 1
