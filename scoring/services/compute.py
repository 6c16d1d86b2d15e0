"""Run the engine on stored answers and store scorecards.

Computing again with unchanged inputs writes nothing. A change of any total marks the
round's ranks stale (scoring.services.ranks), to be refreshed before they are shown.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from assessments.answers import NOT_APPLICABLE_JSON
from assessments.choices import AssessmentStatus, ItemReviewStatus
from assessments.models import Answer, Assessment, ItemReview
from indicators.models import Framework
from indicators.specs import FrameworkCatalog, framework_catalog, grade_band_specs
from scoring.engine import ENGINE_VERSION, GradeBand, ScoreResult, score
from scoring.engine.numbers import ACHIEVEMENT_PLACES, S_PLACES, SCORE_PLACES, fixed_text
from scoring.models import ScoreCard
from scoring.services.ranks import rounds_lock, scores_changed
from scoring.storage import DetailRow, IndicatorRow, store


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
    city_id: int | None
    district_id: int | None
    status: str
    version: int
    grade_bands: list[dict[str, Any]] | None
    answers: dict[str, Any] = field(default_factory=dict)
    answers_text: str = ""
    rejected: set[str] = field(default_factory=set)


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
) -> tuple[list[_Inputs], dict[int, FrameworkCatalog]]:
    rows = {
        row["pk"]: _Inputs(
            assessment_id=row["pk"],
            round_id=row["round_id"],
            framework_id=row["round__framework_id"],
            city_id=row["community__city_id"],
            district_id=row["community__district_id"],
            status=row["status"],
            version=row["version"],
            grade_bands=row["round__grade_bands"],
        )
        for row in Assessment.objects.filter(pk__in=assessment_ids).values(
            "pk",
            "round_id",
            "round__framework_id",
            "community__city_id",
            "community__district_id",
            "status",
            "version",
            "round__grade_bands",
        )
    }
    if not rows:  # deleted since the task was sent
        return [], {}
    catalogs = {
        framework.pk: framework_catalog(framework)
        for framework in Framework.objects.filter(pk__in={r.framework_id for r in rows.values()})
    }
    for assessment_id, answers_text in _answers_by_assessment(list(rows)):
        inputs = rows[assessment_id]
        item_codes = catalogs[inputs.framework_id].item_codes
        inputs.answers_text = answers_text
        inputs.answers = {
            item_codes[int(item_id)]: value for item_id, value in json.loads(answers_text).items()
        }
    rejected = ItemReview.objects.filter(
        assessment_id__in=assessment_ids, status=ItemReviewStatus.REJECTED
    ).values_list("assessment_id", "item_id")
    for assessment_id, item_id in rejected:
        inputs = rows[assessment_id]
        inputs.rejected.add(catalogs[inputs.framework_id].item_codes[item_id])
    return [rows[pk] for pk in sorted(rows)], catalogs


_ANSWERS_BY_ASSESSMENT = {
    # One JSON object per assessment (item id -> engine answer), as text in item order, so
    # the same answers always give the same text: it is hashed as it comes, and parsing 500
    # documents is about twice as fast as parsing 23,000 one-answer rows through Django.
    "postgresql": (
        "SELECT assessment_id, json_object_agg(item_id, CASE WHEN not_applicable "
        "THEN %s::jsonb ELSE value END ORDER BY item_id)::text FROM {table} "
        "WHERE assessment_id IN ({marks}) GROUP BY assessment_id"
    ),
    # SQLite 3.40 has no ORDER BY inside aggregates; it aggregates in the subquery's order.
    "sqlite": (
        "SELECT assessment_id, json_group_object(item_id, CASE WHEN not_applicable "
        "THEN json(%s) ELSE json(value) END) FROM (SELECT * FROM {table} "
        "WHERE assessment_id IN ({marks}) ORDER BY assessment_id, item_id) GROUP BY assessment_id"
    ),
}


def _answers_by_assessment(assessment_ids: list[int]) -> list[tuple[int, str]]:
    """(assessment id, JSON text {item id: engine answer}) for assessments with answers."""
    query = _ANSWERS_BY_ASSESSMENT[connection.vendor].format(
        table=Answer._meta.db_table, marks=", ".join(["%s"] * len(assessment_ids))
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [NOT_APPLICABLE_JSON, *assessment_ids])
        return cursor.fetchall()


def _item_details(result: ScoreResult) -> dict[str, dict[str, Any]]:
    """Each item's status (scored, missing, na, rejected), item score s, achievement and
    met flag, with figures rounded as reported (PostgreSQL keeps no key order)."""
    return {
        item.code: {
            "status": item.status,
            "s": None if item.s is None else fixed_text(item.s, S_PLACES),
            "achievement": (
                None
                if item.achievement is None
                else fixed_text(item.achievement, ACHIEVEMENT_PLACES)
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
    more (with the state they were approved in) and then kept as they are. When a total
    changed, the round's ranks are marked stale in the same transaction.
    """
    ids = sorted(set(assessment_ids))
    stats = ComputeStats()
    if not ids:
        return stats
    list(Assessment.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    existing = {
        row["assessment_id"]: row
        for row in ScoreCard.objects.filter(assessment_id__in=ids).values(
            "pk",
            "assessment_id",
            "inputs_hash",
            "frozen",
            "assessment_version",
            "total",
            "city_id",
            "district_id",
        )
    }
    loaded, catalogs = _load_inputs(ids)
    with _gc_paused():
        cards, indicator_rows, details = _score_loaded(loaded, catalogs, existing, stats)
    # Writers of a round's totals and its ranking take turns from here to the commit.
    rounds_lock(round_ids={inputs.round_id for inputs in loaded})
    moved = _keep_places(loaded, existing)
    if cards:
        replaced = [existing[c.assessment_id]["pk"] for c in cards if c.assessment_id in existing]
        store(cards, indicator_rows, details, replaced=replaced)
    stats.written = len(cards)
    changed_rounds = moved | {
        card.round_id
        for card in cards
        if card.assessment_id not in existing
        or Decimal(card.total) != existing[card.assessment_id]["total"]
    }
    scores_changed(round_ids=changed_rounds)
    return stats


def _keep_places(loaded: list[_Inputs], existing: Mapping[int, Any]) -> set[int]:
    """Bring the city and district of unchanged cards in step with their communities;
    returns the rounds where one moved."""
    moved: set[int] = set()
    for inputs in loaded:
        previous = existing.get(inputs.assessment_id)
        if previous and (previous["city_id"], previous["district_id"]) != (
            inputs.city_id,
            inputs.district_id,
        ):
            ScoreCard.objects.filter(pk=previous["pk"]).update(
                city_id=inputs.city_id, district_id=inputs.district_id
            )
            moved.add(inputs.round_id)
    return moved


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
    catalogs: dict[int, FrameworkCatalog],
    existing: dict[int, Any],
    stats: ComputeStats,
) -> tuple[list[ScoreCard], list[IndicatorRow], list[DetailRow]]:
    """Score what changed and return the rows to store; count the rest in ``stats``."""
    now = timezone.now()
    cards: list[ScoreCard] = []
    indicator_rows: list[IndicatorRow] = []
    details: list[DetailRow] = []
    # By round (one framework, one set of bands): the hash basis and the round's own bands.
    bases: dict[int, tuple[str, tuple[GradeBand, ...] | None]] = {}
    weights: dict[int, dict[str, str]] = {}
    for inputs in loaded:
        approved = inputs.status == AssessmentStatus.APPROVED
        previous = existing.get(inputs.assessment_id)
        if previous and previous["frozen"] and approved:
            stats.kept_frozen += 1
            continue
        catalog = catalogs[inputs.framework_id]
        if inputs.round_id not in bases:
            bands = inputs.grade_bands or catalog.framework.grade_bands
            bases[inputs.round_id] = (
                scoring_basis(catalog.framework, bands),
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
            catalog.spec, inputs.answers, rejected=inputs.rejected, grade_bands=round_bands
        )
        card = ScoreCard(
            assessment_id=inputs.assessment_id,
            round_id=inputs.round_id,
            city_id=inputs.city_id,
            district_id=inputs.district_id,
            framework_id=inputs.framework_id,
            total=result.total_rounded,
            grade=result.grade,
            complete=result.complete,
            primaries={p.code: fixed_text(p.score, SCORE_PLACES) for p in result.primaries},
            engine_version=ENGINE_VERSION,
            inputs_hash=fingerprint,
            computed_at=now,
            assessment_version=inputs.version,
            frozen=approved,
        )
        cards.append(card)
        details.append(DetailRow(card, _item_details(result)))
        if inputs.framework_id not in weights:
            weights[inputs.framework_id] = {
                code: fixed_text(ind.weight, SCORE_PLACES)
                for code, ind in catalog.spec.indicators.items()
            }
        indicator_rows.extend(
            IndicatorRow(
                card,
                catalog.indicator_ids[ind.code],
                fixed_text(ind.score, SCORE_PLACES),
                weights[inputs.framework_id][ind.code],
                ind.met,
            )
            for ind in result.indicators
        )
    return cards, indicator_rows, details


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
