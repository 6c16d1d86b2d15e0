"""Grade bands as people read them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from indicators.text import is_english


def grade_name(bands: Iterable[Mapping[str, Any]], code: str) -> str:
    """The name of grade ``code`` in the active language ("良好" / "Good"); the code itself
    when the bands do not know it."""
    for band in bands:
        if band.get("code") == code:
            english = band.get("name_en") or ""
            return str(english if is_english() and english else band.get("name_zh") or code)
    return code


def grade_tone(bands: Iterable[Mapping[str, Any]], code: str) -> int:
    """The position of grade ``code`` among the bands, 1 for the best (colours follow it;
    the name is always written too); one past the last for an unknown code."""
    codes = [band.get("code") for band in bands]
    return codes.index(code) + 1 if code in codes else len(codes) + 1
