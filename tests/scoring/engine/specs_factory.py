"""A DB37/T 3890.3-2020 shaped framework (scoring.md section 5) and random valid answers.

Used by the engine tests (through the fixtures in conftest.py) and by
benchmarks/engine_speed.py. Pure stdlib + scoring.engine: no Django.
"""

from __future__ import annotations

import random
import string
from fractions import Fraction
from typing import Any

from scoring.engine import (
    Comparator,
    FrameworkSpec,
    GradeBand,
    IndicatorSpec,
    ItemSpec,
    ItemType,
    PrimarySpec,
)

FRAMEWORK_CODE = "DB37/T 3890.3-2020"

#: record_choices of L4P1.1 (the data file may use other codes; the engine does not care).
APPLICATION_CHOICES = {
    "technology": ("big_data", "ai", "5g", "other"),
    "domain": ("service", "safety"),
}


def _ratio(target: str, comparator: str = "ge") -> dict[str, Any]:
    return {
        "type": ItemType.RATIO,
        "target": Fraction(target),
        "comparator": Comparator(comparator),
        "bounded": True,
    }


def _checklist(options: int, **extra: Any) -> dict[str, Any]:
    return {
        "type": ItemType.CHECKLIST,
        "options": tuple(string.ascii_lowercase[:options]),
        **extra,
    }


BOOLEAN: dict[str, Any] = {"type": ItemType.BOOLEAN}

#: primary code -> [(indicator code, weight, [item params in order])]; item n is "<ind>.<n>".
DB37_LAYOUT: dict[str, list[tuple[str, str, list[dict[str, Any]]]]] = {
    "L1": [
        ("L1P1", "3.0", [_ratio("1.00"), BOOLEAN]),
        ("L1P2", "3.0", [_ratio("1.00"), _checklist(3)]),
        ("L1P3", "3.0", [_ratio("1.00"), _ratio("0.50")]),
        ("L1P4", "3.0", [_checklist(5)]),
        ("L1P5", "6.0", [BOOLEAN, _checklist(2), BOOLEAN]),
        ("L1P6", "4.0", [BOOLEAN, BOOLEAN]),
        ("L1P7", "2.0", [_checklist(5, min_required=2), {**BOOLEAN, "conditional": True}]),
        (
            "L1P8",
            "5.0",
            [
                _ratio("0.60"),
                {"type": ItemType.SAVING, "target": Fraction("0.20"), "comparator": "ge"},
            ],
        ),
    ],
    "L2": [
        ("L2P1", "4.0", [{"type": ItemType.COUNT_MIN, "target": Fraction(3)}, BOOLEAN]),
        ("L2P2", "4.0", [BOOLEAN, _checklist(4)]),
        ("L2P3", "3.0", [_ratio("0.50")]),
        ("L2P4", "6.0", [BOOLEAN, _checklist(3), _ratio("0.05", "gt")]),
        ("L2P5", "6.0", [_ratio("0.80"), BOOLEAN, BOOLEAN]),
        (
            "L2P6",
            "6.0",
            [
                _checklist(7),
                {"type": ItemType.MAX_VALUE, "target": Fraction(15), "comparator": "le"},
            ],
        ),
        ("L2P7", "4.0", [_checklist(4), BOOLEAN]),
        ("L2P8", "2.0", [BOOLEAN, BOOLEAN]),
        ("L2P9", "2.0", [BOOLEAN, BOOLEAN]),
        ("L2P10", "2.0", [_checklist(5)]),
    ],
    "L3": [
        ("L3P1", "5.0", [_checklist(5, na_options=True), _checklist(3), BOOLEAN]),
        ("L3P2", "6.0", [_checklist(3), BOOLEAN]),
        ("L3P3", "5.0", [_checklist(6)]),
        ("L3P4", "4.0", [_ratio("0.70", "gt")]),
        ("L3P5", "2.0", [_checklist(7), _checklist(3)]),
    ],
    "L4": [
        (
            "L4P1",
            "10.0",
            [{"type": ItemType.GRADED, "max_level": 4, "record_choices": APPLICATION_CHOICES}],
        ),
    ],
}

DEFAULT_BANDS = (
    GradeBand("excellent", Fraction(90)),
    GradeBand("good", Fraction(75)),
    GradeBand("pass", Fraction(60)),
    GradeBand("needs_improvement", Fraction(0)),
)


def make_indicator(code: str, weight: str, items: list[dict[str, Any]]) -> IndicatorSpec:
    return IndicatorSpec(
        code=code,
        weight=Fraction(weight),
        items=tuple(
            ItemSpec(code=f"{code}.{number}", **params)
            for number, params in enumerate(items, start=1)
        ),
    )


