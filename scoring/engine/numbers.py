"""Exact reading of answer numbers and ROUND_HALF_UP rounding of reported figures.

Everything stays in integers or `Fraction`; no float arithmetic is involved anywhere.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from scoring.engine.errors import ErrorCode

SCORE_PLACES = 2
ACHIEVEMENT_PLACES = 4
S_PLACES = 4


def exact_number(value: object) -> tuple[int, int] | ErrorCode:
    """The exact value of a JSON number as ``(numerator, denominator > 0)``.

    Floats are taken at their decimal repr, so ``0.1`` is 1/10 (what the user typed), not
    the binary approximation. `Decimal` and `Fraction` are accepted too. Booleans, strings
    and other objects give ``NOT_A_NUMBER``; NaN and infinities give ``NOT_FINITE``. The sign
    is kept: the caller decides whether negatives are allowed.
    """
    if type(value) is int:
        return value, 1
    if type(value) is float:
        if not math.isfinite(value):
            return ErrorCode.NOT_FINITE
        if value.is_integer():
            return int(value), 1
        return Decimal(repr(value)).as_integer_ratio()
    if isinstance(value, bool):
        return ErrorCode.NOT_A_NUMBER
    if isinstance(value, Fraction):
        return value.numerator, value.denominator
    if isinstance(value, int):
        return int(value), 1
    if isinstance(value, float):
        return exact_number(float(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return ErrorCode.NOT_FINITE
        return value.as_integer_ratio()
    return ErrorCode.NOT_A_NUMBER


def half_up_scaled(value: Fraction | Decimal | int, places: int) -> int:
    """``value * 10**places`` rounded to an integer, ties away from zero (ROUND_HALF_UP)."""
    if isinstance(value, float):
        raise TypeError("rounding takes an exact Fraction, Decimal or int, not a float")
    scale: int = 10**places
    if isinstance(value, int):
        return value * scale
    if isinstance(value, Decimal):
        value = Fraction(value)
    numerator, denominator = value.numerator, value.denominator
    quotient, remainder = divmod(abs(numerator) * scale, denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def round_half_up(value: Fraction | Decimal | int, places: int) -> Decimal:
    """`value` rounded ROUND_HALF_UP to `places` decimals, as an exact Decimal.

    The Decimal always carries exactly `places` decimals (``Decimal("3.00")``).
    """
    return scaled_to_decimal(half_up_scaled(value, places), places)


def scaled_to_decimal(scaled: int, places: int) -> Decimal:
    """``scaled / 10**places`` as an exact Decimal with `places` decimals."""
    return Decimal(f"{scaled}E-{places}") if places else Decimal(scaled)


def round_score(value: Fraction | Decimal | int) -> Decimal:
    """A score (indicator, primary, total) rounded to 2 decimals."""
    return round_half_up(value, SCORE_PLACES)


def round_achievement(value: Fraction | Decimal | int) -> Decimal:
    """An achievement (ratio, minutes, count, level) rounded to 4 decimals."""
    return round_half_up(value, ACHIEVEMENT_PLACES)


def round_s(value: Fraction | Decimal | int) -> Decimal:
    """An item score `s` in [0, 1] rounded to 4 decimals."""
    return round_half_up(value, S_PLACES)


_FIXED_CACHE: dict[tuple[int, int, int], str] = {}


def fixed_text(value: Fraction, places: int) -> str:
    """A non-negative `value` rounded ROUND_HALF_UP to `places` decimals, as text ("0.8000"):
    the same as ``str(round_half_up(value, places))``, for storing reported figures.

    A round repeats the same figures (0, 1, the usual checklist shares) millions of times,
    so results are kept in a bounded cache keyed by the exact value.
    """
    key = (value.numerator, value.denominator, places)
    text = _FIXED_CACHE.get(key)
    if text is None:
        whole, part = divmod(half_up_scaled(value, places), 10**places)
        text = f"{whole}.{part:0{places}d}" if places else str(whole)
        if len(_FIXED_CACHE) >= 200_000:
            _FIXED_CACHE.clear()
        _FIXED_CACHE[key] = text
    return text
