"""A framework compiled for scoring: the rule of every item and integer grade minimums.

The plan is built once per `FrameworkSpec` object, after `check()` passes, and kept in the
spec's private cache (the spec is frozen, so the plan cannot go stale).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from scoring.engine.errors import SpecError
from scoring.engine.rules import Rule, compile_rule
from scoring.engine.spec_checks import grade_band_errors
from scoring.engine.specs import FrameworkSpec, GradeBand


@dataclass(frozen=True, slots=True)
class IndicatorPlan:
    code: str
    weight: Fraction
    rules: tuple[Rule, ...]
    wnum: int  # weight as integers, read in the hot loop
    wden: int


@dataclass(frozen=True, slots=True)
class PrimaryPlan:
    code: str
    weight: Fraction
    indicators: tuple[IndicatorPlan, ...]


@dataclass(frozen=True, slots=True)
class BandPlan:
    """A grade band whose minimum is ``num / den``."""

    code: str
    num: int
    den: int


@dataclass(frozen=True, slots=True)
class FrameworkPlan:
    code: str
    primaries: tuple[PrimaryPlan, ...]
    indicators: tuple[IndicatorPlan, ...]
    rules: Mapping[str, Rule]
    bands: tuple[BandPlan, ...]


def compile_bands(bands: Iterable[GradeBand]) -> tuple[BandPlan, ...]:
    """Integer form of valid grade bands; raises `SpecError` otherwise."""
    bands = tuple(bands)
    problems = grade_band_errors(bands)
    if problems:
        raise SpecError(problems)
    return tuple(
        BandPlan(band.code, band.minimum.numerator, band.minimum.denominator) for band in bands
    )


def framework_plan(framework: FrameworkSpec) -> FrameworkPlan:
    """The compiled plan of a framework; raises `SpecError` if `framework.check()` fails."""
    plan: FrameworkPlan | None = framework._cache.get("plan")
    if plan is None:
        problems = framework.check()
        if problems:
            raise SpecError(problems)
        plan = _compile(framework)
        framework._cache["plan"] = plan
    return plan


def _compile(framework: FrameworkSpec) -> FrameworkPlan:
    primaries = tuple(
        PrimaryPlan(
            primary.code,
            primary.weight,
            tuple(
                IndicatorPlan(
                    indicator.code,
                    indicator.weight,
                    tuple(compile_rule(item) for item in indicator.items),
                    indicator.weight.numerator,
                    indicator.weight.denominator,
                )
                for indicator in primary.indicators
            ),
        )
        for primary in framework.primaries
    )
    indicators = tuple(indicator for primary in primaries for indicator in primary.indicators)
    rules = {rule.code: rule for indicator in indicators for rule in indicator.rules}
    return FrameworkPlan(
        code=framework.code,
        primaries=primaries,
        indicators=indicators,
        rules=rules,
        bands=compile_bands(framework.grade_bands),
    )
