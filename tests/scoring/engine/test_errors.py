"""Answer errors carry the item, the field, a stable code and the params of its message."""

from __future__ import annotations

import math
import pickle
import re
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest

from scoring.engine import (
    MESSAGES,
    AnswerError,
    ErrorCode,
    FrameworkSpec,
    ItemSpec,
    ItemType,
    answer_error,
    validate_answer,
    validate_answers,
)

APP = {"name": "Face-recognition gate", "technology": "ai", "domain": "safety"}
CHOICES = "big_data, ai, 5g, other"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")

# (code, item, answer, field, params): the answer has exactly this one problem.
CASES: list[tuple[ErrorCode, str, object, str | None, dict[str, object]]] = [
    (ErrorCode.UNKNOWN_ITEM, "L1P1.9", {"value": True}, None, {}),
    (ErrorCode.WRONG_SHAPE, "L1P8.1", [1, 2], None, {"keys": "denominator, numerator"}),
    (ErrorCode.MISSING_KEY, "L1P8.1", {"numerator": 1}, "denominator", {"key": "denominator"}),
    (ErrorCode.UNEXPECTED_KEY, "L1P1.2", {"value": True, "note": "x"}, "note", {"key": "note"}),
    (
        ErrorCode.NOT_A_NUMBER,
        "L1P8.2",
        {"baseline": "5", "actual": 1},
        "baseline",
        {"key": "baseline"},
    ),
    (
        ErrorCode.NOT_FINITE,
        "L1P8.2",
        {"baseline": 5, "actual": math.inf},
        "actual",
        {"key": "actual"},
    ),
    (
        ErrorCode.NEGATIVE,
        "L1P8.1",
        {"numerator": -1, "denominator": 2},
        "numerator",
        {"key": "numerator"},
    ),
    (ErrorCode.NOT_AN_INTEGER, "L2P1.1", {"count": 2.5}, "count", {"key": "count"}),
    (ErrorCode.NOT_A_BOOLEAN, "L1P1.2", {"value": "yes"}, "value", {}),
    (
        ErrorCode.DENOMINATOR_NOT_POSITIVE,
        "L1P8.1",
        {"numerator": 0, "denominator": 0},
        "denominator",
        {},
    ),
    (
        ErrorCode.NUMERATOR_EXCEEDS_DENOMINATOR,
        "L1P8.1",
        {"numerator": 3, "denominator": 2},
        "numerator",
        {},
    ),
    (ErrorCode.BASELINE_NOT_POSITIVE, "L1P8.2", {"baseline": 0, "actual": 1}, "baseline", {}),
    (ErrorCode.VALUE_NOT_POSITIVE, "L2P6.2", {"value": 0.0}, "value", {}),
    (ErrorCode.LEVEL_OUT_OF_RANGE, "L4P1.1", {"level": 5}, "level", {"max_level": 4}),
    (ErrorCode.NOT_A_LIST, "L3P1.1", {"checked": [], "na": "a"}, "na", {"key": "na"}),
    (
        ErrorCode.NOT_AN_OPTION_CODE,
        "L1P2.2",
        {"checked": ["a", None]},
        "checked",
        {"key": "checked", "value": "None"},
    ),
    (
        ErrorCode.UNKNOWN_OPTION,
        "L1P2.2",
        {"checked": ["a", "z"]},
        "checked",
        {"key": "checked", "option": "z"},
    ),
    (
        ErrorCode.DUPLICATE_OPTION,
        "L3P1.1",
        {"checked": [], "na": ["b", "b"]},
        "na",
        {"key": "na", "option": "b"},
    ),
    (
        ErrorCode.OPTION_CHECKED_AND_NA,
        "L3P1.1",
        {"checked": ["c"], "na": ["c"]},
        "na",
        {"option": "c"},
    ),
    (ErrorCode.NA_OPTION_NOT_ALLOWED, "L1P2.2", {"checked": ["a"], "na": ["b"]}, "na", {}),
    (ErrorCode.NA_NOT_ALLOWED, "L1P7.1", {"na": True}, "not_applicable", {}),
    (
        ErrorCode.APPLICATIONS_NOT_A_LIST,
        "L4P1.1",
        {"level": 1, "applications": APP},
        "applications",
        {},
    ),
    (
        ErrorCode.APPLICATION_NOT_AN_OBJECT,
        "L4P1.1",
        {"level": 1, "applications": [APP, "x"]},
        "applications",
        {"number": 2},
    ),
    (
        ErrorCode.APPLICATION_UNEXPECTED_KEY,
        "L4P1.1",
        {"level": 1, "applications": [{**APP, "owner": "x"}]},
        "applications",
        {"number": 1, "key": "owner"},
    ),
    (
        ErrorCode.APPLICATION_NAME_REQUIRED,
        "L4P1.1",
        {"level": 1, "applications": [APP, APP, {**APP, "name": " "}]},
        "applications",
        {"number": 3, "key": "name"},
    ),
    (
        ErrorCode.APPLICATION_NOT_TEXT,
        "L4P1.1",
        {"level": 1, "applications": [{**APP, "description": 3}]},
        "applications",
        {"number": 1, "key": "description"},
    ),
    (
        ErrorCode.APPLICATION_FIELD_REQUIRED,
        "L4P1.1",
        {"level": 1, "applications": [APP, {"name": "x", "technology": "5g"}]},
        "applications",
        {"number": 2, "key": "domain"},
    ),
    (
        ErrorCode.INVALID_CHOICE,
        "L4P1.1",
        {"level": 1, "applications": [APP, {**APP, "technology": "blockchain"}]},
        "applications",
        {"number": 2, "key": "technology", "choices": CHOICES},
    ),
]


