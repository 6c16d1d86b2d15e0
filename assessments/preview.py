"""The live preview of an assessment page: scores from the same engine as the stored ones,
for the answers stored plus what is typed, with each item's achievement, target and what
it still needs to be met.

Nothing is saved here. Invalid fields are reported at their answer paths and left out of
the scores (they count as unanswered), so the rest of the page still updates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from assessments.answer_messages import describe_answer_error
from assessments.answers import merge_answers
from assessments.errors import answer_path
from assessments.gap_messages import describe_gap
from indicators.grades import grade_name
from indicators.models import Item
from indicators.specs import FrameworkCatalog
from indicators.text import pair_text
from scoring.engine import (
    ItemResult,
    ItemSpec,
    ItemType,
    item_gap,
    round_half_up,
    score,
    validate_answers,
)
from scoring.engine.numbers import SCORE_PLACES, fixed_text
from scoring.engine.results import REJECTED

_COMPARATOR_SIGNS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


@dataclass(frozen=True)
class ItemPreview:
    code: str
    status: str  # the engine's: scored, missing, na, rejected
    s: str  # the item score, 0.0000 to 1.0000
    achievement: str  # as people read it: "48.00%", "12 分钟", "2 / 3", "第 2 级"
    target: str  # "≥ 60%", "≤ 15 分钟", "至少 2 项"
    met: bool | None
    missing: str  # what the item still needs to be met, in words ("" when met)
    points: str  # what it adds to its indicator's score, 2 decimals ("1.50")


@dataclass
class Preview:
    items: dict[str, ItemPreview] = field(default_factory=dict)
    indicators: dict[str, tuple[str, bool]] = field(default_factory=dict)  # score, met
    primaries: dict[str, str] = field(default_factory=dict)
    total: str = "0.00"
    grade: str = ""
    answered: int = 0
    item_count: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)  # answer path -> messages


def _unit(item: Item) -> str:
    unit = (item.params or {}).get("unit") or {}
    return pair_text(unit)


def _percent(value: Fraction) -> str:
    return f"{round_half_up(value * 100, 2)}%"


def _plain(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return str(round_half_up(value, 2).normalize())


def target_text(item: Item, spec: ItemSpec) -> str:
    """The item's requirement as a short figure: "≥ 60%", "≤ 15 分钟", "至少 2 项"."""
    sign = _COMPARATOR_SIGNS.get(str(spec.effective_comparator or ""), "")
    if spec.type in (ItemType.RATIO, ItemType.SAVING) and spec.target is not None:
        return f"{sign} {_plain(spec.target * 100)}%"
    if spec.type in (ItemType.MAX_VALUE, ItemType.COUNT_MIN) and spec.target is not None:
        return f"{sign} {_plain(spec.target)} {_unit(item)}".strip()
    if spec.type == ItemType.CHECKLIST:
        if spec.min_required:
            return _("at least %(n)d") % {"n": spec.min_required}
        return _("all that apply")
    if spec.type == ItemType.GRADED:
        return _("level %(n)s") % {"n": spec.max_level}
    return _("yes")


def achievement_text(item: Item, spec: ItemSpec, result: ItemResult) -> str:
    if result.achievement is None:
        return ""
    value = result.achievement
    if spec.type in (ItemType.RATIO, ItemType.SAVING):
        return _percent(value)
    if spec.type in (ItemType.MAX_VALUE, ItemType.COUNT_MIN):
        return f"{_plain(value)} {_unit(item)}".strip()
    if spec.type == ItemType.CHECKLIST:
        return _("%(n)s checked") % {"n": _plain(value)}
    return _("level %(n)s") % {"n": _plain(value)}


def compute(
    *,
    catalog: FrameworkCatalog,
    items: Mapping[str, Item],
    stored: Mapping[str, Any],
    changes: Mapping[str, Any],
    rejected: frozenset[str] = frozenset(),
    grade_bands: list[dict[str, Any]] | None = None,
) -> Preview:
    """Score ``stored`` answers with ``changes`` (answers by item code, or CLEAR) applied.
    ``items`` are the Item rows by code (labels, units and options for the words)."""
    spec = catalog.spec
    merged = merge_answers(stored, changes)
    preview = Preview(item_count=len(spec.items))
    errors = validate_answers(spec, merged)
    for error in errors:
        preview.errors.setdefault(answer_path(error), []).append(describe_answer_error(error))
        merged.pop(error.item, None)
    result = score(spec, merged, rejected=rejected)
    bands = grade_bands or catalog.framework.grade_bands
    preview.total = str(result.total_rounded)
    preview.grade = grade_name(bands, result.grade)
    preview.primaries = {p.code: fixed_text(p.score, SCORE_PLACES) for p in result.primaries}
    preview.answered = sum(1 for code in spec.items if code in merged)
    for indicator in result.indicators:
        preview.indicators[indicator.code] = (
            fixed_text(indicator.score, SCORE_PLACES),
            indicator.met,
        )
        applicable = sum((i.weight for i in indicator.items if i.s is not None), Fraction(0))
        weight = spec.indicators[indicator.code].weight
        for item_result in indicator.items:
            code = item_result.code
            item_spec = spec.items[code]
            gap = item_gap(item_spec, merged.get(code))
            if item_result.status == REJECTED:
                missing = _("The evidence was rejected: correct it for the reviewer.")
            else:
                missing = describe_gap(items[code], gap) if gap is not None else ""
            preview.items[code] = ItemPreview(
                code=code,
                status=item_result.status,
                s=fixed_text(item_result.s, 4) if item_result.s is not None else "",
                achievement=achievement_text(items[code], item_spec, item_result),
                target=target_text(items[code], item_spec),
                met=item_result.met,
                missing=missing,
                points=fixed_text(weight * item_result.weight * item_result.s / applicable, 2)
                if item_result.s is not None and applicable
                else "",
            )
    return preview
