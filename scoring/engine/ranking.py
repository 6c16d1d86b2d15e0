"""Competition ranking of totals within a round (scoring.md section 2)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from scoring.engine.numbers import SCORE_PLACES, half_up_scaled

K = TypeVar("K", bound=Hashable)


def rank_competition(totals: Iterable[tuple[K, Decimal | Fraction | int]]) -> dict[K, int]:
    """Rank keys by total, highest first; equal totals share a rank and the next rank skips
    (1, 2, 2, 4).

    Totals are compared after rounding half-up to 2 decimals, as they are displayed, so
    unrounded Fractions and stored Decimals rank alike. Keys must be unique.
    """
    rounded = [(key, half_up_scaled(total, SCORE_PLACES)) for key, total in totals]
    rounded.sort(key=lambda pair: pair[1], reverse=True)
    ranks: dict[K, int] = {}
    rank, previous = 0, None
    for position, (key, value) in enumerate(rounded, start=1):
        if key in ranks:
            raise ValueError(f"duplicate key in ranking: {key!r}")
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return ranks
