"""Plausible answers for demo data and benchmarks: a quality in [0, 1] drives every item.

A community of quality 0.9 reaches most targets; one of quality 0.2 reaches few. Answers
are always valid for their item, so they exercise the real scoring rules.
"""

from __future__ import annotations

import random
from typing import Any

from assessments.answers import NOT_APPLICABLE
from scoring.engine import FrameworkSpec, ItemSpec, ItemType


def _chance(rng: random.Random, quality: float) -> bool:
    return rng.random() < 0.15 + 0.8 * quality


def _level(rng: random.Random, quality: float, top: float) -> float:
    """A value around ``quality * top`` with some noise, never negative."""
    return max(0.0, top * min(1.3, quality + rng.uniform(-0.2, 0.2)))


def item_answer(item: ItemSpec, quality: float, rng: random.Random) -> dict[str, Any]:
    target = float(item.target) if item.target is not None else 1.0
    if item.type == ItemType.RATIO:
        denominator = rng.randint(40, 2000)
        reach = _level(rng, quality, target * 1.1)
        numerator = round(denominator * reach)
        if item.bounded:
            numerator = min(numerator, denominator)
        return {"numerator": numerator, "denominator": denominator}
    if item.type == ItemType.SAVING:
        baseline = rng.randint(50_000, 400_000)
        saving = _level(rng, quality, target * 1.2)
        return {"baseline": baseline, "actual": round(baseline * (1 - min(saving, 0.9)))}
    if item.type == ItemType.MAX_VALUE:
        return {"value": max(1, round(target * (2.2 - 1.6 * quality + rng.uniform(-0.3, 0.3))))}
    if item.type == ItemType.COUNT_MIN:
        return {"count": round(_level(rng, quality, target * 1.4))}
    if item.type == ItemType.BOOLEAN:
        return {"value": _chance(rng, quality)}
    if item.type == ItemType.CHECKLIST:
        na = [code for code in item.options if item.na_options and rng.random() < 0.1]
        if len(na) == len(item.options):
            na = na[:-1]
        checked = [code for code in item.options if code not in na and _chance(rng, quality)]
        answer: dict[str, Any] = {"checked": checked}
        if na:
            answer["na"] = na
        return answer
    if item.type == ItemType.GRADED:
        top = item.max_level or 1
        return {"level": min(top, max(0, round(top * quality + rng.uniform(-0.7, 0.7))))}
    raise ValueError(f"no demo answer for item type {item.type}")


def make_answers(
    spec: FrameworkSpec, quality: float, rng: random.Random, *, completeness: float = 1.0
) -> dict[str, Any]:
    """Answers for a share ``completeness`` of the items (conditional items sometimes n/a)."""
    answers: dict[str, Any] = {}
    for code, item in spec.items.items():
        if completeness < 1.0 and rng.random() > completeness:
            continue
        if item.conditional and rng.random() < 0.2:
            answers[code] = dict(NOT_APPLICABLE)
        else:
            answers[code] = item_answer(item, quality, rng)
    return answers
