"""What `score` returns. Figures are exact Fractions; round them with the helpers in
`scoring.engine.numbers` for display and storage (`total_rounded` is already rounded)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final

#: `ItemResult.status` values.
SCORED: Final = "scored"
MISSING: Final = "missing"
NOT_APPLICABLE: Final = "na"
REJECTED: Final = "rejected"


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One item. `s` and `met` are None only when the item is not applicable.

    `achievement` is None for booleans, missing and not applicable items; a rejected item
    keeps the achievement of its answer but scores 0 and is not met.
    """

    code: str
    status: str
    s: Fraction | None
    achievement: Fraction | None
    met: bool | None
    weight: Fraction


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """An indicator: score in [0, weight]; met when every applicable item is met."""

    code: str
    weight: Fraction
    score: Fraction
    met: bool
    items: tuple[ItemResult, ...]


@dataclass(frozen=True, slots=True)
class PrimaryResult:
    code: str
    weight: Fraction
    score: Fraction


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """A scored assessment.

    `total` is the exact sum of the unrounded indicator scores; `total_rounded` is it rounded
    half-up to 2 decimals, and `grade` is the code of the band that rounded total falls in.
    `complete` is False when any item is unanswered (rejected items do not make it False).
    """

    framework: str
    total: Fraction
    total_rounded: Decimal
    grade: str
    complete: bool
    primaries: tuple[PrimaryResult, ...]
    indicators: tuple[IndicatorResult, ...]
