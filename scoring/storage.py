"""Writing scorecards fast: COPY on PostgreSQL, bulk inserts elsewhere.

A round rescore writes a scorecard and 24 indicator rows per community; at provincial
scale that is a quarter of a million rows, so the PostgreSQL path streams them with COPY
(through a staging table for the upsert of scorecards) instead of building INSERTs.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from scoring.models import IndicatorScore, ScoreCard, ScoreDetail

# Every column an upsert sets, in COPY order.
SCORECARD_COLUMNS = (
    "assessment_id", "round_id", "city_id", "district_id", "framework_id", "total", "grade",
    "complete", "primaries", "engine_version", "inputs_hash", "computed_at",
    "assessment_version", "frozen",
)  # fmt: skip
# Written blank with a new scorecard and left alone by later upserts: the ranking keeps it
# (scoring.services.ranks). The column has no database default, so COPY must name it.
INSERTED_ONLY_COLUMNS = ("peer_group",)
_STAGE = "scoring_scorecard_stage"


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    card: ScoreCard
    indicator_id: int
    score: str
    weight: str
    met: bool


@dataclass(frozen=True, slots=True)
class DetailRow:
    card: ScoreCard
    items: dict[str, Any]


def store(
    cards: Sequence[ScoreCard],
    rows: Sequence[IndicatorRow],
    details: Sequence[DetailRow],
    *,
    replaced: Sequence[int],
) -> None:
    """Upsert the scorecards and replace their indicator rows and details; ``replaced``
    lists the ids of the scorecards that existed before (only they can have rows to
    remove)."""
    if replaced:
        IndicatorScore.objects.filter(scorecard_id__in=replaced).delete()
        ScoreDetail.objects.filter(scorecard_id__in=replaced).delete()
    if connection.vendor == "postgresql":
        _upsert_cards_copy(cards)
        _insert_indicators_copy(rows)
        _insert_details_copy(details)
        return
    _upsert_cards_orm(cards)
    IndicatorScore.objects.bulk_create(
        (
            IndicatorScore(scorecard_id=row.card.pk, round_id=row.card.round_id,
                           indicator_id=row.indicator_id, score=row.score, weight=row.weight,
                           met=row.met)
            for row in rows
        ),
        batch_size=2_000,
    )  # fmt: skip
    ScoreDetail.objects.bulk_create(
        (ScoreDetail(scorecard_id=row.card.pk, items=row.items) for row in details),
        batch_size=1_000,
    )


def _upsert_cards_orm(cards: Sequence[ScoreCard]) -> None:
    ScoreCard.objects.bulk_create(
        cards,
        update_conflicts=True,
        unique_fields=["assessment"],
        update_fields=[c.removesuffix("_id") for c in SCORECARD_COLUMNS if c != "assessment_id"],
    )
    if any(card.pk is None for card in cards):  # databases that do not return upserted ids
        ids = dict(
            ScoreCard.objects.filter(
                assessment_id__in=[card.assessment_id for card in cards]
            ).values_list("assessment_id", "pk")
        )
        for card in cards:
            card.pk = ids[card.assessment_id]


def _copy_text(value: Any) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        # JSON text has no raw tabs or newlines; only backslashes need doubling.
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("\\", "\\\\")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _copy(cursor: Any, table: str, columns: Sequence[str], lines: list[str]) -> None:
    buffer = io.StringIO()
    buffer.writelines(lines)
    buffer.seek(0)
    cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _upsert_cards_copy(cards: Sequence[ScoreCard]) -> None:
    inserted = (*SCORECARD_COLUMNS, *INSERTED_ONLY_COLUMNS)
    columns = ", ".join(inserted)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in SCORECARD_COLUMNS if c != "assessment_id")
    lines = [
        "\t".join(_copy_text(getattr(card, column)) for column in inserted) + "\n" for card in cards
    ]
    with connection.cursor() as cursor:
        create = (
            "CREATE TEMP TABLE IF NOT EXISTS {} ON COMMIT DELETE ROWS AS "
            "SELECT {} FROM {} WITH NO DATA"
        )
        cursor.execute(create.format(_STAGE, columns, ScoreCard._meta.db_table))
        _copy(cursor, _STAGE, inserted, lines)
        upsert = (
            "INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} "
            "ON CONFLICT (assessment_id) DO UPDATE SET {updates} RETURNING assessment_id, id"
        )
        cursor.execute(
            upsert.format(
                table=ScoreCard._meta.db_table, columns=columns, stage=_STAGE, updates=updates
            )
        )
        ids = dict(cursor.fetchall())
        cursor.execute(f"TRUNCATE {_STAGE}")
    for card in cards:
        card.pk = ids[card.assessment_id]


def _insert_indicators_copy(rows: Sequence[IndicatorRow]) -> None:
    lines = [
        f"{row.card.pk}\t{row.card.round_id}\t{row.indicator_id}\t{row.score}\t{row.weight}\t"
        f"{'t' if row.met else 'f'}\n"
        for row in rows
    ]
    columns = ("scorecard_id", "round_id", "indicator_id", "score", "weight", "met")
    with connection.cursor() as cursor:
        _copy(cursor, IndicatorScore._meta.db_table, columns, lines)


def _insert_details_copy(details: Sequence[DetailRow]) -> None:
    lines = [f"{row.card.pk}\t{_copy_text(row.items)}\n" for row in details]
    with connection.cursor() as cursor:
        _copy(cursor, ScoreDetail._meta.db_table, ("scorecard_id", "items"), lines)
