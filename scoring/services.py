"""Run the engine on stored answers and store scorecards; rescore whole rounds in chunks.

Every function here is idempotent: computing again with unchanged inputs writes nothing,
and a chunk that was already done is not done twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from assessments.choices import AssessmentStatus, ItemReviewStatus
from assessments.models import Answer, Assessment, ItemReview, Round
from indicators.models import Framework, Indicator, Item
from indicators.specs import framework_spec, grade_band_specs
from scoring.engine import (
    ENGINE_VERSION,
    ScoreResult,
    round_achievement,
    round_s,
    round_score,
    score,
)
from scoring.models import IndicatorScore, RescoreChunk, RescoreRun, ScoreCard

log = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 500


@dataclass
class ComputeStats:
    """What one compute call did, for logs, tests and benchmarks."""

    written: int = 0
    unchanged: int = 0
    kept_frozen: int = 0

    def add(self, other: ComputeStats) -> None:
        self.written += other.written
        self.unchanged += other.unchanged
        self.kept_frozen += other.kept_frozen


@dataclass
class _Inputs:
    assessment_id: int
    round_id: int
    framework_id: int
    status: str
    version: int
    grade_bands: list[dict[str, Any]] | None
    answers: dict[str, Any] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _FrameworkData:
    framework: Framework
    item_codes: dict[int, str]
    indicator_ids: dict[str, int]


_FRAMEWORK_DATA: dict[tuple[int, str], _FrameworkData] = {}


def _framework_data(framework_id: int) -> _FrameworkData:
    framework = Framework.objects.get(pk=framework_id)
    key = (framework.pk, framework.content_hash)
    if key not in _FRAMEWORK_DATA:
        _FRAMEWORK_DATA[key] = _FrameworkData(
            framework=framework,
            item_codes=dict(Item.objects.filter(framework=framework).values_list("pk", "code")),
            indicator_ids=dict(
                Indicator.objects.filter(framework=framework).values_list("code", "pk")
            ),
        )
    return _FRAMEWORK_DATA[key]


def inputs_hash(
    *, framework: Framework, answers: dict[str, Any], rejected: Iterable[str], bands: Any
) -> str:
    """A fingerprint of everything a score depends on."""
    payload = json.dumps(
        [ENGINE_VERSION, framework.pk, framework.content_hash, answers, sorted(rejected), bands],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _load_inputs(assessment_ids: Sequence[int]) -> list[_Inputs]:
    rows = {
        row["pk"]: _Inputs(
            assessment_id=row["pk"],
            round_id=row["round_id"],
            framework_id=row["round__framework_id"],
            status=row["status"],
            version=row["version"],
            grade_bands=row["round__grade_bands"],
        )
        for row in Assessment.objects.filter(pk__in=assessment_ids).values(
            "pk", "round_id", "round__framework_id", "status", "version", "round__grade_bands"
        )
    }
    codes: dict[int, dict[int, str]] = {
        fid: _framework_data(fid).item_codes for fid in {r.framework_id for r in rows.values()}
    }
    answers = Answer.objects.filter(assessment_id__in=assessment_ids).values_list(
        "assessment_id", "item_id", "value", "not_applicable"
    )
    for assessment_id, item_id, value, not_applicable in answers.iterator(chunk_size=20_000):
        inputs = rows[assessment_id]
        inputs.answers[codes[inputs.framework_id][item_id]] = (
            {"na": True} if not_applicable else value
        )
    rejected = ItemReview.objects.filter(
        assessment_id__in=assessment_ids, status=ItemReviewStatus.REJECTED
    ).values_list("assessment_id", "item_id")
    for assessment_id, item_id in rejected:
        inputs = rows[assessment_id]
        inputs.rejected.add(codes[inputs.framework_id][item_id])
    return [rows[pk] for pk in sorted(rows)]


def _item_details(result: ScoreResult) -> dict[str, list[dict[str, Any]]]:
    return {
        indicator.code: [
            {
                "code": item.code,
                "status": item.status,
                "s": None if item.s is None else str(round_s(item.s)),
                "achievement": (
                    None if item.achievement is None else str(round_achievement(item.achievement))
                ),
                "met": item.met,
            }
            for item in indicator.items
        ]
        for indicator in result.indicators
    }


@transaction.atomic
def scorecards_compute(*, assessment_ids: Sequence[int]) -> ComputeStats:
    """Score the given assessments and store what changed.

    The assessments are locked while they are scored, so a save and a score, or two
    scores of the same assessment, cannot interleave. Approved assessments are scored once
    more (with the state they were approved in) and then kept as they are.
    """
    ids = sorted(set(assessment_ids))
    stats = ComputeStats()
    if not ids:
        return stats
    list(Assessment.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    existing = {
        row["assessment_id"]: row
        for row in ScoreCard.objects.filter(assessment_id__in=ids).values(
            "pk", "assessment_id", "inputs_hash", "frozen", "assessment_version"
        )
    }
    now = timezone.now()
    cards: list[ScoreCard] = []
    results: list[tuple[ScoreCard, ScoreResult, _FrameworkData]] = []
    for inputs in _load_inputs(ids):
        approved = inputs.status == AssessmentStatus.APPROVED
        previous = existing.get(inputs.assessment_id)
        if previous and previous["frozen"] and approved:
            stats.kept_frozen += 1
            continue
        data = _framework_data(inputs.framework_id)
        bands = inputs.grade_bands or data.framework.grade_bands
        fingerprint = inputs_hash(
            framework=data.framework, answers=inputs.answers, rejected=inputs.rejected, bands=bands
        )
        if previous and previous["inputs_hash"] == fingerprint:
            _mark_unchanged(previous, approved=approved, version=inputs.version)
            stats.unchanged += 1
            continue
        result = score(
            framework_spec(data.framework),
            inputs.answers,
            rejected=inputs.rejected,
            grade_bands=grade_band_specs(bands) if inputs.grade_bands else None,
        )
        card = ScoreCard(
            assessment_id=inputs.assessment_id,
            round_id=inputs.round_id,
            framework_id=inputs.framework_id,
            total=result.total_rounded,
            grade=result.grade,
            complete=result.complete,
            primaries={p.code: str(round_score(p.score)) for p in result.primaries},
            engine_version=ENGINE_VERSION,
            inputs_hash=fingerprint,
            computed_at=now,
            assessment_version=inputs.version,
            frozen=approved,
        )
        cards.append(card)
        results.append((card, result, data))
    if cards:
        _store(cards, results)
    stats.written = len(cards)
    return stats


def _mark_unchanged(previous: Mapping[str, Any], *, approved: bool, version: int) -> None:
    """Same inputs, same score: only the bookkeeping may move (the version scored, and
    whether the card is kept as approved). Nothing is written when neither changed."""
    updates: dict[str, Any] = {}
    if previous["frozen"] != approved:
        updates["frozen"] = approved
    if previous["assessment_version"] != version:
        updates["assessment_version"] = version
    if updates:
        ScoreCard.objects.filter(pk=previous["pk"]).update(**updates)


def _store(
    cards: list[ScoreCard], results: list[tuple[ScoreCard, ScoreResult, _FrameworkData]]
) -> None:
    ScoreCard.objects.bulk_create(
        cards,
        update_conflicts=True,
        unique_fields=["assessment"],
        update_fields=[
            "round",
            "framework",
            "total",
            "grade",
            "complete",
            "primaries",
            "engine_version",
            "inputs_hash",
            "computed_at",
            "assessment_version",
            "frozen",
        ],
    )
    if any(card.pk is None for card in cards):  # databases that do not return upserted ids
        ids = dict(
            ScoreCard.objects.filter(
                assessment_id__in=[c.assessment_id for c in cards]
            ).values_list("assessment_id", "pk")
        )
        for card in cards:
            card.pk = ids[card.assessment_id]
    IndicatorScore.objects.filter(scorecard_id__in=[card.pk for card in cards]).delete()
    rows: list[tuple[Any, ...]] = []
    for card, result, data in results:
        details = _item_details(result)
        rows.extend(
            (
                card.pk,
                data.indicator_ids[indicator.code],
                round_score(indicator.score),
                round_score(indicator.weight),
                indicator.met,
                details[indicator.code],
            )
            for indicator in result.indicators
        )
    if connection.vendor == "postgresql":
        _copy_indicator_rows(rows)
    else:
        IndicatorScore.objects.bulk_create(
            (
                IndicatorScore(
                    scorecard_id=sc, indicator_id=ind, score=s, weight=w, met=met, items=items
                )
                for sc, ind, s, w, met, items in rows
            ),
            batch_size=2_000,
        )


def _copy_field(value: Any) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return str(value)


def _copy_indicator_rows(rows: list[tuple[Any, ...]]) -> None:
    """Insert indicator rows with COPY: several times faster than INSERT on PostgreSQL."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_field(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    table = IndicatorScore._meta.db_table
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} (scorecard_id, indicator_id, score, weight, met, items) FROM STDIN",
            buffer,
        )


