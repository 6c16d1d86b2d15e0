"""Answers as people read them: "480 / 1000 (48.00%)", "是", "4G、5G"."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from indicators.choices import ItemType
from indicators.models import Item
from indicators.text import pair_text
from scoring.engine import round_half_up


def _number(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    return f"{number.normalize():f}" if number == number.to_integral() else f"{number}"


def _percent(numerator: Any, denominator: Any) -> str:
    """numerator / denominator as a percentage with two decimals, rounded like every
    reported figure (ROUND_HALF_UP)."""
    try:
        share = Fraction(Decimal(str(numerator))) / Fraction(Decimal(str(denominator)))
    except (ArithmeticError, ValueError, ZeroDivisionError):
        return "–"
    return f"{round_half_up(share * 100, 2)}%"


def answer_text(item: Item, value: Any, not_applicable: bool = False) -> str:
    """One stored answer in words; ``item`` with its options prefetched for checklists."""
    if not_applicable:
        return _("Not applicable")
    if not isinstance(value, Mapping):
        return "–"
    params = item.params or {}
    unit = pair_text(params.get("unit"))
    kind = item.type
    if kind == ItemType.RATIO:
        n, d = value.get("numerator"), value.get("denominator")
        return f"{_number(n)} / {_number(d)} ({_percent(n, d)})"
    if kind == ItemType.SAVING:
        b, x = value.get("baseline"), value.get("actual")
        saving = _percent(Decimal(str(b)) - Decimal(str(x)), b) if b else "–"
        return _("%(baseline)s → %(actual)s %(unit)s (saving %(saving)s)") % {
            "baseline": _number(b),
            "actual": _number(x),
            "unit": unit,
            "saving": saving,
        }
    if kind in (ItemType.MAX_VALUE, ItemType.COUNT_MIN):
        figure = value.get("value", value.get("count"))
        return f"{_number(figure)} {unit}".strip()
    if kind == ItemType.BOOLEAN:
        return _("Yes") if value.get("value") is True else _("No")
    if kind == ItemType.CHECKLIST:
        names = {option.code: option.name for option in item.options.all()}
        checked = [names.get(code, code) for code in value.get("checked") or []]
        text = "、".join(checked) if checked else _("none")
        na = [names.get(code, code) for code in value.get("na") or []]
        if na:
            text += "；" + _("not applicable: %(options)s") % {"options": "、".join(na)}
        return text
    if kind == ItemType.GRADED:
        level = value.get("level")
        rubric = {entry.get("level"): entry for entry in params.get("levels") or []}
        described = pair_text(rubric.get(level))
        text = _("Level %(level)s") % {"level": level}
        return f"{text}：{described}" if described else text
    return str(value)
