"""Consistency checks of specs. Each function returns every problem as a message that starts
with the offending code, so a loader can report a whole data file at once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING

from scoring.engine.enums import COMPARATORS, TARGET_TYPES, ItemType

if TYPE_CHECKING:
    from scoring.engine.specs import FrameworkSpec, GradeBand, ItemSpec

#: Application fields every graded item records besides its `record_choices`.
APPLICATION_BASE_FIELDS = frozenset({"name", "description"})

_HUNDRED = Fraction(100)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive(value: object) -> bool:
    return isinstance(value, Fraction) and value > 0


def _text_tuple_errors(label: str, values: object, name: str, noun: str) -> list[str]:
    """Problems of a tuple of unique non-empty strings (option codes, choices)."""
    if not isinstance(values, tuple):
        return [f"{label}: {name} must be a tuple of strings"]
    errors = []
    if not values:
        errors.append(f"{label}: {name} must have at least one {noun}")
    for value in values:
        if not isinstance(value, str) or not value:
            errors.append(f"{label}: {name} must be non-empty strings, got {value!r}")
    for value, count in Counter(v for v in values if isinstance(v, str)).items():
        if count > 1:
            errors.append(f"{label}: duplicate {noun} {value!r} in {name}")
    return errors


def _record_choices_errors(label: str, record_choices: object) -> list[str]:
    if not isinstance(record_choices, Mapping):
        return [f"{label}: record_choices must be a mapping of field -> choices"]
    errors = []
    for key, choices in record_choices.items():
        if not isinstance(key, str) or not key:
            errors.append(f"{label}: record_choices field names must be non-empty strings")
        elif key in APPLICATION_BASE_FIELDS or key in ("na", "level", "applications"):
            errors.append(f"{label}: record_choices field {key!r} clashes with a built-in field")
        errors.extend(_text_tuple_errors(label, choices, f"record_choices[{key!r}]", "choice"))
    return errors


def _target_errors(item: ItemSpec, label: str) -> list[str]:
    errors = []
    if item.type in TARGET_TYPES:
        if item.target is None:
            errors.append(f"{label}: {item.type} item needs a target")
        elif not _positive(item.target):
            errors.append(f"{label}: target must be a number greater than 0")
        allowed = COMPARATORS[item.type]
        if item.comparator is not None and item.comparator not in allowed:
            names = " or ".join(allowed)
            errors.append(
                f"{label}: comparator {item.comparator!r} is not allowed "
                f"for {item.type} items (use {names})"
            )
    else:
        if item.target is not None:
            errors.append(f"{label}: {item.type} item must not have a target")
        if item.comparator is not None:
            errors.append(f"{label}: {item.type} item must not have a comparator")
    return errors


def _checklist_errors(item: ItemSpec, label: str) -> list[str]:
    if item.type is not ItemType.CHECKLIST:
        errors = []
        if item.options:
            errors.append(f"{label}: only checklist items have options")
        if item.min_required is not None:
            errors.append(f"{label}: only checklist items have min_required")
        if item.na_options:
            errors.append(f"{label}: only checklist items can allow na options")
        return errors
    errors = _text_tuple_errors(label, item.options, "options", "option")
    if item.min_required is not None:
        count = len(item.options) if isinstance(item.options, tuple) else 0
        if not _is_int(item.min_required) or not 1 <= item.min_required <= count:
            errors.append(f"{label}: min_required must be a whole number from 1 to {count}")
    return errors


def _graded_errors(item: ItemSpec, label: str) -> list[str]:
    if item.type is not ItemType.GRADED:
        errors = []
        if item.max_level is not None:
            errors.append(f"{label}: only graded items have max_level")
        if item.record_choices is not None:
            errors.append(f"{label}: only graded items have record_choices")
        return errors
    errors = []
    if (
        not isinstance(item.max_level, int)
        or isinstance(item.max_level, bool)
        or item.max_level < 1
    ):
        errors.append(f"{label}: graded item needs max_level >= 1")
    if item.record_choices is not None:
        errors.extend(_record_choices_errors(label, item.record_choices))
    return errors


def item_errors(item: ItemSpec) -> list[str]:
    """Parameter errors of one item for its type."""
    label = item.code if isinstance(item.code, str) and item.code else repr(item.code)
    errors = []
    if label != item.code:
        errors.append(f"{label}: item code must be a non-empty string")
    if not isinstance(item.type, ItemType):
        errors.append(f"{label}: unknown item type {item.type!r}")
        return errors
    if not _positive(item.weight):
        errors.append(f"{label}: weight must be a number greater than 0")
    for flag in ("bounded", "na_options", "conditional"):
        if not isinstance(getattr(item, flag), bool):
            errors.append(f"{label}: {flag} must be true or false")
    if item.bounded and item.type is not ItemType.RATIO:
        errors.append(f"{label}: only ratio items can be bounded")
    errors += _target_errors(item, label)
    errors += _checklist_errors(item, label)
    errors += _graded_errors(item, label)
    return errors


def grade_band_errors(bands: Iterable[GradeBand]) -> list[str]:
    """Bands must have unique codes and strictly descending minimums ending at 0."""
    bands = tuple(bands)
    if not bands:
        return ["grade bands: at least one band is needed"]
    errors = []
    for code, count in Counter(band.code for band in bands).items():
        if count > 1:
            errors.append(f"{code}: duplicate grade band code")
    minimums = []
    for band in bands:
        if isinstance(band.minimum, Fraction) and band.minimum >= 0:
            minimums.append(band.minimum)
        else:
            errors.append(f"{band.code}: grade band minimum must be a number >= 0")
    if len(minimums) == len(bands):
        for higher, lower in pairwise(bands):
            if not higher.minimum > lower.minimum:
                errors.append(
                    f"{lower.code}: grade bands must run from the highest minimum down "
                    f"(after {higher.code})"
                )
        if bands[-1].minimum != 0:
            errors.append(f"{bands[-1].code}: the last grade band must have minimum 0")
    return errors


def framework_errors(framework: FrameworkSpec) -> list[str]:
    """Every problem of the framework: codes, weights, item parameters and grade bands."""
    errors = []
    codes: list[str] = []
    indicator_total = Fraction(0)
    for primary in framework.primaries:
        codes.append(primary.code)
        if not primary.indicators:
            errors.append(f"{primary.code}: primary indicator has no indicators")
        primary_total = Fraction(0)
        for indicator in primary.indicators:
            codes.append(indicator.code)
            if _positive(indicator.weight):
                primary_total += indicator.weight
            else:
                errors.append(f"{indicator.code}: weight must be a number greater than 0")
            if not indicator.items:
                errors.append(f"{indicator.code}: indicator has no items")
            for item in indicator.items:
                codes.append(item.code)
                if isinstance(item.code, str) and not item.code.startswith(f"{indicator.code}."):
                    errors.append(f"{item.code}: item code must start with '{indicator.code}.'")
                errors.extend(item_errors(item))
        indicator_total += primary_total
        if primary.weight != primary_total:
            errors.append(
                f"{primary.code}: weight {primary.weight} differs from the sum of its "
                f"indicator weights ({primary_total})"
            )
    for code, count in Counter(codes).items():
        if count > 1:
            errors.append(f"{code}: duplicate code (used {count} times)")
    if indicator_total != _HUNDRED:
        errors.append(f"{framework.code}: indicator weights sum to {indicator_total}, not 100")
    errors.extend(grade_band_errors(framework.grade_bands))
    return errors