# --- ranks ---------------------------------------------------------------------------------

_RANKS_SQL = """
UPDATE scoring_scorecard SET rank = ranked.r_all, rank_in_city = ranked.r_city,
       rank_in_district = ranked.r_district
FROM (
    SELECT sc.id AS id,
           RANK() OVER (ORDER BY sc.total DESC) AS r_all,
           RANK() OVER (PARTITION BY reg.city_id ORDER BY sc.total DESC) AS r_city,
           RANK() OVER (PARTITION BY reg.district_id ORDER BY sc.total DESC) AS r_district
    FROM scoring_scorecard sc
    JOIN assessments_assessment a ON a.id = sc.assessment_id
    JOIN assessments_community c ON c.id = a.community_id
    JOIN assessments_region reg ON reg.id = c.region_id
    WHERE sc.round_id = %s
) AS ranked
WHERE scoring_scorecard.id = ranked.id
"""


def round_ranks_store(*, round_id: int) -> None:
    """Rank the round's scorecards by total, overall and within each city and district.

    Equal totals share a rank and the next rank skips (1, 2, 2, 4): SQL's RANK().
    """
    with connection.cursor() as cursor:
        cursor.execute(_RANKS_SQL, [round_id])


# --- whole-round rescoring -----------------------------------------------------------------


