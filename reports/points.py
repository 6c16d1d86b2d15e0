"""How an indicator's points divide among its items, for explaining a stored score.

Each applicable item earns its share of the indicator weight times its score ``s``
(scoring.md section 2). The stored ``s`` and the stored indicator score are both rounded,
so the parts are rounded by the largest remainder: each is within 0.01 of its exact value
and together they add up to the indicator score shown beside them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from scoring.engine.numbers import SCORE_PLACES, half_up_scaled, round_half_up, scaled_to_decimal

_SCALE = 10**SCORE_PLACES


def item_share(indicator_weight: Fraction, item_weight: Fraction, applicable: Fraction) -> Fraction:
    """An applicable item's share of its indicator's weight."""
    return indicator_weight * item_weight / applicable if applicable else Fraction(0)


def split_points(parts: Sequence[Fraction], total: Decimal) -> list[Decimal]:
    """``parts`` rounded to 2 decimals so that they add up to ``total`` (itself rounded to
    2 decimals); plain rounding of each part where that cannot be done within 0.01."""
    wanted = half_up_scaled(total, SCORE_PLACES)
    floors = [math.floor(part * _SCALE) for part in parts]
    short = wanted - sum(floors)
    remainders = sorted(
        (index for index, part in enumerate(parts) if part * _SCALE > floors[index]),
        key=lambda index: (-(parts[index] * _SCALE - floors[index]), index),
    )
    if not 0 <= short <= len(remainders):
        return [round_half_up(part, SCORE_PLACES) for part in parts]
    for index in remainders[:short]:
        floors[index] += 1
    return [scaled_to_decimal(value, SCORE_PLACES) for value in floors]
