"""Celery entry points. Each takes ids, calls one service and owns retries and logging.

All are idempotent (a task run twice gives the same rows) and acknowledged late, so a task
whose worker dies is delivered again rather than lost.
"""

from __future__ import annotations

import logging

from celery import shared_task

from common.tasks import ReliableTask
from scoring import services

log = logging.getLogger(__name__)


@shared_task(name="scoring.compute_many", base=ReliableTask)
def scorecards_compute_task(assessment_ids: list[int]) -> dict[str, int]:
    stats = services.scorecards_compute(assessment_ids=assessment_ids)
    return vars(stats)


@shared_task(name="scoring.rescore_chunk", base=ReliableTask)
def rescore_chunk_task(chunk_id: int) -> dict[str, int]:
    stats = services.rescore_chunk_process(chunk_id=chunk_id)
    log.info("rescore chunk %s: %s", chunk_id, vars(stats))
    return vars(stats)


@shared_task(name="scoring.sweep", base=ReliableTask)
def scoring_sweep_task() -> dict[str, int]:
    return services.scoring_sweep()


@shared_task(name="scoring.ranks_refresh", base=ReliableTask)
def ranks_refresh_task() -> list[int]:
    return services.ranks_refresh()


@shared_task(name="scoring.stability_run", base=ReliableTask)
def stability_run_task(run_id: int) -> str | None:
    run = services.stability_run_process(run_id=run_id)
    return run.status if run is not None else None


@shared_task(name="scoring.stability_refresh", base=ReliableTask)
def stability_refresh_task() -> list[int]:
    return services.stability_refresh()
