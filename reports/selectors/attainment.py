"""Indicators as the columns of heat maps and tables, grouped under their primaries, and
the cells of an area (the figures themselves are in reports.attainment)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from indicators.models import Framework
from indicators.specs import framework_catalog
from reports.attainment import Cell
from reports.scope import Scope


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
