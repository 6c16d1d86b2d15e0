"""Competition ranking of totals (scoring.md section 2)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from scoring.engine import rank_competition


def test_equal_totals_share_a_rank_and_the_next_rank_skips() -> None:
    totals = [
        ("c", Decimal("80.00")),
        ("a", Decimal("95.50")),
        ("d", Decimal("60.25")),
        ("b", Decimal("80.00")),
    ]
    assert rank_competition(totals) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_totals_are_compared_as_rounded_to_2_decimals() -> None:
    totals = [
        ("exact", Fraction(8999, 100)),  # 89.99
        ("rounds up", Fraction(899_851, 10_000)),  # 89.9851 -> 89.99
        ("below", Fraction(899_849, 10_000)),  # 89.9849 -> 89.98
    ]
    assert rank_competition(totals) == {"exact": 1, "rounds up": 1, "below": 3}


def test_fractions_decimals_and_ints_rank_together() -> None:
    totals: list[tuple[int, Decimal | Fraction | int]] = [
        (1, Fraction(75)),
        (2, Decimal("75.00")),
        (3, 100),
        (4, Decimal("74.999")),
    ]
    assert rank_competition(totals) == {3: 1, 1: 2, 2: 2, 4: 2}


def test_all_equal_share_rank_1() -> None:
    assert rank_competition([("a", 0), ("b", 0), ("c", 0)]) == {"a": 1, "b": 1, "c": 1}


def test_no_totals_give_no_ranks() -> None:
    assert rank_competition([]) == {}


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        rank_competition([("a", 1), ("a", 2)])


def test_floats_are_refused() -> None:
    a_float: Any = 1.5
    with pytest.raises(TypeError):
        rank_competition([("a", a_float)])
