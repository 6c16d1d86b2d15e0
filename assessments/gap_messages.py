"""What an item still needs, in the user's language.

The engine works out the smallest change of an answer that makes its item met
(``scoring.engine.item_gap``) as exact figures; ``describe_gap(item, gap)`` says it with
the item's own labels, unit, option names and level texts from the framework file, e.g.
"needs 120 more (public lighting fixtures fitted with smart control devices) to reach 60%".

Figures are rounded so that doing what the sentence says always meets the item: an amount
still needed ("120 more", "10000 less") is rounded up, a value not to exceed ("at most
160000 kWh") is rounded down, each to at most 2 decimals (trailing zeros dropped), and
whole quantities are shown as whole numbers. Targets are shown like every reported figure:
ROUND_HALF_UP to 2 decimals (percentages of ratios and savings).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import npgettext, pgettext

from assessments.answer_messages import FIELD_LABELS
from indicators.choices import ItemType
from indicators.models import Item
from indicators.text import is_english, pair_text
from scoring.engine import Comparator, Gap, GapKind, round_half_up
from scoring.engine.numbers import scaled_to_decimal

#: Decimals shown of figures that are not whole numbers.
PLACES = 2


def describe_gap(item: Item, gap: Gap) -> str:
    """What `item` still needs according to `gap`, in the active language (`item` with its
    options prefetched when it is a checklist)."""
    return _DESCRIBERS[gap.kind](item, gap)


# --- figures ----------------------------------------------------------------------------------


def _text(value: Decimal) -> str:
    """A Decimal without trailing zeros in its fraction part ("160000", "14.99", "0.5")."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rounded(value: Fraction | int, up: bool) -> str:
    """`value` rounded up (or down) to at most PLACES decimals."""
    scaled = Fraction(value) * 10**PLACES
    return _text(scaled_to_decimal(math.ceil(scaled) if up else math.floor(scaled), PLACES))


def _amount(value: Fraction | int | None, whole: bool) -> str:
    """An amount still needed: whole, or rounded up, so that doing it is enough."""
    if value is None:
        return ""
    if whole:
        return str(math.ceil(value))
    return _rounded(value, up=True)


def _at_most(value: Fraction | int | None) -> str:
    """A value not to exceed, rounded down so that keeping to it is enough."""
    return "" if value is None else _rounded(value, up=False)


def _half_up(value: Fraction | int) -> str:
    return _text(round_half_up(value, PLACES))


def _percent(share: Fraction | None) -> str:
    return "" if share is None else f"{_half_up(share * 100)}%"


def _with_unit(figure: str, unit: str) -> str:
    return f"{figure} {unit}" if unit else figure


# --- item texts -------------------------------------------------------------------------------


def _label(item: Item, key: str, in_sentence: bool) -> str:
    """The item's own name of its answer field `key` (the field's generic name if it has
    none). English labels are written as headings ("Total households"): inside a sentence
    their first letter is lowered unless the first word is an acronym ("HD digital TV")."""
    labels = (item.params or {}).get("labels") or {}
    label = pair_text(labels.get(key)) or str(FIELD_LABELS.get(key, key))
    if not label or not is_english():
        return label
    if in_sentence:
        if label[0].isupper() and not (len(label) > 1 and label[1].isupper()):
            return label[0].lower() + label[1:]
        return label
    return label[0].upper() + label[1:]


def _unit(item: Item) -> str:
    return pair_text((item.params or {}).get("unit"))


def _option_names(item: Item, codes: tuple[str, ...]) -> str:
    names = {option.code: option.name for option in item.options.all()}
    separator = pgettext("list separator", ", ")
    return separator.join(names.get(code, code) for code in codes)


def _level_text(item: Item, level: object) -> str:
    for entry in (item.params or {}).get("levels") or []:
        if isinstance(entry, Mapping) and entry.get("level") == level:
            return pair_text(entry)
    return ""


# --- one sentence per kind --------------------------------------------------------------------


def _raise(item: Item, gap: Gap, key: str, target: str) -> str:
    params = {
        "amount": _amount(gap.amount, gap.whole),
        "label": _label(item, key, in_sentence=True),
        "target": target,
    }
    if gap.comparator is Comparator.GT:
        return pgettext("gap", "needs %(amount)s more (%(label)s) to exceed %(target)s") % params
    return pgettext("gap", "needs %(amount)s more (%(label)s) to reach %(target)s") % params


def _raise_numerator(item: Item, gap: Gap) -> str:
    return _raise(item, gap, "numerator", _percent(gap.target))


def _raise_count(item: Item, gap: Gap) -> str:
    target = _half_up(gap.target) if gap.target is not None else ""
    return _raise(item, gap, "count", _with_unit(target, _unit(item)))


def _lower(item: Item, gap: Gap, key: str) -> str:
    return pgettext("gap", "%(label)s must fall to at most %(value)s (%(amount)s less)") % {
        "label": _label(item, key, in_sentence=False),
        "value": _with_unit(_at_most(gap.required), _unit(item)),
        "amount": _amount(gap.amount, whole=False),
    }


def _lower_actual(item: Item, gap: Gap) -> str:
    return _lower(item, gap, "actual")


def _lower_value(item: Item, gap: Gap) -> str:
    return _lower(item, gap, "value")


def _check_more(item: Item, gap: Gap) -> str:
    count = int(gap.amount or 0)
    return npgettext(
        "gap",
        "needs %(count)s more option checked, from: %(options)s",
        "needs %(count)s more options checked, from: %(options)s",
        count,
    ) % {"count": count, "options": _option_names(item, gap.options)}


def _set_true(item: Item, gap: Gap) -> str:
    return pgettext("gap", "needs to be “Yes”")


def _raise_level(item: Item, gap: Gap) -> str:
    description = _level_text(item, gap.required)
    if description:
        return pgettext("gap", "needs to reach level %(level)s: %(description)s") % {
            "level": gap.required,
            "description": description,
        }
    return pgettext("gap", "needs to reach level %(level)s") % {"level": gap.required}


def _unanswered(item: Item, gap: Gap) -> str:
    return pgettext("gap", "not answered yet")


def _unreachable(item: Item, gap: Gap) -> str:
    if item.type == ItemType.CHECKLIST and gap.required is not None:
        applicable = int(gap.current or 0) + len(gap.options)
        return npgettext(
            "gap",
            "cannot be met: %(required)s options are required, "
            "but only %(applicable)s is applicable",
            "cannot be met: %(required)s options are required, "
            "but only %(applicable)s are applicable",
            applicable,
        ) % {"required": gap.required, "applicable": applicable}
    return pgettext("gap", "cannot be met by any answer: the target is out of reach")


_DESCRIBERS: Mapping[str, Callable[[Item, Gap], str]] = {
    GapKind.UNANSWERED: _unanswered,
    GapKind.RAISE_NUMERATOR: _raise_numerator,
    GapKind.LOWER_ACTUAL: _lower_actual,
    GapKind.LOWER_VALUE: _lower_value,
    GapKind.RAISE_COUNT: _raise_count,
    GapKind.CHECK_MORE: _check_more,
    GapKind.SET_TRUE: _set_true,
    GapKind.RAISE_LEVEL: _raise_level,
    GapKind.UNREACHABLE: _unreachable,
}
