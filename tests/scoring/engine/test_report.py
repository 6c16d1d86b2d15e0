"""Rounding of reported figures (scoring.md section 2) and the JSON output (section 7)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import Any

import pytest

from scoring.engine import (
    FrameworkSpec,
    result_to_json,
    round_achievement,
    round_half_up,
    round_s,
    round_score,
    score,
)

F = Fraction

# --- rounding ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (F("3.875"), "3.88"),
        (F("0.125"), "0.13"),
        (F("0.135"), "0.14"),  # half-up, not half-even
        (F("1.005"), "1.01"),  # float(1.005) is 1.00499..., so float rounding gives 1.00
        (F("2.675"), "2.68"),  # likewise 2.67 through float
        (F("3.874999"), "3.87"),
        (F(1, 3), "0.33"),
        (F(2, 3), "0.67"),
        (F(100), "100.00"),
        (F(0), "0.00"),
        (F("-3.875"), "-3.88"),  # ties go away from zero, as ROUND_HALF_UP does
    ],
)
def test_round_score_is_half_up_to_2_decimals(value: Fraction, expected: str) -> None:
    rounded = round_score(value)
    assert isinstance(rounded, Decimal)
    assert rounded == Decimal(expected)
    assert rounded.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "expected"),
    [(F("0.12345"), "0.1235"), (F(1, 3), "0.3333"), (F(2, 3), "0.6667"), (F(3), "3.0000")],
)
def test_achievements_and_s_round_half_up_to_4_decimals(value: Fraction, expected: str) -> None:
    assert round_achievement(value) == Decimal(expected)
    assert round_s(value) == Decimal(expected)
    assert round_s(value).as_tuple().exponent == -4


def test_rounding_uses_no_float() -> None:
    class NoFloat(Fraction):
        def __float__(self) -> float:
            raise AssertionError("float() was called")

    assert round_score(NoFloat(3875, 1000)) == Decimal("3.88")
    a_float: Any = 3.875
    with pytest.raises(TypeError):
        round_score(a_float)


def test_rounding_is_exact_for_huge_and_tiny_values() -> None:
    assert round_score(F(10**40 + 5, 10**3)) == Decimal("10000000000000000000000000000000000000.01")
    assert round_half_up(F(5, 10**9), 8) == Decimal("0.00000001")
    assert round_score(Decimal("0.125")) == Decimal("0.13")


# --- JSON output -------------------------------------------------------------------------


def worked_example(db37: FrameworkSpec) -> dict[str, object]:
    answers = {
        "L1P8.1": {"numerator": 480, "denominator": 1000},
        "L1P8.2": {"baseline": 200_000, "actual": 170_000},
        "L1P1.2": {"value": True},
        "L1P7.2": {"na": True},
    }
    return result_to_json(score(db37, answers, rejected=["L1P1.2"]))


def test_json_has_exactly_the_keys_of_section_7(db37: FrameworkSpec) -> None:
    output = worked_example(db37)
    assert list(output) == [
        "framework",
        "total",
        "grade",
        "complete",
        "primaries",
        "indicators",
    ]
    primaries = output["primaries"]
    indicators = output["indicators"]
    assert isinstance(primaries, dict) and isinstance(indicators, dict)
    assert list(primaries) == ["L1", "L2", "L3", "L4"]
    assert all(list(primary) == ["score", "weight"] for primary in primaries.values())
    assert list(indicators) == list(db37.indicators)
    for code, indicator in indicators.items():
        assert list(indicator) == ["score", "weight", "met", "items"]
        assert list(indicator["items"]) == [item.code for item in db37.indicators[code].items]
        for item in indicator["items"].values():
            assert list(item) == ["s", "achievement", "met"]


def test_json_values_are_the_rounded_figures(db37: FrameworkSpec) -> None:
    output = worked_example(db37)
    assert output["framework"] == "DB37/T 3890.3-2020"
    assert output["total"] == 3.88
    assert output["grade"] == "needs_improvement"
    assert output["complete"] is False
    assert output["primaries"]["L1"] == {"score": 3.88, "weight": 29.0}  # type: ignore[index]
    assert output["primaries"]["L4"] == {"score": 0.0, "weight": 10.0}  # type: ignore[index]
    assert output["indicators"]["L1P8"] == {  # type: ignore[index]
        "score": 3.88,
        "weight": 5.0,
        "met": False,
        "items": {
            "L1P8.1": {"s": 0.8, "achievement": 0.48, "met": False},
            "L1P8.2": {"s": 0.75, "achievement": 0.15, "met": False},
        },
    }


def test_json_uses_null_where_a_figure_does_not_apply(db37: FrameworkSpec) -> None:
    output = worked_example(db37)
    items = {
        code: item
        for indicator in output["indicators"].values()
        for code, item in indicator["items"].items()
    }
    assert items["L1P7.2"] == {"s": None, "achievement": None, "met": None}  # not applicable
    assert items["L1P1.2"] == {"s": 0.0, "achievement": None, "met": False}  # rejected boolean
    assert items["L1P1.1"] == {"s": 0.0, "achievement": None, "met": False}  # unanswered


def test_json_numbers_are_plain_floats_that_serialise(
    db37: FrameworkSpec, factory: ModuleType
) -> None:
    output = result_to_json(score(db37, factory.perfect_answers(db37)))
    text = json.dumps(output, ensure_ascii=False)
    assert json.loads(text) == output
    assert output["total"] == 100.0 and type(output["total"]) is float
    l2p1 = output["indicators"]["L2P1"]
    assert l2p1["items"]["L2P1.1"] == {"s": 1.0, "achievement": 100.0, "met": True}
    assert '"L4P1": {"score": 10.0, "weight": 10.0, "met": true' in text
