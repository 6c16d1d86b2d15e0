"""Scores as a share of what they could reach: the figures of heat maps, bars and tables.

An indicator's (or primary's) attainment is its score divided by its weight, as a
percentage. Heat maps colour a cell by one of five steps of 20 points (``att-0`` .. ``att-4``
in dashboard.css), from the whole percentage written in the cell, so colour and figure
always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

STEP_WIDTH = 20  # percentage points per colour step
STEPS = 5


def percent(score: Any, weight: Any, places: int = 0) -> Decimal | None:
    """``score`` as a percentage of ``weight`` rounded half up (None when either is
    missing or the weight is zero)."""
    if score is None or weight is None:
        return None
    whole = Decimal(str(weight))
    if not whole:
        return None
    value = Decimal(str(score)) * 100 / whole
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def step(value: Decimal | None) -> int | None:
    """The colour step (0 worst .. 4 best) of a percentage."""
    return None if value is None else tone(value)


@dataclass(frozen=True)
class Cell:
    """One heat-map cell: the percentage, its colour step, and both as the page writes
    them (plain strings render fastest: a page has 1,200 cells)."""

    value: Decimal | None
    step: int | None

    @classmethod
    def of(cls, score: Any, weight: Any) -> Cell:
        value = percent(score, weight)
        return cls(value=value, step=step(value))

    @property
    def text(self) -> str:
        return str(self.value) if self.value is not None else "–"

    @property
    def css(self) -> str:
        return f"att att-{self.step}" if self.step is not None else "att"


def legend() -> list[tuple[int, str]]:
    """The colour steps as ranges of whole percentages: (0, "0–19%") .. (4, "80–100%")."""
    rows = []
    for n in range(STEPS):
        low, high = n * STEP_WIDTH, (n + 1) * STEP_WIDTH - 1
        rows.append((n, f"{low}–{100 if n == STEPS - 1 else high}%"))
    return rows


def percent_of(value: Any, weight: Any) -> Decimal:
    """``value`` as a percentage of ``weight`` with one decimal, for tables that always
    show a figure (0.0 for a zero weight)."""
    return percent(value, weight, places=1) or Decimal("0.0")


def tone(value: Decimal) -> int:
    """The colour step of a percentage that is always there."""
    return max(0, min(STEPS - 1, int(value // STEP_WIDTH)))