@pytest.mark.parametrize(
    ("code", "item", "answer", "field", "params"), CASES, ids=[case[0].value for case in CASES]
)
def test_each_code_names_item_field_and_params(
    db37: FrameworkSpec,
    code: ErrorCode,
    item: str,
    answer: object,
    field: str | None,
    params: dict[str, object],
) -> None:
    errors = validate_answers(db37, {item: answer})
    assert [(e.item, e.field, e.code, dict(e.params)) for e in errors] == [
        (item, field, code.value, params)
    ]
    assert errors[0].message == f"{item}: {MESSAGES[code] % params}"


def test_no_applicable_item_is_reported_under_the_indicator(factory: ModuleType) -> None:
    only = ItemSpec("X1.1", ItemType.BOOLEAN, conditional=True)
    errors = validate_answers(factory.tiny_framework(only), {"X1.1": {"na": True}})
    assert errors == [
        AnswerError(
            "X1", "no_applicable_item", "X1: at least one item must stay applicable", None, {}
        )
    ]


def test_every_code_has_one_test_case_and_one_template() -> None:
    covered = {case[0] for case in CASES} | {ErrorCode.NO_APPLICABLE_ITEM}
    assert covered == set(ErrorCode)
    assert set(MESSAGES) == set(ErrorCode)


@pytest.mark.parametrize("code", list(ErrorCode), ids=[code.value for code in ErrorCode])
def test_templates_use_named_placeholders_only(code: ErrorCode) -> None:
    template = MESSAGES[code]
    assert "%" not in PLACEHOLDER.sub("", template), template
    assert template == template.strip()
    assert not template.startswith("%(item)")  # the item prefix is added by answer_error
    names = PLACEHOLDER.findall(template)
    assert template % dict.fromkeys(names, "x")


def test_messages_keep_their_english_wording(db37: FrameworkSpec) -> None:
    answers: dict[str, Any] = {
        "L1P1.2": True,
        "L1P2.2": {"checked": ["a", 7, "x", "a"]},
        "L1P7.2": {"na": False},
        "L1P8.1": {"numerator": 1, "denominator": 0},
        "L2P1.1": {"count": "3"},
        "L3P1.1": {"checked": ["a"], "na": ["a"]},
        "L4P1.1": {"level": 9, "applications": [{**APP, "domain": "x"}]},
    }
    assert [e.message for e in validate_answers(db37, answers)] == [
        "L1P1.2: answer must be an object with value",
        "L1P2.2: checked must contain option codes, got 7",
        "L1P2.2: unknown option 'x' in checked",
        "L1P2.2: option 'a' is listed twice in checked",
        "L1P7.2: value is missing",
        "L1P7.2: unexpected key 'na'",
        "L1P8.1: denominator must be greater than 0",
        "L2P1.1: count must be a number",
        "L3P1.1: option 'a' is both checked and not applicable",
        "L4P1.1: application 1: domain must be one of service, safety",
        "L4P1.1: level must be from 0 to 4",
    ]


# --- every error the engine produces fills its template ------------------------------------

