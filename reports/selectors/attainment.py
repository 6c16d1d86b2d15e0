"""Scores as a share of what they could reach: the figures of heat maps and bars.

An indicator's (or primary's) attainment is its score divided by its weight, as a
percentage. Heat maps colour a cell by one of five steps of 20 points (``att-0`` .. ``att-4``
in dashboard.css), from the whole percentage written in the cell, so colour and figure
always agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from indicators.models import Framework
from indicators.specs import framework_catalog
from reports.scope import Scope

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
    if value is None:
        return None
    return max(0, min(STEPS - 1, int(value // STEP_WIDTH)))


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


@dataclass(frozen=True)
class Column:
    """An indicator as a heat-map column."""

    code: str
    name: str
    weight: Decimal
    id: int


@dataclass(frozen=True)
class Group:
    """A primary indicator with its indicators (a heading over its columns)."""

    code: str
    name: str
    weight: Decimal
    columns: tuple[Column, ...]


def indicator_groups(scope: Scope) -> list[Group]:
    """The primaries of the scope's round with their indicators, in the framework's order."""
    return framework_groups(scope.round.framework) if scope.round is not None else []


def framework_groups(framework: Framework) -> list[Group]:
    """A framework's primaries with their indicators (from the framework catalog: no query
    once it is cached)."""
    catalog = framework_catalog(framework)
    return [
        Group(
            code=primary.code,
            name=primary.name,
            weight=primary.weight,
            columns=tuple(
                Column(code=ind.code, name=ind.name, weight=ind.weight, id=ind.pk)
                for ind in primary.indicators.all()
            ),
        )
        for primary in catalog.primaries
    ]


def columns_of(groups: list[Group]) -> list[Column]:
    return [column for group in groups for column in group.columns]


def cells_from_means(columns: list[Column], means: Mapping[str, Any]) -> list[Cell]:
    """Cells of an area from its stored mean per indicator code."""
    return [Cell.of(means.get(column.code), column.weight) for column in columns]


def plain(value: Decimal) -> str:
    """A weight without trailing zeros ("4", "3.5"), never in exponent form."""
    return format(value.normalize(), "f")
