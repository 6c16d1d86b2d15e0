"""Aggregation, completeness and grades (scoring.md sections 2 and 4)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import Any

import pytest

from scoring.engine import (
    FrameworkSpec,
    GradeBand,
    IndicatorSpec,
    ItemSpec,
    ItemType,
    PrimarySpec,
    SpecError,
    round_score,
    score,
)

F = Fraction
RATIO_1: dict[str, Any] = {"type": ItemType.RATIO, "target": F(1), "bounded": True}


def two_halves() -> FrameworkSpec:
    """Two indicators of weight 50, each one ratio item with target 1."""
    indicators = tuple(
        IndicatorSpec(code, F(50), (ItemSpec(f"{code}.1", **RATIO_1),)) for code in ("A1", "A2")
    )
    return FrameworkSpec(
        code="halves",
        version="1",
        primaries=(PrimarySpec("A", F(100), indicators),),
        grade_bands=(GradeBand("high", F(90)), GradeBand("low", F(0))),
    )


def test_meeting_every_item_gives_100_excellent_and_every_indicator_met(
    db37: FrameworkSpec, factory: ModuleType
) -> None:
    result = score(db37, factory.perfect_answers(db37))
    assert (result.total, result.total_rounded, result.grade) == (
        F(100),
        Decimal("100.00"),
        "excellent",
    )
    assert result.complete is True
    assert all(ind.met and ind.score == ind.weight for ind in result.indicators)
    assert [(p.code, p.score) for p in result.primaries] == [
        ("L1", F(29)),
        ("L2", F(39)),
        ("L3", F(22)),
        ("L4", F(10)),
    ]


def test_no_answers_give_0_needs_improvement_and_incomplete(db37: FrameworkSpec) -> None:
    result = score(db37, {})
    assert (result.total, result.total_rounded, result.grade) == (
        F(0),
        Decimal("0.00"),
        "needs_improvement",
    )
    assert result.complete is False
    assert result.framework == "DB37/T 3890.3-2020"
    assert all(item.status == "missing" for ind in result.indicators for item in ind.items)


def test_primary_and_total_are_exact_sums_of_indicator_scores(
    db37: FrameworkSpec, factory: ModuleType
) -> None:
    import random

    answers = factory.random_answers(db37, random.Random(7), missing=0.1)
    result = score(db37, answers)
    by_code = {ind.code: ind.score for ind in result.indicators}
    for primary in result.primaries:
        assert primary.score == sum(
            (score for code, score in by_code.items() if code.startswith(f"{primary.code}P")),
            F(0),
        )
    assert result.total == sum(by_code.values(), F(0))


def test_total_is_the_rounded_sum_of_unrounded_indicator_scores() -> None:
    # each indicator scores 50 x 1/80 = 0.625, shown 0.63; the total is 1.25, not 1.26
    answers = {code: {"numerator": 1, "denominator": 80} for code in ("A1.1", "A2.1")}
    result = score(two_halves(), answers)
    assert [round_score(ind.score) for ind in result.indicators] == [Decimal("0.63")] * 2
    assert (result.total, result.total_rounded) == (F(5, 4), Decimal("1.25"))


def test_grade_is_chosen_on_the_rounded_total() -> None:
    # 2 x 50 x 0.89995 = 89.995, shown as 90.00: excellent although the exact total is < 90
    answers = {code: {"numerator": 89_995, "denominator": 100_000} for code in ("A1.1", "A2.1")}
    result = score(two_halves(), answers)
    assert result.total < 90
    assert (result.total_rounded, result.grade) == (Decimal("90.00"), "high")


def test_grade_bands_can_be_overridden_per_call(db37: FrameworkSpec, factory: ModuleType) -> None:
    bands = [GradeBand("gold", F(99)), GradeBand("other", F(0))]
    assert score(db37, factory.perfect_answers(db37), grade_bands=bands).grade == "gold"
    assert score(db37, {}, grade_bands=bands).grade == "other"


def test_invalid_grade_band_override_raises_spec_error(db37: FrameworkSpec) -> None:
    with pytest.raises(SpecError, match="minimum 0"):
        score(db37, {}, grade_bands=[GradeBand("gold", F(50))])


def test_item_weights_weigh_the_indicator_score(factory: ModuleType) -> None:
    heavy = ItemSpec("X1.1", ItemType.BOOLEAN, weight=F(3))
    light = ItemSpec("X1.2", ItemType.BOOLEAN, weight=F(1, 2))
    framework = factory.tiny_framework(heavy, light)
    answers = {"X1.1": {"value": False}, "X1.2": {"value": True}}
    assert score(framework, answers).indicators[0].score == F(100) * F(1, 2) / F(7, 2)


def test_every_item_not_applicable_leaves_the_indicator_at_0_and_not_met(
    factory: ModuleType,
) -> None:
    # validation refuses this state; the aggregation still handles it safely
    from scoring.engine.aggregate import _indicator_result
    from scoring.engine.plan import framework_plan

    item = ItemSpec("X1.1", ItemType.BOOLEAN, conditional=True)
    plan = framework_plan(factory.tiny_framework(item))
    result, answered = _indicator_result(plan.indicators[0], [None], frozenset())
    assert (result.score, result.met, answered) == (F(0), False, True)
    assert result.items[0].status == "na"


def test_results_are_immutable(db37: FrameworkSpec) -> None:
    result = score(db37, {})
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = F(1)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.indicators[0].items[0].s = F(1)  # type: ignore[misc]


def test_scoring_the_same_answers_twice_gives_equal_results(
    db37: FrameworkSpec, factory: ModuleType
) -> None:
    answers = factory.perfect_answers(db37)
    assert score(db37, answers) == score(db37, answers)


def test_framework_pickles_without_its_compiled_cache(
    db37: FrameworkSpec, factory: ModuleType
) -> None:
    import pickle

    answers = factory.perfect_answers(db37)
    expected = score(db37, answers)  # fills the cache of db37
    copy = pickle.loads(pickle.dumps(db37))  # noqa: S301 - our own bytes
    assert copy == db37
    assert copy._cache == {}
    assert score(copy, answers) == expected
    assert pickle.loads(pickle.dumps(expected)) == expected  # noqa: S301


def test_answers_must_be_a_mapping(db37: FrameworkSpec) -> None:
    pairs: Any = [("L1P1.2", {"value": True})]
    with pytest.raises(TypeError, match="answers must map item codes"):
        score(db37, pairs)
