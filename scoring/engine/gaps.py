"""What an item still needs: the smallest change of its answer that makes it met.

`item_gap(item, answer)` answers "what is missing?" for one item, by the rules of
scoring.md section 3 and with its comparators taken exactly (3.1): with ``gt`` a ratio equal
to its target is not met, so 5 of 100 parking spaces against "more than 5%" still need one
more. The assessment page shows the gap beside each item ("needs 120 more ... to reach
60%"), and a dashboard can add up `Gap.s_gain` to find the cheapest way to the next grade.

Only the quantity the item measures is changed: a ratio's numerator (never its denominator,
the size of the community), a saving's actual use (never its baseline), a maximum's value,
a count, the checked options of a checklist (never its options marked not applicable), a
boolean, a level.

Whole and fine quantities
-------------------------
Counts move in steps of 1: `count`, `level`, the number of checked options, and a ratio's
numerator when both numerator and denominator are whole numbers (the usual case: lights,
households, parking spaces). Other quantities (kWh, minutes, decimal ratios) are exact: the
gap gives the bound itself where the comparator includes it (``ge``, ``le``). A strict
comparator (``gt``, ``lt``) on such a quantity has no least or greatest value that meets it,
so the gap gives the nearest value on the grid of `FINE_STEP` (0.01, the precision figures
are shown with) beyond the bound.

The engine imports nothing of Django; wording is the web layer's job
(``assessments.gap_messages``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

from scoring.engine.enums import Comparator, ItemType
from scoring.engine.errors import AnswerError, SpecError
from scoring.engine.numbers import exact_number
from scoring.engine.rules import ONE, ZERO, Rule, compile_rule
from scoring.engine.specs import ItemSpec

#: Grid of fine (non-whole) quantities under a strict comparator: the gap's value is the
#: nearest multiple of it beyond the bound.
FINE_STEP = Fraction(1, 100)


class GapKind(StrEnum):
    """Stable codes of `Gap.kind`. The comment of each says which fields it fills
    (`code`, `kind`, `target`, `comparator` and `s_gain` are always set)."""

    #: No answer yet. `s_gain` is 1: an answer that meets the item scores 1.
    UNANSWERED = "unanswered"
    #: ratio: raise `field` "numerator" from `current` to at least `required` (`amount`
    #: more); `achievement` is the share it then reaches. `whole` when the answer's
    #: numerator and denominator are whole numbers.
    RAISE_NUMERATOR = "raise_numerator"
    #: saving: lower `field` "actual" from `current` to at most `required` (`amount` less);
    #: `achievement` is the saving share it then reaches.
    LOWER_ACTUAL = "lower_actual"
    #: max_value: lower `field` "value" from `current` to at most `required` (`amount` less).
    LOWER_VALUE = "lower_value"
    #: count_min: raise `field` "count" from `current` to `required` (`amount` more; whole).
    RAISE_COUNT = "raise_count"
    #: checklist: check `amount` more options (`field` "checked"): from `current` checked to
    #: `required` (the item's required number); `options` lists the codes that can still be
    #: checked (neither checked nor marked not applicable), in the item's order. Whole.
    CHECK_MORE = "check_more"
    #: boolean: `field` "value" must become true. `required` and `amount` stay None.
    SET_TRUE = "set_true"
    #: graded: raise `field` "level" from `current` to `required` = max_level (`amount`
    #: more; whole).
    RAISE_LEVEL = "raise_level"
    #: No change of the answer meets the item: a bounded ratio or a saving (both at most
    #: 100%) against a target of 100% with ``gt`` (or above 100%), or a checklist whose
    #: options not marked not applicable are fewer than its `min_required`. `field` and
    #: `current` say what was looked at where an answer was given; for a checklist
    #: `required` is the number required and `options` the codes that can still be checked.
    #: `s_gain` is 0: no change is proposed.
    UNREACHABLE = "unreachable"


Number = int | Fraction


@dataclass(frozen=True, slots=True)
class Gap:
    """The smallest change of one item's answer that makes the item met.

    `kind` is a `GapKind`; which of the other fields it fills is documented there. Numbers
    are exact: `int` where the quantity is whole (`whole` is True), `Fraction` otherwise.
    `required` is the value `field` must reach ("at least" for the raise kinds and
    check_more, "at most" for the lower kinds); `amount` is how far that is from `current`
    (always > 0). `target` and `comparator` are the item's (None for types without a
    target). `achievement` is the item's achievement once the change is made. `s_gain` is
    what the change adds to the item score `s` (1 - s, since a met item scores 1).
    """

    code: str
    kind: GapKind
    field: str | None = None
    current: Number | None = None
    required: Number | None = None
    amount: Number | None = None
    whole: bool = False
    target: Fraction | None = None
    comparator: Comparator | None = None
    achievement: Fraction | None = None
    s_gain: Fraction = ZERO
    options: tuple[str, ...] = ()


def item_gap(item: ItemSpec, answer: object) -> Gap | None:
    """The smallest change of `answer` that makes `item` met, or None when there is nothing
    to show: the item is met, not applicable (the whole item, or a checklist with every
    option marked so), or the answer is invalid (`validate_answer` says why).

    An unanswered item (`answer` None) gives a `GapKind.UNANSWERED` gap rather than None,
    so a page can tell "still to answer" from "done"; an item no answer can meet gives
    `GapKind.UNREACHABLE`. Raises `SpecError` when the item's parameters are inconsistent.
    """
    rule = _rule(item)
    if answer is None:
        if not _reachable(item):
            return _unreachable(item)
        return Gap(
            item.code,
            GapKind.UNANSWERED,
            target=item.target,
            comparator=item.effective_comparator,
            s_gain=ONE,
        )
    errors: list[AnswerError] = []
    result = rule.assess(answer, errors)
    if errors or result is None or result.met or result.s is None:
        return None
    if not isinstance(answer, Mapping):  # pragma: no cover  (assess() accepted it)
        return None
    return _GAPS[item.type](item, answer, result.s)


def _unreachable(
    item: ItemSpec,
    field: str | None = None,
    current: Number | None = None,
    required: Number | None = None,
    options: tuple[str, ...] = (),
) -> Gap:
    return Gap(
        item.code,
        GapKind.UNREACHABLE,
        field=field,
        current=current,
        required=required,
        whole=isinstance(current, int),
        target=item.target,
        comparator=item.effective_comparator,
        options=options,
    )


@lru_cache(maxsize=1024)
def _cached_rule(item: ItemSpec) -> Rule:
    return compile_rule(item)


def _rule(item: ItemSpec) -> Rule:
    """The compiled rule of `item`, cached per spec (specs are frozen and hashable)."""
    try:
        return _cached_rule(item)
    except TypeError:  # an unhashable parameter: the spec is invalid, and compile_rule says so
        return compile_rule(item)


def _reachable(item: ItemSpec) -> bool:
    """Whether some valid answer meets the item. Bounded ratios and savings never exceed 1;
    every other item can be met (a checklist can always have enough options checked when
    none is marked not applicable)."""
    if item.type is ItemType.SAVING or (item.type is ItemType.RATIO and item.bounded):
        return _meets(ONE, _target(item), _strict(item))
    return True


def _target(item: ItemSpec) -> Fraction:
    if item.target is None:  # ruled out by compile_rule(); keeps type checkers informed
        raise SpecError([f"{item.code}: {item.type} item needs a target"])
    return item.target


def _strict(item: ItemSpec) -> bool:
    return item.effective_comparator in (Comparator.GT, Comparator.LT)


def _meets(value: Fraction, bound: Fraction, strict: bool) -> bool:
    """``value > bound`` under a strict comparator, else ``value >= bound``."""
    return value > bound if strict else value >= bound


def _exact(value: object) -> Fraction:
    """A number of an answer the rule has accepted, exactly."""
    read = exact_number(value)
    if not isinstance(read, tuple):  # pragma: no cover  (the rule accepted the answer)
        raise TypeError(f"not a number: {value!r}")
    return Fraction(*read)


def _least_meeting(bound: Fraction, strict: bool, whole: bool) -> Fraction:
    """The least value that is ``>= bound`` (or ``> bound`` when strict): a whole number
    when `whole`, else the bound itself, or the next multiple of FINE_STEP above it."""
    if whole:
        return Fraction(math.floor(bound) + 1 if strict else math.ceil(bound))
    if not strict:
        return bound
    return (math.floor(bound / FINE_STEP) + 1) * FINE_STEP


def _greatest_meeting(bound: Fraction, strict: bool) -> Fraction | None:
    """The greatest value >= 0 that is ``<= bound`` (or ``< bound`` when strict): the bound
    itself, or the previous multiple of FINE_STEP below it; None when there is none."""
    if not strict:
        return bound if bound >= 0 else None
    steps = math.ceil(bound / FINE_STEP) - 1
    return steps * FINE_STEP if steps >= 0 else None


def _whole_or_fraction(value: Fraction, whole: bool) -> Number:
    return int(value) if whole else value


def _ratio_gap(item: ItemSpec, answer: Mapping[str, object], s: Fraction) -> Gap:
    target, strict = _target(item), _strict(item)
    numerator = _exact(answer["numerator"])
    denominator = _exact(answer["denominator"])
    whole = numerator.denominator == 1 and denominator.denominator == 1
    bound = target * denominator
    required = _least_meeting(bound, strict, whole)
    if item.bounded and required > denominator:
        if not _meets(denominator, bound, strict):  # even n = d (100%) does not meet it
            return _unreachable(
                item, field="numerator", current=_whole_or_fraction(numerator, whole)
            )
        required = denominator  # a fine step past the bound would pass 100%; 100% meets it
    return Gap(
        item.code,
        GapKind.RAISE_NUMERATOR,
        field="numerator",
        current=_whole_or_fraction(numerator, whole),
        required=_whole_or_fraction(required, whole),
        amount=_whole_or_fraction(required - numerator, whole),
        whole=whole,
        target=target,
        comparator=item.effective_comparator,
        achievement=required / denominator,
        s_gain=ONE - s,
    )


def _saving_gap(item: ItemSpec, answer: Mapping[str, object], s: Fraction) -> Gap:
    target, strict = _target(item), _strict(item)
    baseline = _exact(answer["baseline"])
    actual = _exact(answer["actual"])
    # a >= target  <=>  actual <= baseline * (1 - target)
    required = _greatest_meeting(baseline * (1 - target), strict)
    if required is None:  # the saving would have to reach (or pass) 100% or more
        return _unreachable(item, field="actual", current=actual)
    return Gap(
        item.code,
        GapKind.LOWER_ACTUAL,
        field="actual",
        current=actual,
        required=required,
        amount=actual - required,
        target=target,
        comparator=item.effective_comparator,
        achievement=(baseline - required) / baseline,
        s_gain=ONE - s,
    )


def _max_value_gap(item: ItemSpec, answer: Mapping[str, object], s: Fraction) -> Gap:
    target, strict = _target(item), _strict(item)
    value = _exact(answer["value"])
    required = _greatest_meeting(target, strict)
    if required is None or required == 0:
        # values must stay above 0: under "< target" with target <= FINE_STEP, take half of it
        required = target / 2
    return Gap(
        item.code,
        GapKind.LOWER_VALUE,
        field="value",
        current=value,
        required=required,
        amount=value - required,
        target=target,
        comparator=item.effective_comparator,
        achievement=required,
        s_gain=ONE - s,
    )


def _count_gap(item: ItemSpec, answer: Mapping[str, object], s: Fraction) -> Gap:
    target = _target(item)
    count = int(_exact(answer["count"]))
    required = int(_least_meeting(target, _strict(item), whole=True))
    return Gap(
        item.code,
        GapKind.RAISE_COUNT,
        field="count",
        current=count,
        required=required,
        amount=required - count,
        whole=True,
        target=target,
        comparator=item.effective_comparator,
        achievement=Fraction(required),
        s_gain=ONE - s,
    )


def _boolean_gap(item: ItemSpec, answer: Mapping[str, object], s: Fraction) -> Gap:
    return Gap(item.code, GapKind.SET_TRUE, field="value", s_gain=ONE - s)


def _codes(value: object) -> list[str]:
    return [str(code) for code in value] if isinstance(value, list | tuple) else []


def _checklist_gap(item: ItemSpec, answer: Mapping[str, object], s: Fraction) -> Gap:
    checked = _codes(answer["checked"])
    na = _codes(answer.get("na"))
    required = item.min_required or len(item.options) - len(na)
    taken = {*checked, *na}
    free = tuple(option for option in item.options if option not in taken)
    missing = required - len(checked)
    if missing > len(free):  # min_required is more than the options still applicable
        return _unreachable(
            item,
            field="checked",
            current=len(checked),
            required=required,
            options=free,
        )
    return Gap(
        item.code,
        GapKind.CHECK_MORE,
        field="checked",
        current=len(checked),
        required=required,
        amount=missing,
        whole=True,
        achievement=Fraction(required),
        s_gain=ONE - s,
        options=free,
    )


def _graded_gap(item: ItemSpec, answer: Mapping[str, object], s: Fraction) -> Gap:
    max_level = item.max_level
    if max_level is None:  # ruled out by compile_rule()
        raise SpecError([f"{item.code}: graded item needs max_level >= 1"])
    level = int(_exact(answer["level"]))
    return Gap(
        item.code,
        GapKind.RAISE_LEVEL,
        field="level",
        current=level,
        required=max_level,
        amount=max_level - level,
        whole=True,
        achievement=Fraction(max_level),
        s_gain=ONE - s,
    )


_GAPS: dict[ItemType, Callable[[ItemSpec, Mapping[str, object], Fraction], Gap]] = {
    ItemType.RATIO: _ratio_gap,
    ItemType.SAVING: _saving_gap,
    ItemType.MAX_VALUE: _max_value_gap,
    ItemType.COUNT_MIN: _count_gap,
    ItemType.BOOLEAN: _boolean_gap,
    ItemType.CHECKLIST: _checklist_gap,
    ItemType.GRADED: _graded_gap,
}
