"""Item rules of scoring.md section 3, one behaviour per test."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import Any

import pytest

from scoring.engine import (
    Comparator,
    FrameworkSpec,
    ItemResult,
    ItemSpec,
    ItemType,
    round_score,
    score,
)

F = Fraction


def ratio(target: str = "0.60", comparator: str = "ge", bounded: bool = True) -> ItemSpec:
    return ItemSpec(
        "X1.1", ItemType.RATIO, target=F(target), comparator=Comparator(comparator), bounded=bounded
    )


def saving(target: str = "0.20") -> ItemSpec:
    return ItemSpec("X1.1", ItemType.SAVING, target=F(target))


def max_value(target: int = 15, comparator: str = "le") -> ItemSpec:
    return ItemSpec("X1.1", ItemType.MAX_VALUE, target=F(target), comparator=Comparator(comparator))


def count_min(target: int = 3, comparator: str = "ge") -> ItemSpec:
    return ItemSpec("X1.1", ItemType.COUNT_MIN, target=F(target), comparator=Comparator(comparator))


def checklist(options: int = 5, **params: Any) -> ItemSpec:
    return ItemSpec("X1.1", ItemType.CHECKLIST, options=tuple("abcdefg"[:options]), **params)


def graded(max_level: int = 4) -> ItemSpec:
    return ItemSpec("X1.1", ItemType.GRADED, max_level=max_level)


@pytest.fixture
def assess(factory: ModuleType) -> Any:
    """Score one item alone (in an indicator weighing 100) and return its result."""

    def run(item: ItemSpec, answer: object) -> ItemResult:
        framework: FrameworkSpec = factory.tiny_framework(item)
        result = score(framework, {item.code: answer})
        return result.indicators[0].items[0]

    return run


def expect(
    result: ItemResult, s: Fraction | None, achievement: Fraction | None, met: bool | None
) -> None:
    assert (result.s, result.achievement, result.met) == (s, achievement, met)


# --- worked example (scoring.md section 6) --------------------------------------------


def test_worked_example_l1p8_scores_3_875_shown_as_3_88_and_is_not_met(db37: FrameworkSpec) -> None:
    answers = {
        "L1P8.1": {"numerator": 480, "denominator": 1000},
        "L1P8.2": {"baseline": 200_000, "actual": 170_000},
    }
    result = score(db37, answers)
    l1p8 = next(indicator for indicator in result.indicators if indicator.code == "L1P8")
    lights, saving_item = l1p8.items
    assert (lights.achievement, lights.s, lights.met) == (F("0.48"), F("0.8"), False)
    assert (saving_item.achievement, saving_item.s, saving_item.met) == (
        F("0.15"),
        F("0.75"),
        False,
    )
    assert l1p8.score == F("3.875")
    assert round_score(l1p8.score) == Decimal("3.88")
    assert l1p8.met is False


# --- ratio -------------------------------------------------------------------------------


def test_ratio_below_target_scores_proportionally_and_is_not_met(assess: Any) -> None:
    expect(assess(ratio("0.60"), {"numerator": 30, "denominator": 100}), F(1, 2), F(3, 10), False)


def test_ratio_at_target_with_ge_scores_1_and_is_met(assess: Any) -> None:
    expect(assess(ratio("0.60"), {"numerator": 60, "denominator": 100}), F(1), F(3, 5), True)


def test_ratio_at_target_with_gt_scores_1_but_is_not_met(assess: Any) -> None:
    expect(assess(ratio("0.05", "gt"), {"numerator": 5, "denominator": 100}), F(1), F(1, 20), False)


def test_ratio_above_target_with_gt_is_met(assess: Any) -> None:
    expect(assess(ratio("0.05", "gt"), {"numerator": 6, "denominator": 100}), F(1), F(6, 100), True)


def test_unbounded_ratio_above_1_is_capped_at_s_1(assess: Any) -> None:
    item = ratio("1.00", bounded=False)
    expect(assess(item, {"numerator": 3, "denominator": 2}), F(1), F(3, 2), True)


def test_ratio_takes_floats_at_their_decimal_value(assess: Any) -> None:
    result = assess(ratio("0.60"), {"numerator": 0.1, "denominator": 0.3})
    expect(result, F(5, 9), F(1, 3), False)


def test_ratio_of_zero_scores_0(assess: Any) -> None:
    expect(assess(ratio(), {"numerator": 0, "denominator": 7}), F(0), F(0), False)


# --- saving ------------------------------------------------------------------------------


def test_saving_below_target_scores_proportionally(assess: Any) -> None:
    expect(assess(saving(), {"baseline": 200, "actual": 180}), F(1, 2), F(1, 10), False)


def test_saving_at_target_scores_1_and_is_met(assess: Any) -> None:
    expect(assess(saving(), {"baseline": 200, "actual": 160}), F(1), F(1, 5), True)


def test_saving_with_no_saving_scores_0(assess: Any) -> None:
    expect(assess(saving(), {"baseline": 200, "actual": 200}), F(0), F(0), False)


def test_saving_with_higher_consumption_scores_0_and_reports_negative_achievement(
    assess: Any,
) -> None:
    expect(assess(saving(), {"baseline": 200, "actual": 250}), F(0), F(-1, 4), False)


# --- max_value ---------------------------------------------------------------------------


def test_max_value_within_target_scores_1_and_is_met(assess: Any) -> None:
    expect(assess(max_value(15), {"value": 10}), F(1), F(10), True)


def test_max_value_at_target_with_le_is_met(assess: Any) -> None:
    expect(assess(max_value(15), {"value": 15}), F(1), F(15), True)


def test_max_value_at_target_with_lt_scores_1_but_is_not_met(assess: Any) -> None:
    expect(assess(max_value(15, "lt"), {"value": 15}), F(1), F(15), False)


def test_max_value_above_target_scores_target_over_value(assess: Any) -> None:
    expect(assess(max_value(15), {"value": 20}), F(3, 4), F(20), False)


def test_max_value_takes_decimal_minutes(assess: Any) -> None:
    expect(assess(max_value(15), {"value": 15.5}), F(30, 31), F(31, 2), False)


# --- count_min ---------------------------------------------------------------------------


def test_count_below_target_scores_proportionally(assess: Any) -> None:
    expect(assess(count_min(3), {"count": 2}), F(2, 3), F(2), False)


def test_count_above_target_is_capped_and_met(assess: Any) -> None:
    expect(assess(count_min(3), {"count": 5}), F(1), F(5), True)


def test_count_at_target_with_gt_scores_1_but_is_not_met(assess: Any) -> None:
    expect(assess(count_min(3, "gt"), {"count": 3}), F(1), F(3), False)


def test_count_accepts_a_whole_float(assess: Any) -> None:
    expect(assess(count_min(3), {"count": 3.0}), F(1), F(3), True)


# --- boolean -----------------------------------------------------------------------------


def test_boolean_true_scores_1_and_is_met_without_achievement(assess: Any) -> None:
    expect(assess(ItemSpec("X1.1", ItemType.BOOLEAN), {"value": True}), F(1), None, True)


def test_boolean_false_scores_0(assess: Any) -> None:
    expect(assess(ItemSpec("X1.1", ItemType.BOOLEAN), {"value": False}), F(0), None, False)


# --- checklist ---------------------------------------------------------------------------


def test_checklist_all_checked_scores_1_and_is_met(assess: Any) -> None:
    expect(assess(checklist(3), {"checked": ["c", "a", "b"]}), F(1), F(3), True)


def test_checklist_partly_checked_scores_the_share_of_options(assess: Any) -> None:
    expect(assess(checklist(5), {"checked": ["a", "c"]}), F(2, 5), F(2), False)


def test_checklist_na_options_lower_the_required_count(assess: Any) -> None:
    result = assess(checklist(5, na_options=True), {"checked": ["a", "b"], "na": ["d", "e"]})
    expect(result, F(2, 3), F(2), False)


def test_checklist_with_every_other_option_na_is_met(assess: Any) -> None:
    result = assess(checklist(3, na_options=True), {"checked": ["a"], "na": ["b", "c"]})
    expect(result, F(1), F(1), True)


def test_checklist_with_every_option_na_is_not_applicable(factory: ModuleType) -> None:
    item = checklist(2, na_options=True)
    boolean = ItemSpec("X1.2", ItemType.BOOLEAN)
    answers = {"X1.1": {"checked": [], "na": ["a", "b"]}, "X1.2": {"value": True}}
    result = score(factory.tiny_framework(item, boolean), answers)
    na_item = result.indicators[0].items[0]
    assert (na_item.status, na_item.s, na_item.achievement, na_item.met) == ("na", None, None, None)
    assert result.indicators[0].score == 100
    assert result.complete is True


def test_checklist_min_required_caps_the_requirement(assess: Any) -> None:
    item = checklist(5, min_required=2)
    expect(assess(item, {"checked": ["e"]}), F(1, 2), F(1), False)
    expect(assess(item, {"checked": ["a", "b"]}), F(1), F(2), True)
    expect(assess(item, {"checked": ["a", "b", "c"]}), F(1), F(3), True)


def test_checklist_min_required_is_not_lowered_by_na_options(assess: Any) -> None:
    item = checklist(5, min_required=2, na_options=True)
    result = assess(item, {"checked": ["a"], "na": ["b", "c", "d"]})
    expect(result, F(1, 2), F(1), False)


def test_checklist_with_nothing_checked_scores_0(assess: Any) -> None:
    expect(assess(checklist(4), {"checked": []}), F(0), F(0), False)


# --- graded ------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "s"), [(0, F(0)), (1, F(1, 4)), (3, F(3, 4)), (4, F(1))])
def test_graded_scores_level_over_max_level(assess: Any, level: int, s: Fraction) -> None:
    expect(assess(graded(4), {"level": level}), s, F(level), level == 4)


def test_graded_accepts_recorded_applications(db37: FrameworkSpec) -> None:
    application = {"name": "Smart parcel lockers", "technology": "ai", "domain": "service"}
    answer = {"level": 2, "applications": [{**application, "description": "AI sorting"}]}
    result = score(db37, {"L4P1.1": answer})
    l4p1 = result.indicators[-1]
    assert (l4p1.code, l4p1.score, l4p1.items[0].s) == ("L4P1", F(5), F(1, 2))


# --- missing, not applicable, rejected ---------------------------------------------------


def test_missing_item_scores_0_is_not_met_and_makes_the_result_incomplete(
    factory: ModuleType,
) -> None:
    items = (ItemSpec("X1.1", ItemType.BOOLEAN), ItemSpec("X1.2", ItemType.BOOLEAN))
    result = score(factory.tiny_framework(*items), {"X1.1": {"value": True}})
    missing = result.indicators[0].items[1]
    assert (missing.status, missing.s, missing.achievement, missing.met) == (
        "missing",
        F(0),
        None,
        False,
    )
    assert result.indicators[0].score == 50
    assert result.indicators[0].met is False
    assert result.complete is False


def test_none_answer_counts_as_unanswered(factory: ModuleType) -> None:
    item = ItemSpec("X1.1", ItemType.BOOLEAN)
    result = score(factory.tiny_framework(item), {"X1.1": None})
    assert result.indicators[0].items[0].status == "missing"
    assert result.complete is False


def test_conditional_item_marked_na_is_left_out_of_the_indicator(db37: FrameworkSpec) -> None:
    answers = {"L1P7.1": {"checked": ["a"]}, "L1P7.2": {"na": True}}
    result = score(db37, answers)
    l1p7 = next(indicator for indicator in result.indicators if indicator.code == "L1P7")
    kiosk, screen = l1p7.items
    assert (screen.status, screen.s, screen.achievement, screen.met) == ("na", None, None, None)
    assert kiosk.s == F(1, 2)
    assert l1p7.score == F(1)  # 2 x (1/2) / 1: the na item is out of both sums
    assert l1p7.met is False


def test_indicator_is_met_when_every_applicable_item_is_met(db37: FrameworkSpec) -> None:
    answers = {"L1P7.1": {"checked": ["a", "c"]}, "L1P7.2": {"na": True}}
    l1p7 = next(ind for ind in score(db37, answers).indicators if ind.code == "L1P7")
    assert (l1p7.score, l1p7.met) == (F(2), True)


def test_rejected_item_scores_0_is_not_met_but_keeps_the_result_complete(
    factory: ModuleType,
) -> None:
    items = (ratio("0.60"), ItemSpec("X1.2", ItemType.BOOLEAN))
    answers = {"X1.1": {"numerator": 9, "denominator": 10}, "X1.2": {"value": True}}
    framework = factory.tiny_framework(*items)
    result = score(framework, answers, rejected={"X1.1"})
    rejected = result.indicators[0].items[0]
    assert (rejected.status, rejected.s, rejected.achievement, rejected.met) == (
        "rejected",
        F(0),
        F(9, 10),
        False,
    )
    assert result.indicators[0].score == 50
    assert result.indicators[0].met is False
    assert result.complete is True
    assert score(framework, answers).indicators[0].score == 100


def test_rejecting_an_unanswered_item_keeps_it_missing(factory: ModuleType) -> None:
    item = ItemSpec("X1.1", ItemType.BOOLEAN)
    result = score(factory.tiny_framework(item), {}, rejected=["X1.1"])
    assert result.indicators[0].items[0].status == "missing"
    assert result.complete is False


def test_rejecting_an_unknown_item_is_a_programming_error(db37: FrameworkSpec) -> None:
    with pytest.raises(ValueError, match=r"L9P9\.1"):
        score(db37, {}, rejected=["L9P9.1"])