def _enqueue_chunks(chunk_ids: list[int]) -> None:
    from scoring.tasks import rescore_chunk_task

    for chunk_id in chunk_ids:
        rescore_chunk_task.delay(chunk_id)


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


@transaction.atomic
def rescore_chunk_process(*, chunk_id: int) -> ComputeStats:
    """Score one chunk and mark it done; the last chunk of a run stores the ranks."""
    chunk = RescoreChunk.objects.select_for_update().filter(pk=chunk_id).first()
    if chunk is None:  # the run was deleted (e.g. with its round) after the task was sent
        log.warning("rescore chunk %s no longer exists", chunk_id)
        return ComputeStats()
    if chunk.done_at is not None:
        return ComputeStats()
    stats = scorecards_compute(assessment_ids=chunk.assessment_ids)
    chunk.done_at = timezone.now()
    chunk.save(update_fields=["done_at"])
    RescoreRun.objects.filter(pk=chunk.run_id).update(chunks_done=F("chunks_done") + 1)
    run = RescoreRun.objects.select_for_update().get(pk=chunk.run_id)
    if run.chunks_done == run.chunks_total and run.status == RescoreRun.Status.RUNNING:
        _finish(run)
    return stats


def _finish(run: RescoreRun) -> None:
    round_ranks_store(round_id=run.round_id)
    run.status = RescoreRun.Status.FINISHED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])


# --- the sweep -----------------------------------------------------------------------------


def stale_assessment_ids(*, limit: int = 5_000) -> list[int]:
    """Assessments changed since their scorecard was computed, or never scored."""
    scored = ScoreCard.objects.filter(assessment_id=OuterRef("pk")).values("assessment_version")
    return list(
        Assessment.objects.annotate(scored_version=Subquery(scored))
        .filter(Q(scored_version__isnull=True) | Q(version__gt=F("scored_version")))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def scoring_sweep() -> dict[str, int]:
    """Re-send the work a lost message left behind: unfinished chunks of running rescores
    and assessments whose scorecard is older than their last change."""
    from scoring.tasks import scorecards_compute_task

    pending = list(
        RescoreChunk.objects.filter(
            run__status=RescoreRun.Status.RUNNING, done_at__isnull=True
        ).values_list("pk", flat=True)
    )
    _enqueue_chunks(pending)
    stale = stale_assessment_ids()
    for start in range(0, len(stale), DEFAULT_CHUNK_SIZE):
        scorecards_compute_task.delay(stale[start : start + DEFAULT_CHUNK_SIZE])
    log.info("scoring sweep: %d chunks, %d stale assessments re-sent", len(pending), len(stale))
    return {"chunks": len(pending), "stale": len(stale)}
