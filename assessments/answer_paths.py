"""Answer paths (``<item>.<field>``, the stable names of contracts section 1) to answers and
back. Pure Python: the forms, the Excel round-trip and imports read the same way.

Form data arrive as lists of strings per path (an HTML form's or a worksheet's cells):

| item type | paths |
|---|---|
| ratio | ``.numerator``, ``.denominator`` |
| saving | ``.baseline``, ``.actual`` |
| max_value | ``.value`` |
| count_min | ``.count`` |
| boolean | ``.value`` (``true`` / ``false``) |
| checklist | ``.checked``, ``.na`` (option codes); ``.none`` (``true``: none applies) |
| graded | ``.level``; applications as ``.applications.<n>.<key>`` |
| conditional items | ``.not_applicable`` (``true``) |

Every field of an item left empty means "not answered" (CLEAR). A number is read as
written: thousands separators and full-width digits are accepted ("１,２００" is 1200).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from assessments.answers import CLEAR, NOT_APPLICABLE, is_not_applicable
from scoring.engine import AnswerError, ErrorCode, ItemSpec, ItemType, answer_error

NUMBER_FIELDS: Mapping[ItemType, tuple[str, ...]] = {
    ItemType.RATIO: ("numerator", "denominator"),
    ItemType.SAVING: ("baseline", "actual"),
    ItemType.MAX_VALUE: ("value",),
    ItemType.COUNT_MIN: ("count",),
}
WHOLE_FIELDS = frozenset({"count", "level"})
TRUE, FALSE = "true", "false"
APPLICATION_KEYS = ("name", "technology", "domain", "description")
_APPLICATION = re.compile(r"^applications\.(\d{1,3})\.([a-z_]+)$")

Data = Mapping[str, Sequence[str]]


def paths(item: ItemSpec) -> list[str]:
    """The answer paths of an item, in the order a form or worksheet shows them (without
    the repeated application rows of a graded item)."""
    code = item.code
    if item.type in NUMBER_FIELDS:
        found = [f"{code}.{field}" for field in NUMBER_FIELDS[item.type]]
    elif item.type == ItemType.BOOLEAN:
        found = [f"{code}.value"]
    elif item.type == ItemType.CHECKLIST:
        found = [f"{code}.checked", *([f"{code}.na"] if item.na_options else []), f"{code}.none"]
    else:
        found = [f"{code}.level"]
    if item.conditional:
        found.append(f"{code}.not_applicable")
    return found


def _first(data: Data, path: str) -> str:
    values = data.get(path) or []
    return _clean(values[0]) if values else ""


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def read_number(text: str) -> int | float | None:
    """A number as typed, or None when it is not one. Integral values stay int."""
    cleaned = _clean(text).replace(",", "").replace(" ", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def _flag(data: Data, path: str) -> bool:
    return _first(data, path).lower() in {TRUE, "1", "on", "yes", "是"}


def _codes(data: Data, path: str) -> list[str]:
    codes: list[str] = []
    for raw in data.get(path) or []:
        for part in re.split(r"[,，、\s]+", _clean(raw)):
            if part and part not in codes:
                codes.append(part)
    return codes


def read_answer(item: ItemSpec, data: Data) -> tuple[Any, list[AnswerError]]:
    """The item's answer from the fields under its paths: an answer for the engine (still
    to be validated by it), ``CLEAR`` when every field is empty, and the errors of fields
    that cannot be read at all (a number that is not one)."""
    code = item.code
    if item.conditional and _flag(data, f"{code}.not_applicable"):
        return dict(NOT_APPLICABLE), []
    if item.type in NUMBER_FIELDS:
        return _read_numbers(item, data)
    if item.type == ItemType.BOOLEAN:
        value = _first(data, f"{code}.value").lower()
        if not value:
            return CLEAR, []
        if value in {TRUE, "是", "yes", "1"}:
            return {"value": True}, []
        if value in {FALSE, "否", "no", "0"}:
            return {"value": False}, []
        return CLEAR, [answer_error(code, ErrorCode.NOT_A_BOOLEAN, "value")]
    if item.type == ItemType.CHECKLIST:
        checked, na = _codes(data, f"{code}.checked"), _codes(data, f"{code}.na")
        if not checked and not na and not _flag(data, f"{code}.none"):
            return CLEAR, []
        answer: dict[str, Any] = {"checked": checked}
        if na:
            answer["na"] = na
        return answer, []
    return _read_graded(item, data)


def _read_numbers(item: ItemSpec, data: Data) -> tuple[Any, list[AnswerError]]:
    code = item.code
    raw = {field: _first(data, f"{code}.{field}") for field in NUMBER_FIELDS[item.type]}
    if not any(raw.values()):
        return CLEAR, []
    answer: dict[str, Any] = {}
    errors = []
    for field, text in raw.items():
        if not text:
            continue  # the engine reports the missing field
        number = read_number(text)
        if number is None:
            errors.append(answer_error(code, ErrorCode.NOT_A_NUMBER, field, key=field))
        else:
            answer[field] = number
    return answer, errors


def _read_graded(item: ItemSpec, data: Data) -> tuple[Any, list[AnswerError]]:
    code = item.code
    text = _first(data, f"{code}.level")
    applications = read_applications(code, data)
    if not text:
        return (CLEAR, []) if not applications else ({"applications": applications}, [])
    level = read_number(text)
    if level is None:
        return CLEAR, [answer_error(code, ErrorCode.NOT_A_NUMBER, "level", key="level")]
    answer: dict[str, Any] = {"level": level}
    if item.record_choices and applications:
        answer["applications"] = applications
    return answer, []


def read_applications(code: str, data: Data) -> list[dict[str, str]]:
    """The application rows of a graded item, in row order; rows left blank are dropped."""
    rows: dict[int, dict[str, str]] = {}
    prefix = f"{code}."
    for path in data:
        if not path.startswith(prefix):
            continue
        match = _APPLICATION.match(path[len(prefix) :])
        if match:
            value = _first(data, path)
            if value:
                rows.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return [rows[n] for n in sorted(rows)]


def answer_fields(item: ItemSpec, answer: Any) -> dict[str, list[str]]:
    """The form fields that show a stored answer (the inverse of ``read_answer``)."""
    code = item.code
    if answer is None:
        return {}
    if is_not_applicable(answer):
        return {f"{code}.not_applicable": [TRUE]}
    if item.type in NUMBER_FIELDS:
        return {
            f"{code}.{field}": [_number_text(answer.get(field))]
            for field in NUMBER_FIELDS[item.type]
            if answer.get(field) is not None
        }
    if item.type == ItemType.BOOLEAN:
        return {f"{code}.value": [TRUE if answer.get("value") else FALSE]}
    if item.type == ItemType.CHECKLIST:
        fields = {f"{code}.checked": list(answer.get("checked") or [])}
        if answer.get("na"):
            fields[f"{code}.na"] = list(answer["na"])
        if not fields[f"{code}.checked"] and not answer.get("na"):
            fields[f"{code}.none"] = [TRUE]
        return fields
    fields = {f"{code}.level": [str(answer.get("level", ""))]}
    for n, application in enumerate(answer.get("applications") or []):
        for key, value in application.items():
            fields[f"{code}.applications.{n}.{key}"] = [str(value)]
    return fields


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
