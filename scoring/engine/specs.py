"""Frozen descriptions of a framework: primaries > indicators > items, plus grade bands.

Construction never validates, so a loader can build everything and then report every
problem at once with `check()`. It only normalises harmless spellings: strings become
`ItemType`/`Comparator` members, numbers become `Fraction` (floats through their decimal
repr, so ``0.6`` means 3/5), lists become tuples. Anything it cannot normalise is kept as
given and reported by `check()`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from scoring.engine import spec_checks
from scoring.engine.enums import COMPARATORS, Comparator, ItemType


def _fraction_or_raw(value: Any) -> Any:
    """`value` as an exact Fraction when it is a plain number or numeric string, else as is."""
    if isinstance(value, Fraction | bool) or value is None:
        return value
    try:
        if isinstance(value, float):
            return Fraction(repr(value)) if math.isfinite(value) else value
        if isinstance(value, int | Decimal | str):
            return Fraction(value)
    except (ValueError, ArithmeticError):
        return value
    return value


def _enum_or_raw(enum: type[ItemType] | type[Comparator], value: Any) -> Any:
    try:
        return enum(value)
    except ValueError:
        return value


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """One item: a checkable requirement of an indicator (scoring.md section 3).

    Parameters that do not apply to the item's type stay at their defaults; `check()` says
    which ones are wrong.
    """

    code: str
    type: ItemType
    weight: Fraction = Fraction(1)
    target: Fraction | None = None
    comparator: Comparator | None = None
    bounded: bool = False
    options: tuple[str, ...] = ()
    min_required: int | None = None
    na_options: bool = False
    max_level: int | None = None
    conditional: bool = False
    # Excluded from the hash because a mapping is not hashable; still compared.
    record_choices: Mapping[str, tuple[str, ...]] | None = field(default=None, hash=False)

    def __post_init__(self) -> None:
        _set(self, "type", _enum_or_raw(ItemType, self.type))
        if self.comparator is not None:
            _set(self, "comparator", _enum_or_raw(Comparator, self.comparator))
        _set(self, "weight", _fraction_or_raw(self.weight))
        _set(self, "target", _fraction_or_raw(self.target))
        if isinstance(self.options, list):
            _set(self, "options", tuple(self.options))
        if isinstance(self.record_choices, Mapping):
            # a private copy with tuple values (a plain dict, so specs stay picklable)
            copied = {
                key: tuple(value) if isinstance(value, list | tuple) else value
                for key, value in self.record_choices.items()
            }
            _set(self, "record_choices", copied)

    @property
    def effective_comparator(self) -> Comparator | None:
        """The comparator in force: the given one, else the type's default (ge, or le)."""
        if self.comparator is not None:
            return self.comparator
        allowed = COMPARATORS.get(self.type)
        return allowed[0] if allowed else None

    def check(self) -> list[str]:
        """Parameter errors for this item's type; each message starts with the item code."""
        return spec_checks.item_errors(self)


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """A secondary indicator; `weight` is in percentage points."""

    code: str
    weight: Fraction
    items: tuple[ItemSpec, ...]

    def __post_init__(self) -> None:
        _set(self, "weight", _fraction_or_raw(self.weight))
        if isinstance(self.items, list):
            _set(self, "items", tuple(self.items))


@dataclass(frozen=True, slots=True)
class PrimarySpec:
    """A primary indicator; `weight` must equal the sum of its indicators'."""

    code: str
    weight: Fraction
    indicators: tuple[IndicatorSpec, ...]

    def __post_init__(self) -> None:
        _set(self, "weight", _fraction_or_raw(self.weight))
        if isinstance(self.indicators, list):
            _set(self, "indicators", tuple(self.indicators))


@dataclass(frozen=True, slots=True)
class GradeBand:
    """A grade given to totals >= `minimum` (after rounding to 2 decimals)."""

    code: str
    minimum: Fraction

    def __post_init__(self) -> None:
        _set(self, "minimum", _fraction_or_raw(self.minimum))


@dataclass(frozen=True, slots=True)
class FrameworkSpec:
    """A whole framework. `grade_bands` run from the highest minimum down to 0."""

    code: str
    version: str
    primaries: tuple[PrimarySpec, ...]
    grade_bands: tuple[GradeBand, ...]
    # Lookup tables and the compiled scoring plan, built on first use. The spec is frozen,
    # so they never go stale; they take no part in equality, hashing or repr.
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.primaries, list):
            _set(self, "primaries", tuple(self.primaries))
        if isinstance(self.grade_bands, list):
            _set(self, "grade_bands", tuple(self.grade_bands))

    def __getstate__(self) -> tuple[str, str, tuple[PrimarySpec, ...], tuple[GradeBand, ...]]:
        """Pickle (e.g. into Django's cache) without the cache, which is rebuilt on use."""
        return self.code, self.version, self.primaries, self.grade_bands

    def __setstate__(
        self, state: tuple[str, str, tuple[PrimarySpec, ...], tuple[GradeBand, ...]]
    ) -> None:
        for name, value in zip(("code", "version", "primaries", "grade_bands"), state, strict=True):
            _set(self, name, value)
        _set(self, "_cache", {})

    @property
    def indicators(self) -> Mapping[str, IndicatorSpec]:
        """Indicator code -> spec, in framework order (read-only, cached)."""
        found: Mapping[str, IndicatorSpec] | None = self._cache.get("indicators")
        if found is None:
            found = MappingProxyType(
                {ind.code: ind for primary in self.primaries for ind in primary.indicators}
            )
            self._cache["indicators"] = found
        return found

    @property
    def items(self) -> Mapping[str, ItemSpec]:
        """Item code -> spec, in framework order (read-only, cached)."""
        found: Mapping[str, ItemSpec] | None = self._cache.get("items")
        if found is None:
            found = MappingProxyType(
                {item.code: item for ind in self.indicators.values() for item in ind.items}
            )
            self._cache["items"] = found
        return found

    def check(self) -> list[str]:
        """Every consistency problem of the framework; each message names the offending code."""
        return spec_checks.framework_errors(self)