def make_db37() -> FrameworkSpec:
    """The 4 primaries / 24 indicators / 46 items of DB37/T 3890.3-2020."""
    primaries = []
    for primary_code, indicators in DB37_LAYOUT.items():
        specs = tuple(make_indicator(*indicator) for indicator in indicators)
        weight = sum((spec.weight for spec in specs), Fraction(0))
        primaries.append(PrimarySpec(code=primary_code, weight=weight, indicators=specs))
    return FrameworkSpec(
        code=FRAMEWORK_CODE,
        version="2020",
        primaries=tuple(primaries),
        grade_bands=DEFAULT_BANDS,
    )


def tiny_framework(*items: ItemSpec, indicator: str = "X1") -> FrameworkSpec:
    """A framework of one indicator weighing 100 that holds `items` (codes "<indicator>.n")."""
    spec = IndicatorSpec(code=indicator, weight=Fraction(100), items=items)
    return FrameworkSpec(
        code="tiny",
        version="1",
        primaries=(PrimarySpec(code="X", weight=Fraction(100), indicators=(spec,)),),
        grade_bands=DEFAULT_BANDS,
    )


def _decimal(rng: random.Random, low: float, high: float) -> float:
    """A float with one decimal, as a user would type it."""
    return round(rng.uniform(low, high), 1)


def random_answer(item: ItemSpec, rng: random.Random) -> dict[str, Any]:
    """A random valid answer for `item` (sometimes with floats, sometimes not applicable)."""
    if item.conditional and rng.random() < 0.2:
        return {"na": True}
    floats = rng.random() < 0.2
    if item.type is ItemType.RATIO:
        if floats:
            denominator = _decimal(rng, 0.1, 1000) or 0.1
            numerator = _decimal(rng, 0, denominator)
        else:
            denominator = rng.randint(1, 2000)
            numerator = rng.randint(0, denominator if item.bounded else 2 * denominator)
        return {"numerator": numerator, "denominator": denominator}
    if item.type is ItemType.SAVING:
        baseline = rng.randint(1, 500_000)
        return {"baseline": baseline, "actual": rng.randint(0, baseline * 3 // 2)}
    if item.type is ItemType.MAX_VALUE:
        return {"value": (_decimal(rng, 0.1, 60) or 0.1) if floats else rng.randint(1, 60)}
    if item.type is ItemType.COUNT_MIN:
        return {"count": rng.randint(0, 10)}
    if item.type is ItemType.BOOLEAN:
        return {"value": rng.random() < 0.6}
    if item.type is ItemType.CHECKLIST:
        return _random_checklist(item, rng)
    assert item.type is ItemType.GRADED and item.max_level is not None
    answer: dict[str, Any] = {"level": rng.randint(0, item.max_level)}
    if item.record_choices and rng.random() < 0.5:
        answer["applications"] = [
            {
                "name": f"application {number}",
                **{key: rng.choice(choices) for key, choices in item.record_choices.items()},
            }
            for number in range(rng.randint(0, 3))
        ]
    return answer


def _random_checklist(item: ItemSpec, rng: random.Random) -> dict[str, Any]:
    options = list(item.options)
    rng.shuffle(options)
    na: list[str] = []
    if item.na_options and rng.random() < 0.5:
        na = options[: rng.randint(0, len(options))]
        options = options[len(na) :]
    checked = options[: rng.randint(0, len(options))]
    return {"checked": checked, "na": na} if na else {"checked": checked}


def random_answers(
    framework: FrameworkSpec, rng: random.Random, *, missing: float = 0.0
) -> dict[str, Any]:
    """Valid answers for every item, except a `missing` share left unanswered."""
    answers = {}
    for code, item in framework.items.items():
        if missing and rng.random() < missing:
            continue
        answers[code] = random_answer(item, rng)
    return answers


def perfect_answers(framework: FrameworkSpec) -> dict[str, Any]:
    """Answers meeting every item."""
    answers: dict[str, Any] = {}
    for code, item in framework.items.items():
        if item.type is ItemType.RATIO:
            answers[code] = {"numerator": 1000, "denominator": 1000}
        elif item.type is ItemType.SAVING:
            answers[code] = {"baseline": 100, "actual": 0}
        elif item.type is ItemType.MAX_VALUE:
            answers[code] = {"value": 1}
        elif item.type is ItemType.COUNT_MIN:
            answers[code] = {"count": 100}
        elif item.type is ItemType.BOOLEAN:
            answers[code] = {"value": True}
        elif item.type is ItemType.CHECKLIST:
            answers[code] = {"checked": list(item.options)}
        else:
            answers[code] = {"level": item.max_level}
    return answers
