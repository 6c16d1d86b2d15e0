"""Ranking stability: how far a round's ranks move when the indicator weights move.

A run recomputes the ranks of every scorecard of a round under many random perturbations
of the weights (scoring.rank_ranges says exactly how) and stores, per scorecard, the range
of ranks it took in most draws (RankRange), overall and within its city, district and peer
group. Officials read it to tell rank differences that mean something from those that a
slightly different weighting would reverse.

A run is started (``stability_run_start``), then computed by a task
(``stability_run_process``; with 1,000 draws about 1 s for 10,000 scorecards and 20 s for
100,000, on two cores). A round has at most one run under way; the periodic
``stability_refresh`` starts one for every round whose ranking changed since its last
finished run.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from itertools import chain

import numpy as np
from django.db import DatabaseError, InterfaceError, connection, transaction
from django.db.models import Exists, F, IntegerField, OuterRef
from django.db.models.functions import Cast, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Round as AssessmentRound
from common.errors import ConflictError, Problem, ValidationFailed
from scoring.models import IndicatorScore, RankRange, RankState, ScoreCard, StabilityRun
from scoring.rank_ranges import OVERALL, Range, Standings, rank_ranges, weight_offsets
from scoring.services.ranks import ranks_refresh
from scoring.services.rounds import enqueue

log = logging.getLogger(__name__)

DEFAULT_DRAWS = 1_000
DEFAULT_SPREAD = Decimal("0.2")
MIN_DRAWS, MAX_DRAWS = 100, 5_000
MIN_SPREAD, MAX_SPREAD = Decimal("0.05"), Decimal("0.5")
# A run still under way after this long was lost (its worker died, or its message): it is
# marked failed so that a new one can start. Longer than the task's hard time limit.
RUN_TIMEOUT = timedelta(hours=1)
# RankRange field prefixes by level of scoring.rank_ranges.
LEVEL_FIELDS = {OVERALL: "overall", "city": "city", "district": "district", "peer": "peer"}
WRITE_BATCH = 2_000
READ_CHUNK = 20_000


def stability_run_start(
    *,
    round: AssessmentRound,
    draws: int = DEFAULT_DRAWS,
    spread: Decimal | float = DEFAULT_SPREAD,
    seed: int | None = None,
    enqueue_task: bool = True,
) -> StabilityRun:
    """Start a run on the round's current scores: ``draws`` perturbations, each weight
    times a factor from [1 - spread, 1 + spread], random numbers from ``seed`` (a new
    one by default; the same seed on the same scores gives the same ranges). The run is
    handed to the queue after the commit, unless ``enqueue_task`` is False (the caller
    then computes it with ``stability_run_process``). Refused while the round has a run
    under way."""
    spread = Decimal(str(spread))  # a float as written (0.2), not its binary value
    problems = []
    if not MIN_DRAWS <= draws <= MAX_DRAWS:
        message = _("Choose between %(low)s and %(high)s draws.")
        problems.append(Problem(message % {"low": MIN_DRAWS, "high": MAX_DRAWS}, "draws"))
    if not MIN_SPREAD <= spread <= MAX_SPREAD:
        message = _("Choose a spread between %(low)s and %(high)s.")
        problems.append(Problem(message % {"low": MIN_SPREAD, "high": MAX_SPREAD}, "spread"))
    if seed is not None and not 0 <= seed < 2**63:
        problems.append(Problem(_("The random seed must be a whole number from 0."), "seed"))
    if problems:
        raise ValidationFailed(*problems)
    with transaction.atomic():
        # The round's rank state row is the lock that lets only one start through.
        state, _created = RankState.objects.select_for_update().get_or_create(round=round)
        _expire_lost(round_id=round.pk)
        if StabilityRun.objects.filter(round=round, status=StabilityRun.Status.RUNNING).exists():
            raise ConflictError(
                _("A stability run of this round is under way; wait until it has finished.")
            )
        run = StabilityRun.objects.create(
            round=round,
            draws=draws,
            spread=spread,
            seed=secrets.randbits(63) if seed is None else seed,
            scores_version=state.scores_version,
        )
        if enqueue_task:
            transaction.on_commit(lambda: _enqueue_run(run.pk))
    return run


def _enqueue_run(run_id: int) -> None:
    from scoring.tasks import stability_run_task

    enqueue(stability_run_task, run_id)


def stability_run_process(*, run_id: int) -> StabilityRun | None:
    """Compute a run and store its ranges, replacing the round's earlier ones, and record
    the scores version its numbers were read at. A run that is no longer under way is left
    alone (so a task delivered twice writes its ranges once). A failure other than the
    database's (which the task retries) marks the run failed with the reason. None when
    the run no longer exists."""
    run = StabilityRun.objects.filter(pk=run_id).first()
    if run is None:
        log.warning("stability run %s no longer exists", run_id)
        return None
    if run.status != StabilityRun.Status.RUNNING:
        return run
    try:
        loaded = round_numbers(round_id=run.round_id)
        offsets = weight_offsets(
            draws=run.draws,
            indicators=loaded.standings.scores.shape[1],
            spread=float(run.spread),
            seed=run.seed,
        )
        ranges = rank_ranges(loaded.standings, offsets)
        return rank_ranges_replace(run.pk, loaded, ranges)
    except (DatabaseError, InterfaceError):
        raise  # transient: the task retries
    except Exception as exc:
        return _fail(run.pk, exc)


def stability_rounds_due() -> list[int]:
    """Rounds whose ranking changed since their last finished run (or that never had
    one), with no run under way."""
    running = StabilityRun.objects.filter(
        round_id=OuterRef("round_id"), status=StabilityRun.Status.RUNNING
    )
    return list(
        RankState.objects.filter(ranked_at__isnull=False, ranked_version__gt=F("stability_version"))
        .exclude(Exists(running))
        .order_by("round_id")
        .values_list("round_id", flat=True)
    )


def stability_refresh() -> list[int]:
    """The periodic task's work: mark lost runs failed, then start a run (with the
    default draws and spread) for every round that is due; returns those rounds."""
    _expire_lost()
    started = []
    for round_ in AssessmentRound.objects.filter(pk__in=stability_rounds_due()).order_by("pk"):
        try:
            stability_run_start(round=round_)
        except ConflictError:
            continue  # someone started one meanwhile
        started.append(round_.pk)
    if started:
        log.info("ranking stability runs started for rounds %s", started)
    return started


def _expire_lost(*, round_id: int | None = None) -> None:
    lost = StabilityRun.objects.filter(
        status=StabilityRun.Status.RUNNING, started_at__lt=timezone.now() - RUN_TIMEOUT
    )
    if round_id is not None:
        lost = lost.filter(round_id=round_id)
    lost.update(
        status=StabilityRun.Status.FAILED,
        finished_at=timezone.now(),
        error=f"not finished within {RUN_TIMEOUT}: its worker or its message was lost",
    )


@dataclass(frozen=True)
class RoundNumbers:
    """A round's scores as numbers (scoring.rank_ranges.Standings), the scorecard of each
    row, and the scores version they were read at."""

    standings: Standings
    card_ids: Sequence[int]
    scores_version: int


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the database for several reads, without holding writers
    up: a repeatable-read transaction on PostgreSQL (SQLite's are serialised anyway).
    Inside a transaction already begun, that transaction's view is used."""
    outer = connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def round_numbers(*, round_id: int) -> RoundNumbers:
    """The round's totals, group keys and indicator scores (one query for the matrix of
    scorecard x indicator), all read from one snapshot."""
    # Peer groups are stored with the ranks: bring them up to date first.
    ranks_refresh(round_ids=[round_id])
    with _snapshot():
        version = (
            RankState.objects.filter(round_id=round_id)
            .values_list("scores_version", flat=True)
            .first()
        )
        cards = list(
            ScoreCard.objects.filter(round_id=round_id)
            .order_by("pk")
            .values_list("pk", "total", "city_id", "district_id", "peer_group")
        )
        # Streamed into one array: 2.4 million rows at 100,000 scorecards would take
        # hundreds of MB as a list of tuples.
        rows = (
            IndicatorScore.objects.filter(round_id=round_id)
            .annotate(hundredths=Cast(Round(F("score") * 100), IntegerField()))
            .values_list("scorecard_id", "indicator_id", "hundredths")
            .iterator(chunk_size=READ_CHUNK)
        )
        cells = np.fromiter(chain.from_iterable(rows), dtype=np.int64).reshape(-1, 3)
    card_ids = np.array([card[0] for card in cards], dtype=np.int64)
    _columns, column_of = np.unique(cells[:, 1], return_inverse=True)
    scores = np.zeros((len(cards), len(_columns)), dtype=np.int64)
    scores[np.searchsorted(card_ids, cells[:, 0]), column_of] = cells[:, 2]
    standings = Standings(
        totals=np.array([int(card[1] * 100) for card in cards], dtype=np.int64),
        scores=scores,
        groups={
            "city": _codes(card[2] for card in cards),
            "district": _codes(card[3] for card in cards),
            "peer": _codes(card[4] or None for card in cards),
        },
    )
    return RoundNumbers(
        standings=standings, card_ids=card_ids.tolist(), scores_version=version or 0
    )


