"""Run the engine on stored answers and store scorecards; rescore whole rounds in chunks.

Every function here is idempotent: computing again with unchanged inputs writes nothing,
and a chunk that was already done is not done twice.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from fractions import Fraction
from typing import Any

from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from assessments.choices import AssessmentStatus, ItemReviewStatus
from assessments.models import Answer, Assessment, ItemReview, Round
from indicators.models import Framework, Indicator, Item
from indicators.specs import framework_spec, grade_band_specs
from scoring.engine import ENGINE_VERSION, GradeBand, ScoreResult, score
from scoring.engine.numbers import ACHIEVEMENT_PLACES, S_PLACES, SCORE_PLACES, half_up_scaled
from scoring.engine.rules import ONE, ZERO
from scoring.models import RescoreChunk, RescoreRun, ScoreCard
from scoring.storage import IndicatorRow, store

log = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 500
# Work younger than this is left to the message already sent for it.
SWEEP_GRACE = timedelta(minutes=5)


@dataclass
class ComputeStats:
    """What one compute call did, for logs, tests and benchmarks."""

    written: int = 0
    unchanged: int = 0
    kept_frozen: int = 0


@dataclass
class _Inputs:
    assessment_id: int
    round_id: int
    framework_id: int
    status: str
    version: int
    grade_bands: list[dict[str, Any]] | None
    answers: dict[str, Any] = field(default_factory=dict)
    answers_text: str = ""
    rejected: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _FrameworkData:
    framework: Framework
    item_codes: dict[int, str]
    indicator_ids: dict[str, int]
    indicator_weights: dict[str, str]


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
            indicator_weights={
                code: _fixed(Fraction(weight), SCORE_PLACES)
                for code, weight in Indicator.objects.filter(framework=framework).values_list(
                    "code", "weight"
                )
            },
        )
    return _FRAMEWORK_DATA[key]


def inputs_hash(*, basis: str, answers_text: str, rejected: Iterable[str]) -> str:
    """A fingerprint of everything a score depends on: the scoring basis (engine version,
    framework and grade bands, see `scoring_basis`), the answers as the database returns
    them in canonical form, and the items whose evidence was rejected."""
    payload = "\x1f".join((basis, answers_text, ",".join(sorted(rejected))))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def scoring_basis(framework: Framework, bands: Any) -> str:
    return json.dumps(
        [ENGINE_VERSION, framework.pk, framework.content_hash, bands],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _load_inputs(
    assessment_ids: Sequence[int],
) -> tuple[list[_Inputs], dict[int, _FrameworkData]]:
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
    if not rows:  # deleted since the task was sent
        return [], {}
    frameworks = {fid: _framework_data(fid) for fid in {r.framework_id for r in rows.values()}}
    codes = {fid: data.item_codes for fid, data in frameworks.items()}
    for assessment_id, answers_text in _answers_by_assessment(list(rows)):
        inputs = rows[assessment_id]
        item_codes = codes[inputs.framework_id]
        inputs.answers_text = answers_text
        inputs.answers = {
            item_codes[int(item_id)]: value for item_id, value in json.loads(answers_text).items()
        }
    rejected = ItemReview.objects.filter(
        assessment_id__in=assessment_ids, status=ItemReviewStatus.REJECTED
    ).values_list("assessment_id", "item_id")
    for assessment_id, item_id in rejected:
        inputs = rows[assessment_id]
        inputs.rejected.add(codes[inputs.framework_id][item_id])
    return [rows[pk] for pk in sorted(rows)], frameworks


_ANSWERS_BY_ASSESSMENT = {
    # One JSON object per assessment (item id -> answer), as text in item order, so the same
    # answers always give the same text: it is hashed as it comes, and parsing 500 documents
    # is about twice as fast as parsing 23,000 one-answer rows through Django's converters.
    "postgresql": (
        "SELECT assessment_id, json_object_agg(item_id, CASE WHEN not_applicable "
        "THEN '{{\"na\": true}}'::jsonb ELSE value END ORDER BY item_id)::text FROM {table} "
        "WHERE assessment_id IN ({marks}) GROUP BY assessment_id"
    ),
    # SQLite 3.40 has no ORDER BY inside aggregates; it aggregates in the subquery's order.
    "sqlite": (
        "SELECT assessment_id, json_group_object(item_id, CASE WHEN not_applicable "
        "THEN json('{{\"na\": true}}') ELSE json(value) END) FROM (SELECT * FROM {table} "
        "WHERE assessment_id IN ({marks}) ORDER BY assessment_id, item_id) GROUP BY assessment_id"
    ),
}


def _answers_by_assessment(assessment_ids: list[int]) -> list[tuple[int, str]]:
    """(assessment id, JSON text {item id: engine answer}) for assessments with answers."""
    query = _ANSWERS_BY_ASSESSMENT[connection.vendor].format(
        table=Answer._meta.db_table, marks=", ".join(["%s"] * len(assessment_ids))
    )
    with connection.cursor() as cursor:
        cursor.execute(query, assessment_ids)
        return cursor.fetchall()


_FIXED_CACHE: dict[tuple[int, int, int], str] = {}
_ONE_TEXT = {places: "1." + "0" * places for places in (SCORE_PLACES, S_PLACES)}
_ZERO_TEXT = {places: "0." + "0" * places for places in (SCORE_PLACES, S_PLACES)}


def _fixed(value: Fraction, places: int) -> str:
    """``value`` rounded half-up to ``places`` decimals, as text ("0.8000"); the same as
    ``str(round_half_up(value, places))`` for the non-negative figures stored here.

    A round repeats the same figures (0, 1, the usual checklist shares) millions of times,
    so results are kept in a bounded cache keyed by the exact value.
    """
    if value is ONE:  # the engine's shared constants: most item scores are one of them
        return _ONE_TEXT[places]
    if value is ZERO:
        return _ZERO_TEXT[places]
    key = (value.numerator, value.denominator, places)
    text = _FIXED_CACHE.get(key)
    if text is None:
        whole, part = divmod(half_up_scaled(value, places), 10**places)
        text = f"{whole}.{part:0{places}d}"
        if len(_FIXED_CACHE) >= 200_000:
            _FIXED_CACHE.clear()
        _FIXED_CACHE[key] = text
    return text


def _item_details(result: ScoreResult) -> dict[str, dict[str, Any]]:
    """Each item's status (scored, missing, na, rejected), item score s, achievement and
    met flag, with figures rounded as reported (PostgreSQL keeps no key order)."""
    return {
        item.code: {
            "status": item.status,
            "s": None if item.s is None else _fixed(item.s, S_PLACES),
            "achievement": (
                None if item.achievement is None else _fixed(item.achievement, ACHIEVEMENT_PLACES)
            ),
            "met": item.met,
        }
        for indicator in result.indicators
        for item in indicator.items
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
    loaded, frameworks = _load_inputs(ids)
    with _gc_paused():
        cards, indicator_rows = _score_loaded(loaded, frameworks, existing, stats)
    if cards:
        replaced = [existing[c.assessment_id]["pk"] for c in cards if c.assessment_id in existing]
        store(cards, indicator_rows, replaced=replaced)
    stats.written = len(cards)
    return stats


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a chunk is scored.

    Scoring allocates many short-lived objects but makes no reference cycles; collections
    triggered by them scan every long-lived object of the process and cost about 40% of the
    scoring time. Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _score_loaded(
    loaded: list[_Inputs],
    frameworks: dict[int, _FrameworkData],
    existing: dict[int, Any],
    stats: ComputeStats,
) -> tuple[list[ScoreCard], list[IndicatorRow]]:
    """Score what changed and return the rows to store; count the rest in ``stats``."""
    now = timezone.now()
    cards: list[ScoreCard] = []
    indicator_rows: list[IndicatorRow] = []
    # By round (one framework, one set of bands): the hash basis and the round's own bands.
    bases: dict[int, tuple[str, tuple[GradeBand, ...] | None]] = {}
    for inputs in loaded:
        approved = inputs.status == AssessmentStatus.APPROVED
        previous = existing.get(inputs.assessment_id)
        if previous and previous["frozen"] and approved:
            stats.kept_frozen += 1
            continue
        data = frameworks[inputs.framework_id]
        bands = inputs.grade_bands or data.framework.grade_bands
        if inputs.round_id not in bases:
            bases[inputs.round_id] = (
                scoring_basis(data.framework, bands),
                grade_band_specs(bands) if inputs.grade_bands else None,
            )
        basis, round_bands = bases[inputs.round_id]
        fingerprint = inputs_hash(
            basis=basis, answers_text=inputs.answers_text, rejected=inputs.rejected
        )
        if previous and previous["inputs_hash"] == fingerprint:
            _mark_unchanged(previous, approved=approved, version=inputs.version)
            stats.unchanged += 1
            continue
        result = score(
            framework_spec(data.framework),
            inputs.answers,
            rejected=inputs.rejected,
            grade_bands=round_bands,
        )
        card = ScoreCard(
            assessment_id=inputs.assessment_id,
            round_id=inputs.round_id,
            framework_id=inputs.framework_id,
            total=result.total_rounded,
            grade=result.grade,
            complete=result.complete,
            primaries={p.code: _fixed(p.score, SCORE_PLACES) for p in result.primaries},
            items=_item_details(result),
            engine_version=ENGINE_VERSION,
            inputs_hash=fingerprint,
            computed_at=now,
            assessment_version=inputs.version,
            frozen=approved,
        )
        cards.append(card)
        indicator_rows.extend(
            IndicatorRow(
                card,
                data.indicator_ids[ind.code],
                _fixed(ind.score, SCORE_PLACES),
                data.indicator_weights[ind.code],
                ind.met,
            )
            for ind in result.indicators
        )
    return cards, indicator_rows


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


def _finish(run: RescoreRun) -> None:
    round_ranks_store(round_id=run.round_id)
    run.status = RescoreRun.Status.FINISHED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])


# --- the sweep -----------------------------------------------------------------------------


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
    from scoring.tasks import scorecards_compute_task

    pending = list(
        RescoreChunk.objects.filter(
            run__status=RescoreRun.Status.RUNNING,
            run__started_at__lte=timezone.now() - grace,
            done_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    _enqueue_chunks(pending)
    stale = stale_assessment_ids(older_than=grace)
    for start in range(0, len(stale), DEFAULT_CHUNK_SIZE):
        scorecards_compute_task.delay(stale[start : start + DEFAULT_CHUNK_SIZE])
    log.info("scoring sweep: %d chunks, %d stale assessments re-sent", len(pending), len(stale))
    return {"chunks": len(pending), "stale": len(stale)}