BAD_VALUES: list[object] = [
    None,
    "1",
    "",
    True,
    False,
    -1,
    -0.5,
    0,
    0.0,
    2.5,
    10**6,
    math.nan,
    -math.inf,
    Decimal("NaN"),
    Decimal("-0.1"),
    [],
    ["a"],
    [1],
    ["a", "a"],
    ["zz"],
    {},
    {"a": 1},
]
BAD_APPLICATIONS: list[object] = [
    "x",
    APP,
    [None],
    [{}],
    [{"name": 1, "description": [], "technology": 5, "domain": None, "x": 1}],
    [APP, {**APP, "name": "", "technology": "ai", "domain": "elsewhere", 3: "x"}],
]


def bad_answers(item: ItemSpec) -> list[object]:
    """Many wrong answers for `item`: wrong shapes, and each key set to each bad value."""
    keys = {
        ItemType.RATIO: ("numerator", "denominator"),
        ItemType.SAVING: ("baseline", "actual"),
        ItemType.MAX_VALUE: ("value",),
        ItemType.COUNT_MIN: ("count",),
        ItemType.BOOLEAN: ("value",),
        ItemType.CHECKLIST: ("checked", "na"),
        ItemType.GRADED: ("level", "applications"),
    }[item.type]
    valid: dict[str, object] = {
        "numerator": 1,
        "denominator": 2,
        "baseline": 2,
        "actual": 1,
        "value": True if item.type is ItemType.BOOLEAN else 1,
        "count": 1,
        "checked": [],
        "na": [],
        "level": 1,
        "applications": [APP],
    }
    answers: list[object] = [[], "x", 1, True, {}, {"na": True}, {"na": False}, {"na": 1}]
    answers.append({**{key: valid[key] for key in keys}, "extra": 1})
    for key in keys:
        for bad in [*BAD_VALUES, *(BAD_APPLICATIONS if key == "applications" else [])]:
            answer = {other: valid[other] for other in keys}
            answer[key] = bad
            answers.append(answer)
            answers.append({other: answer[other] for other in keys if other != key})
    if item.type is ItemType.CHECKLIST:
        answers += [
            {"checked": list(item.options), "na": list(item.options)},
            {"checked": [], "na": list(item.options)},
            {"checked": [*item.options, "zz", 0], "na": [*item.options, item.options[0]]},
        ]
    return answers


def test_every_error_of_many_bad_answers_fills_its_template(db37: FrameworkSpec) -> None:
    seen: set[str] = set()
    for code, item in db37.items.items():
        for answer in bad_answers(item):
            for error in validate_answer(item, answer):
                seen.add(error.code)
                template = MESSAGES[ErrorCode(error.code)]
                names = set(PLACEHOLDER.findall(template))
                assert names <= error.params.keys(), error
                assert set(error.params) - names <= {"key", "number"}, error
                assert all(type(v) in (str, int) for v in error.params.values()), error
                assert error.item == code
                assert error.message == f"{code}: {template % error.params}"
                if error.field is not None:
                    assert re.fullmatch(r"\w+", error.field), error
    unreachable_per_item = {ErrorCode.UNKNOWN_ITEM.value, ErrorCode.NO_APPLICABLE_ITEM.value}
    assert seen == {code.value for code in ErrorCode} - unreachable_per_item


# --- the error object -----------------------------------------------------------------------


def test_positional_construction_keeps_working() -> None:
    error = AnswerError("L1P1.9", "unknown_item", "L1P1.9: unknown item code")
    assert (error.field, dict(error.params)) == (None, {})
    assert error == answer_error("L1P1.9", ErrorCode.UNKNOWN_ITEM)


def test_errors_compare_with_params_hash_without_them_and_pickle() -> None:
    one = answer_error("L1P2.2", ErrorCode.UNKNOWN_OPTION, "checked", key="checked", option="x")
    same = answer_error("L1P2.2", ErrorCode.UNKNOWN_OPTION, "checked", key="checked", option="x")
    other = AnswerError(one.item, one.code, one.message, one.field, {**one.params, "option": "y"})
    assert one == same
    assert hash(one) == hash(same)
    assert one != other
    assert len({one, same, other}) == 2
    assert pickle.loads(pickle.dumps(one)) == one  # noqa: S301 - our own object


def test_answer_error_takes_params_named_like_its_own_arguments() -> None:
    error = answer_error("L1P8.1", ErrorCode.MISSING_KEY, "count", key="count", item="x", code=1)
    assert (error.item, error.code, error.field) == ("L1P8.1", "missing_key", "count")
    assert dict(error.params) == {"key": "count", "item": "x", "code": 1}
    assert error.message == "L1P8.1: count is missing"
