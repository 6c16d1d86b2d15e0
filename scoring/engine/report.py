"""The JSON form of a result, as printed by the `score` command (scoring.md section 7)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scoring.engine.numbers import round_achievement, round_s, round_score
from scoring.engine.results import ItemResult, ScoreResult


def _number(rounding: Callable[[Fraction], Decimal], value: Fraction | None) -> float | None:
    """A rounded figure as a JSON number (None stays None)."""
    return None if value is None else float(rounding(value))


def _item_json(item: ItemResult) -> dict[str, Any]:
    return {
        "s": _number(round_s, item.s),
        "achievement": _number(round_achievement, item.achievement),
        "met": item.met,
    }


def result_to_json(result: ScoreResult) -> dict[str, Any]:
    """`result` as a JSON-ready dict; every figure is rounded as in scoring.md section 2.

    Scores and weights have 2 decimals, `s` and achievements 4; each is the float of the
    rounded Decimal. `s`, `achievement` and `met` are null where they do not apply.
    """
    return {
        "framework": result.framework,
        "total": float(result.total_rounded),
        "grade": result.grade,
        "complete": result.complete,
        "primaries": {
            primary.code: {
                "score": _number(round_score, primary.score),
                "weight": _number(round_score, primary.weight),
            }
            for primary in result.primaries
        },
        "indicators": {
            indicator.code: {
                "score": _number(round_score, indicator.score),
                "weight": _number(round_score, indicator.weight),
                "met": indicator.met,
                "items": {item.code: _item_json(item) for item in indicator.items},
            }
            for indicator in result.indicators
        },
    }
