"""Readers for the fields of one answer. Each appends an `AnswerError` per problem found and
returns the value read, or None when it could not be read."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from scoring.engine.errors import AnswerError, ErrorCode, answer_error
from scoring.engine.numbers import exact_number


def _key_list(keys: Collection[str]) -> str:
    return ", ".join(sorted(keys))


def answer_object(
    item: str,
    answer: object,
    required: frozenset[str],
    optional: frozenset[str],
    errors: list[AnswerError],
) -> dict[str, Any] | None:
    """The answer as a dict when it is an object holding every required key.

    Unexpected keys are reported but do not stop the reading of the others, so one pass
    reports every problem.
    """
    if not isinstance(answer, Mapping):
        errors.append(answer_error(item, ErrorCode.WRONG_SHAPE, None, keys=_key_list(required)))
        return None
    keys = answer.keys()
    if keys == required:
        return answer if type(answer) is dict else dict(answer)
    complete = True
    for key in sorted(required - keys):
        errors.append(answer_error(item, ErrorCode.MISSING_KEY, key, key=key))
        complete = False
    for key in sorted(map(str, keys - required - optional)):
        errors.append(answer_error(item, ErrorCode.UNEXPECTED_KEY, key, key=key))
    return dict(answer) if complete else None


def number(item: str, key: str, value: object, errors: list[AnswerError]) -> tuple[int, int] | None:
    """A finite number >= 0, exactly, as ``(numerator, denominator)``."""
    if type(value) is int and value >= 0:
        return value, 1
    result = exact_number(value)
    if isinstance(result, tuple):
        if result[0] >= 0:
            return result
        errors.append(answer_error(item, ErrorCode.NEGATIVE, key, key=key))
    else:  # NOT_A_NUMBER or NOT_FINITE
        errors.append(answer_error(item, result, key, key=key))
    return None


def whole_number(item: str, key: str, value: object, errors: list[AnswerError]) -> int | None:
    """A whole number (an int, or a float/Decimal with no fraction part), sign kept."""
    if type(value) is int:
        return value
    result = exact_number(value)
    if isinstance(result, tuple):
        if result[1] == 1:
            return result[0]
        errors.append(answer_error(item, ErrorCode.NOT_AN_INTEGER, key, key=key))
    else:  # NOT_A_NUMBER or NOT_FINITE
        errors.append(answer_error(item, result, key, key=key))
    return None


def option_codes(
    item: str,
    key: str,
    value: object,
    options: frozenset[str],
    errors: list[AnswerError],
) -> list[str] | None:
    """A list of distinct option codes of the item."""
    if not isinstance(value, list | tuple):
        errors.append(answer_error(item, ErrorCode.NOT_A_LIST, key, key=key))
        return None
    codes = list(value)
    try:
        distinct = set(codes)
    except TypeError:  # an unhashable entry; reported below
        distinct = set()
    if len(distinct) == len(codes) and distinct <= options:
        return codes  # the common case: distinct known codes
    before = len(errors)
    seen: set[str] = set()
    for code in codes:
        if not isinstance(code, str):
            error = answer_error(item, ErrorCode.NOT_AN_OPTION_CODE, key, key=key, value=repr(code))
            errors.append(error)
        elif code not in options:
            errors.append(answer_error(item, ErrorCode.UNKNOWN_OPTION, key, key=key, option=code))
        elif code in seen:
            errors.append(answer_error(item, ErrorCode.DUPLICATE_OPTION, key, key=key, option=code))
        else:
            seen.add(code)
    return codes if len(errors) == before else None
