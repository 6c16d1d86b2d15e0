"""Rounding of reported figures: ROUND_HALF_UP, one implementation, text and Decimal agree."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from scoring.engine import round_half_up
from scoring.engine.numbers import fixed_text


@given(
    numerator=st.integers(min_value=0, max_value=10**9),
    denominator=st.integers(min_value=1, max_value=10**9),
    places=st.sampled_from([2, 4]),
)
def test_stored_text_is_the_engines_rounding(numerator, denominator, places):
    value = Fraction(numerator, denominator)
    assert fixed_text(value, places) == str(round_half_up(value, places))


def test_halves_round_up():
    assert fixed_text(Fraction(3875, 1000), 2) == "3.88"
    assert fixed_text(Fraction(1, 8), 2) == "0.13"
    assert fixed_text(Fraction(0), 4) == "0.0000"
    assert fixed_text(Fraction(1), 2) == "1.00"
