"""Scoring a whole assessment (scoring.md sections 2 and 4).

Sums are kept as integer pairs ``(numerator, denominator)`` without reducing, and each
indicator, primary and total score becomes one reduced `Fraction`: exact, and much faster
than adding Fractions one by one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction

from scoring.engine.errors import InvalidAnswers
from scoring.engine.numbers import SCORE_PLACES, half_up_scaled, scaled_to_decimal
from scoring.engine.plan import BandPlan, IndicatorPlan, compile_bands, framework_plan
from scoring.engine.results import (
    REJECTED,
    IndicatorResult,
    ItemResult,
    PrimaryResult,
    ScoreResult,
)
from scoring.engine.rules import ONE, ZERO
from scoring.engine.specs import FrameworkSpec, GradeBand
from scoring.engine.validation import MISSING, Assessed, assess_answers

_SCORE_SCALE = 10**SCORE_PLACES


def score(
    framework: FrameworkSpec,
    answers: Mapping[str, object],
    *,
    rejected: Collection[str] = (),
    grade_bands: Sequence[GradeBand] | None = None,
) -> ScoreResult:
    """Score a set of answers (item code -> answer; absent or None means unanswered).

    `rejected` names items whose evidence a reviewer rejected: they score 0 and are not met,
    but count as answered (an unanswered or not applicable item stays so). `grade_bands`
    overrides the framework's bands (e.g. per round).
    Raises `InvalidAnswers` listing every problem, `SpecError` for an inconsistent framework
    or bands, and `ValueError` for rejected codes that are not items of the framework.
    """
    plan = framework_plan(framework)
    errors, assessed = assess_answers(plan, answers)
    if errors:
        raise InvalidAnswers(errors)
    rejected_codes = frozenset(rejected)
    unknown = rejected_codes - plan.rules.keys()
    if unknown:
        raise ValueError(f"rejected items are not in the framework: {', '.join(sorted(unknown))}")
    bands = plan.bands if grade_bands is None else compile_bands(grade_bands)

    per_indicator = iter(assessed)
    complete = True
    indicator_results: list[IndicatorResult] = []
    primary_results: list[PrimaryResult] = []
    total_num, total_den = 0, 1
    for primary in plan.primaries:
        primary_num, primary_den = 0, 1
        for indicator in primary.indicators:
            result, answered = _indicator_result(indicator, next(per_indicator), rejected_codes)
            complete = complete and answered
            indicator_results.append(result)
            value = result.score  # primary += value
            if value.denominator == primary_den:
                primary_num += value.numerator
            else:
                primary_num = primary_num * value.denominator + value.numerator * primary_den
                primary_den *= value.denominator
        primary_score = Fraction(primary_num, primary_den)
        primary_results.append(PrimaryResult(primary.code, primary.weight, primary_score))
        total_num = total_num * primary_den + primary_num * total_den
        total_den *= primary_den

    total = Fraction(total_num, total_den)
    scaled_total = half_up_scaled(total, SCORE_PLACES)
    return ScoreResult(
        framework=plan.code,
        total=total,
        total_rounded=scaled_to_decimal(scaled_total, SCORE_PLACES),
        grade=_grade(bands, scaled_total),
        complete=complete,
        primaries=tuple(primary_results),
        indicators=tuple(indicator_results),
    )


def _indicator_result(
    indicator: IndicatorPlan, assessed: list[Assessed], rejected_codes: frozenset[str]
) -> tuple[IndicatorResult, bool]:
    """The indicator's result, and whether all its items are answered.

    Score = weight x sum(item weight x s) / sum(item weight), over applicable items.
    """
    items: list[ItemResult] = []
    answered = met = True
    scored_num, scored_den = 0, 1  # sum of item weight x s
    weight_num, weight_den = 0, 1  # sum of applicable item weights
    for rule, result in zip(indicator.rules, assessed, strict=False):
        if result is None:
            items.append(rule.na_result)
            continue
        if result is MISSING:
            answered = met = False
            items.append(rule.missing_result)
        elif rejected_codes and rule.code in rejected_codes:
            met = False
            items.append(
                ItemResult(rule.code, REJECTED, ZERO, result.achievement, False, rule.weight)
            )
        else:
            items.append(result)
            if not result.met:
                met = False
            s = result.s
            if s is ONE:  # the shared constants make the usual cases cheap
                term_num, term_den = rule.wnum, rule.wden
            elif s is ZERO or s is None:  # (s is None only for not applicable items)
                term_num = 0
            else:
                term_num = rule.wnum * s.numerator
                term_den = rule.wden * s.denominator
            if term_num:  # scored += item weight x s
                if term_den == scored_den:
                    scored_num += term_num
                else:
                    scored_num = scored_num * term_den + term_num * scored_den
                    scored_den *= term_den
        if rule.wden == weight_den:  # weight += item weight
            weight_num += rule.wnum
        else:
            weight_num = weight_num * rule.wden + rule.wnum * weight_den
            weight_den *= rule.wden
    if weight_num:
        value = Fraction(
            indicator.wnum * scored_num * weight_den,
            indicator.wden * scored_den * weight_num,
        )
    else:  # every item not applicable (validation rejects this)
        value, met = ZERO, False
    return IndicatorResult(indicator.code, indicator.weight, value, met, tuple(items)), answered


def _grade(bands: tuple[BandPlan, ...], scaled_total: int) -> str:
    """The first band whose minimum the rounded total (``scaled_total / 100``) reaches."""
    for band in bands:
        if scaled_total * band.den >= band.num * _SCORE_SCALE:
            return band.code
    raise AssertionError("grade bands end at 0, so a band always matches")  # pragma: no cover
