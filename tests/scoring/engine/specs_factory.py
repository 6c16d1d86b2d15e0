"""The DB37/T 3890.3-2020 framework, built from its bundled data file, and random answers.

Used by the engine tests (through the fixtures in conftest.py) and by
benchmarks/engine_speed.py. The framework comes from the YAML file the portal loads
(indicators/frameworks/), read by ``indicators.framework_file`` and turned into the engine's
spec by ``indicators.specs``: neither imports Django, so no database is involved.
"""

from __future__ import annotations

import functools
import random
from fractions import Fraction
from typing import Any

from indicators.framework_file import (
    FRAMEWORKS_DIR,
    FrameworkDefinition,
    parse_framework_file,
)
from indicators.specs import spec_from_definition
from scoring.engine import (
    FrameworkSpec,
    GradeBand,
    IndicatorSpec,
    ItemSpec,
    ItemType,
    PrimarySpec,
)

FRAMEWORK_CODE = "DB37/T 3890.3-2020"
DB37_FILE = FRAMEWORKS_DIR / "db37-t-3890.3-2020.yaml"

DEFAULT_BANDS = (
    GradeBand("excellent", Fraction(90)),
    GradeBand("good", Fraction(75)),
    GradeBand("pass", Fraction(60)),
    GradeBand("needs_improvement", Fraction(0)),
)


@functools.cache
def db37_definition() -> FrameworkDefinition:
    """The bundled DB37/T 3890.3-2020 data file, parsed and checked (read once)."""
    definition = parse_framework_file(DB37_FILE)
    assert definition.code == FRAMEWORK_CODE, definition.code
    return definition


def make_db37() -> FrameworkSpec:
    """The 4 primaries / 24 indicators / 46 items of DB37/T 3890.3-2020, from the data file."""
    return spec_from_definition(db37_definition())


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