def _codes(keys: Iterator[object]) -> np.ndarray:
    """A small whole number per distinct key, -1 for None (in no group)."""
    numbers: dict[object, int] = {}
    return np.array(
        [-1 if key is None else numbers.setdefault(key, len(numbers)) for key in keys],
        dtype=np.int64,
    )


def rank_ranges_replace(
    run_id: int, loaded: RoundNumbers, ranges: dict[str, Range]
) -> StabilityRun:
    """Replace the round's ranges with a run's computed ``ranges`` and mark the run
    finished, in one transaction (the last step of ``stability_run_process``)."""
    columns: dict[str, list[int]] = {}
    for level, prefix in LEVEL_FIELDS.items():
        columns[f"{prefix}_low"] = ranges[level].low.tolist()
        columns[f"{prefix}_high"] = ranges[level].high.tolist()
    with transaction.atomic():
        run = StabilityRun.objects.select_for_update().get(pk=run_id)
        if run.status != StabilityRun.Status.RUNNING:
            return run  # finished or failed by another delivery meanwhile
        RankRange.objects.filter(run__round_id=run.round_id).delete()
        RankRange.objects.bulk_create(
            (
                RankRange(
                    scorecard_id=card_id,
                    run=run,
                    # 0 marks a scorecard in no group of that level.
                    **{field: values[n] or None for field, values in columns.items()},
                )
                for n, card_id in enumerate(loaded.card_ids)
            ),
            batch_size=WRITE_BATCH,
        )
        run.status = StabilityRun.Status.FINISHED
        run.finished_at = timezone.now()
        run.scorecards = len(loaded.card_ids)
        run.scores_version = loaded.scores_version
        run.save(update_fields=["status", "finished_at", "scorecards", "scores_version"])
        RankState.objects.filter(round_id=run.round_id).update(
            stability_version=loaded.scores_version
        )
    log.info(
        "stability run %s of round %s: %d scorecards, %d draws in %.1f s",
        run.pk,
        run.round_id,
        run.scorecards,
        run.draws,
        (run.finished_at - run.started_at).total_seconds(),
    )
    return run


def _fail(run_id: int, exc: Exception) -> StabilityRun | None:
    reason = f"{type(exc).__name__}: {exc}"[:2000]
    StabilityRun.objects.filter(pk=run_id, status=StabilityRun.Status.RUNNING).update(
        status=StabilityRun.Status.FAILED, finished_at=timezone.now(), error=reason
    )
    log.error("stability run %s failed: %s", run_id, reason, exc_info=exc)
    return StabilityRun.objects.filter(pk=run_id).first()
