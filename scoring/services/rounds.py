"""Whole-round rescoring in chunks tracked in the database, and the sweep that re-sends
work a lost message left behind."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import DatabaseError, InterfaceError, connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from assessments.models import Assessment, Round
from scoring.models import (
    IndicatorScore,
    RankRange,
    RescoreChunk,
    RescoreRun,
    ScoreCard,
    ScoreDetail,
    StabilityRun,
)
from scoring.services.compute import ComputeStats, scorecards_compute
from scoring.services.ranks import ranks_refresh

log = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 500
# Work younger than this is left to the message already sent for it.
SWEEP_GRACE = timedelta(minutes=5)


def enqueue(task: Any, *args: object) -> bool:
    """Hand work to the queue after a commit. When that fails (the broker cannot be reached,
    or, without a broker, the work itself failed), log it and return False: the change is
    committed either way, and the sweep sends the work again later."""
    try:
        task.delay(*args)
    except Exception:
        log.exception("could not hand %s%r to the queue; the sweep will retry it", task.name, args)
        return False
    return True


def _enqueue_chunks(chunk_ids: list[int]) -> None:
    from scoring.tasks import rescore_chunk_task

    for chunk_id in chunk_ids:
        if not enqueue(rescore_chunk_task, chunk_id):
            return  # the broker is down: the sweep re-sends the rest


def assessments_score_later(assessment_ids: Sequence[int]) -> None:
    """Send changed assessments to be scored, in chunks (one message per chunk)."""
    from scoring.tasks import scorecards_compute_task

    ids = list(assessment_ids)
    for start in range(0, len(ids), DEFAULT_CHUNK_SIZE):
        if not enqueue(scorecards_compute_task, ids[start : start + DEFAULT_CHUNK_SIZE]):
            return


@transaction.atomic
def round_rescore_start(*, round: Round, chunk_size: int = DEFAULT_CHUNK_SIZE) -> RescoreRun:
    """Start rescoring a round, or pick up the run already under way and re-send its
    unfinished chunks (so starting again finishes a run a killed worker left behind)."""
    run = (
        RescoreRun.objects.select_for_update()
        .filter(round=round, status=RescoreRun.Status.RUNNING)
        .first()
    )
    if run is None:
        ids = list(round.assessments.order_by("pk").values_list("pk", flat=True))
        chunks = [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]
        run = RescoreRun.objects.create(
            round=round, chunks_total=len(chunks), assessments_total=len(ids)
        )
        RescoreChunk.objects.bulk_create(
            RescoreChunk(run=run, index=n, assessment_ids=chunk) for n, chunk in enumerate(chunks)
        )
        if not chunks:
            _finish(run)
            return run
    pending = list(run.chunks.filter(done_at__isnull=True).values_list("pk", flat=True))
    transaction.on_commit(lambda: _enqueue_chunks(pending))
    return run


def rescore_chunk_process(*, chunk_id: int) -> ComputeStats:
    """Score one chunk and mark it done in one transaction; the last chunk finishes the
    run. A chunk that fails for a reason other than the database (a bad grade band, a
    rule error) marks its run failed with the reason, so the run never stays "running"."""
    try:
        return _process_chunk(chunk_id)
    except (DatabaseError, InterfaceError):
        raise  # transient: the task retries
    except Exception as exc:
        _fail(chunk_id, exc)
        return ComputeStats()


@transaction.atomic
def _process_chunk(chunk_id: int) -> ComputeStats:
    chunk = RescoreChunk.objects.select_for_update().filter(pk=chunk_id).first()
    if chunk is None:  # the run was deleted (e.g. with its round) after the task was sent
        log.warning("rescore chunk %s no longer exists", chunk_id)
        return ComputeStats()
    if chunk.done_at is not None or chunk.run.status != RescoreRun.Status.RUNNING:
        return ComputeStats()
    if connection.vendor == "postgresql":
        # Scores are derived data: should the server crash before this commit reaches the
        # disk, the chunk is lost together with its done mark and is simply scored again.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    stats = scorecards_compute(assessment_ids=chunk.assessment_ids)
    chunk.done_at = timezone.now()
    chunk.save(update_fields=["done_at"])
    RescoreRun.objects.filter(pk=chunk.run_id).update(chunks_done=F("chunks_done") + 1)
    run = RescoreRun.objects.select_for_update().get(pk=chunk.run_id)
    if run.chunks_done == run.chunks_total and run.status == RescoreRun.Status.RUNNING:
        _finish(run)
    return stats


@transaction.atomic
def _fail(chunk_id: int, exc: Exception) -> None:
    run_id = RescoreChunk.objects.filter(pk=chunk_id).values_list("run_id", flat=True).first()
    if run_id is None:
        return
    reason = f"chunk {chunk_id}: {type(exc).__name__}: {exc}"[:2000]
    RescoreRun.objects.filter(pk=run_id, status=RescoreRun.Status.RUNNING).update(
        status=RescoreRun.Status.FAILED, finished_at=timezone.now(), error=reason
    )
    log.error("round rescore %s failed: %s", run_id, reason, exc_info=exc)


def _finish(run: RescoreRun) -> None:
    ranks_refresh(round_ids=[run.round_id])
    run.status = RescoreRun.Status.FINISHED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])


def round_scores_delete(*, round_id: int) -> None:
    """Delete a round's scores with one statement per table, without loading them (the
    round is being deleted)."""
    for queryset in (
        RankRange.objects.filter(run__round_id=round_id),
        StabilityRun.objects.filter(round_id=round_id),
        IndicatorScore.objects.filter(round_id=round_id),
        ScoreDetail.objects.filter(scorecard__round_id=round_id),
        ScoreCard.objects.filter(round_id=round_id),
        RescoreChunk.objects.filter(run__round_id=round_id),
        RescoreRun.objects.filter(round_id=round_id),
    ):
        queryset._raw_delete(queryset.db)


def stale_assessment_ids(*, older_than: timedelta = timedelta(0), limit: int = 5_000) -> list[int]:
    """Assessments changed since their scorecard was computed (or never scored), and not
    changed within ``older_than``, whose task is probably still on its way."""
    scored = ScoreCard.objects.filter(assessment_id=OuterRef("pk")).values("assessment_version")
    return list(
        Assessment.objects.annotate(scored_version=Subquery(scored))
        .filter(Q(scored_version__isnull=True) | Q(version__gt=F("scored_version")))
        .filter(updated_at__lte=timezone.now() - older_than)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def scoring_sweep(*, grace: timedelta = SWEEP_GRACE) -> dict[str, int]:
    """Re-send the work a lost message left behind: unfinished chunks of rescores started
    more than ``grace`` ago, and assessments whose scorecard is older than their last change
    (changed more than ``grace`` ago). Re-sending work that was not lost costs only time."""
    pending = list(
        RescoreChunk.objects.filter(
            run__status=RescoreRun.Status.RUNNING,
            run__started_at__lte=timezone.now() - grace,
            done_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    _enqueue_chunks(pending)
    stale = stale_assessment_ids(older_than=grace)
    assessments_score_later(stale)
    log.info("scoring sweep: %d chunks, %d stale assessments re-sent", len(pending), len(stale))
    return {"chunks": len(pending), "stale": len(stale)}
