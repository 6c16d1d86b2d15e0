"""Answer validation (scoring.md 3.3 and 4): every problem is reported, naming the item."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import Any

import pytest

from scoring.engine import (
    AnswerError,
    ErrorCode,
    FrameworkSpec,
    InvalidAnswers,
    ItemSpec,
    ItemType,
    SpecError,
    score,
    validate_answer,
    validate_answers,
)

APP = {"name": "Face-recognition gate", "technology": "ai", "domain": "safety"}

# (case id, item code, answer, expected machine code); each answer has exactly one problem.
CASES: list[tuple[str, str, object, str]] = [
    ("nan", "L1P8.1", {"numerator": math.nan, "denominator": 10}, "not_finite"),
    ("infinity", "L1P8.2", {"baseline": math.inf, "actual": 1}, "not_finite"),
    ("decimal nan", "L2P6.2", {"value": Decimal("NaN")}, "not_finite"),
    ("negative numerator", "L1P8.1", {"numerator": -1, "denominator": 10}, "negative"),
    ("negative actual", "L1P8.2", {"baseline": 10, "actual": -0.5}, "negative"),
    ("negative count", "L2P1.1", {"count": -2}, "negative"),
    ("string number", "L1P8.1", {"numerator": "5", "denominator": 10}, "not_a_number"),
    ("bool number", "L1P8.1", {"numerator": True, "denominator": 10}, "not_a_number"),
    ("null number", "L2P6.2", {"value": None}, "not_a_number"),
    ("zero denominator", "L1P1.1", {"numerator": 0, "denominator": 0}, "denominator_not_positive"),
    (
        "bounded ratio",
        "L1P1.1",
        {"numerator": 11, "denominator": 10},
        "numerator_exceeds_denominator",
    ),
    ("zero baseline", "L1P8.2", {"baseline": 0, "actual": 0}, "baseline_not_positive"),
    ("zero value", "L2P6.2", {"value": 0}, "value_not_positive"),
    ("fractional count", "L2P1.1", {"count": 3.5}, "not_an_integer"),
    ("string count", "L2P1.1", {"count": "3"}, "not_a_number"),
    ("fractional level", "L4P1.1", {"level": 2.5}, "not_an_integer"),
    ("level above max", "L4P1.1", {"level": 5}, "level_out_of_range"),
    ("negative level", "L4P1.1", {"level": -1}, "level_out_of_range"),
    ("boolean as int", "L1P1.2", {"value": 1}, "not_a_boolean"),
    ("unknown option", "L1P2.2", {"checked": ["a", "z"]}, "unknown_option"),
    ("unknown na option", "L3P1.1", {"checked": [], "na": ["f"]}, "unknown_option"),
    ("duplicate option", "L1P2.2", {"checked": ["a", "a"]}, "duplicate_option"),
    ("checked and na", "L3P1.1", {"checked": ["a"], "na": ["a"]}, "option_checked_and_na"),
    ("na option not allowed", "L1P2.2", {"checked": ["a"], "na": ["b"]}, "na_option_not_allowed"),
    ("na item not allowed", "L1P7.1", {"na": True}, "na_not_allowed"),
    ("answer not an object", "L1P1.2", [True], "wrong_shape"),
    ("answer a bare value", "L1P1.2", True, "wrong_shape"),
    ("missing key", "L1P8.1", {"numerator": 1}, "missing_key"),
    ("unexpected key", "L1P1.2", {"value": True, "note": "x"}, "unexpected_key"),
    ("checked not a list", "L1P2.2", {"checked": "a"}, "not_a_list"),
    ("option not a string", "L1P2.2", {"checked": [1]}, "not_an_option_code"),
    (
        "applications not a list",
        "L4P1.1",
        {"level": 1, "applications": APP},
        "applications_not_a_list",
    ),
    (
        "application not an object",
        "L4P1.1",
        {"level": 1, "applications": ["x"]},
        "application_not_an_object",
    ),
    (
        "application unexpected key",
        "L4P1.1",
        {"level": 1, "applications": [{**APP, "owner": "x"}]},
        "application_unexpected_key",
    ),
    (
        "application description not text",
        "L4P1.1",
        {"level": 1, "applications": [{**APP, "description": 3}]},
        "application_not_text",
    ),
    (
        "application without name",
        "L4P1.1",
        {"level": 1, "applications": [{**APP, "name": " "}]},
        "application_name_required",
    ),
    (
        "application without a choice field",
        "L4P1.1",
        {"level": 1, "applications": [{"name": "x", "domain": "service"}]},
        "application_field_required",
    ),
    (
        "application with unknown choice",
        "L4P1.1",
        {"level": 1, "applications": [{**APP, "technology": "blockchain"}]},
        "invalid_choice",
    ),
]


@pytest.mark.parametrize(
    ("item", "answer", "code"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_each_invalid_answer_gives_one_error_naming_the_item(
    db37: FrameworkSpec, item: str, answer: object, code: str
) -> None:
    errors = validate_answers(db37, {item: answer})
    assert [(error.item, error.code) for error in errors] == [(item, code)]
    assert errors[0].message.startswith(f"{item}: ")
    assert validate_answer(db37.items[item], answer) == errors


def test_error_is_a_stable_code_and_an_english_message(db37: FrameworkSpec) -> None:
    assert ErrorCode.DENOMINATOR_NOT_POSITIVE.value == "denominator_not_positive"
    errors = validate_answers(db37, {"L1P1.1": {"numerator": 1, "denominator": 0}})
    assert errors == [
        AnswerError(
            item="L1P1.1",
            code="denominator_not_positive",
            message="L1P1.1: denominator must be greater than 0",
            field="denominator",
            params={},
        )
    ]


def test_only_na_true_marks_an_item_not_applicable(db37: FrameworkSpec) -> None:
    errors = validate_answers(db37, {"L1P7.2": {"na": False}})
    assert [(e.code, e.message) for e in errors] == [
        ("missing_key", "L1P7.2: value is missing"),
        ("unexpected_key", "L1P7.2: unexpected key 'na'"),
    ]


def test_unknown_item_code_is_an_error(db37: FrameworkSpec) -> None:
    errors = validate_answers(db37, {"L1P1.9": {"value": True}})
    assert [(e.item, e.code, e.message) for e in errors] == [
        ("L1P1.9", "unknown_item", "L1P1.9: unknown item code")
    ]


def test_indicator_must_keep_one_applicable_item(factory: ModuleType) -> None:
    only = ItemSpec("X1.1", ItemType.CHECKLIST, options=("a", "b"), na_options=True)
    framework = factory.tiny_framework(only)
    errors = validate_answers(framework, {"X1.1": {"checked": [], "na": ["a", "b"]}})
    assert [(e.item, e.code) for e in errors] == [("X1", "no_applicable_item")]
    assert errors[0].message.startswith("X1: ")


def test_indicator_of_one_conditional_item_marked_na_is_an_error(factory: ModuleType) -> None:
    only = ItemSpec("X1.1", ItemType.BOOLEAN, conditional=True)
    errors = validate_answers(factory.tiny_framework(only), {"X1.1": {"na": True}})
    assert [e.code for e in errors] == ["no_applicable_item"]


def test_all_problems_are_reported_one_each_sorted_by_item(db37: FrameworkSpec) -> None:
    answers = {
        "L2P1.1": {"count": -1.5},
        "L1P8.1": {"numerator": -1, "denominator": 0, "extra": 1},
        "L1P2.2": {"checked": ["a", "x", "a"]},
        "ZZ": 1,
    }
    errors = validate_answers(db37, answers)
    assert [(e.item, e.code) for e in errors] == [
        ("L1P2.2", "unknown_option"),
        ("L1P2.2", "duplicate_option"),
        ("L1P8.1", "unexpected_key"),
        ("L1P8.1", "negative"),
        ("L1P8.1", "denominator_not_positive"),
        ("L2P1.1", "not_an_integer"),
        ("ZZ", "unknown_item"),
    ]


def test_valid_answers_have_no_errors(db37: FrameworkSpec, factory: ModuleType) -> None:
    assert validate_answers(db37, factory.perfect_answers(db37)) == []
    assert validate_answers(db37, {}) == []


def test_decimal_and_fraction_numbers_are_accepted_exactly(db37: FrameworkSpec) -> None:
    answers: dict[str, Any] = {
        "L1P8.1": {"numerator": Decimal("0.3"), "denominator": Fraction(1, 2)},
    }
    assert validate_answers(db37, answers) == []
    l1p8 = next(ind for ind in score(db37, answers).indicators if ind.code == "L1P8")
    assert l1p8.items[0].achievement == Fraction(3, 5)


def test_score_refuses_invalid_answers_with_the_same_errors(db37: FrameworkSpec) -> None:
    answers = {"L1P1.1": {"numerator": 2, "denominator": 1}, "L9": {}}
    with pytest.raises(InvalidAnswers) as raised:
        score(db37, answers)
    assert raised.value.errors == validate_answers(db37, answers)
    assert "L1P1.1: numerator must not exceed denominator" in str(raised.value)


def test_validate_answer_treats_none_as_unanswered(db37: FrameworkSpec) -> None:
    assert validate_answer(db37.items["L1P1.1"], None) == []


def test_validating_against_an_invalid_item_raises_spec_error() -> None:
    with pytest.raises(SpecError):
        validate_answer(ItemSpec("X1.1", ItemType.RATIO), {"numerator": 1, "denominator": 1})


# --- spec checks -------------------------------------------------------------------------

R = ItemType.RATIO
ITEM_SPEC_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("unknown type", {"type": "percentage"}, "X1.1: unknown item type 'percentage'"),
    ("zero weight", {"type": "boolean", "weight": 0}, "X1.1: weight must be a number greater"),
    ("no target", {"type": R}, "X1.1: ratio item needs a target"),
    ("zero target", {"type": R, "target": 0}, "X1.1: target must be a number greater than 0"),
    ("ratio with le", {"type": R, "target": 1, "comparator": "le"}, "comparator"),
    ("max_value with ge", {"type": "max_value", "target": 1, "comparator": "ge"}, "comparator"),
    ("bad comparator", {"type": "count_min", "target": 1, "comparator": "eq"}, "comparator"),
    ("boolean target", {"type": "boolean", "target": 1}, "must not have a target"),
    ("boolean comparator", {"type": "graded", "max_level": 1, "comparator": "ge"}, "comparator"),
    ("bounded saving", {"type": "saving", "target": 1, "bounded": True}, "only ratio"),
    ("no options", {"type": "checklist"}, "X1.1: options must have at least one option"),
    ("duplicate option", {"type": "checklist", "options": ("a", "a")}, "duplicate option 'a'"),
    ("empty option", {"type": "checklist", "options": ("a", "")}, "non-empty strings"),
    ("min_required 0", {"type": "checklist", "options": ("a",), "min_required": 0}, "1 to 1"),
    ("min_required > n", {"type": "checklist", "options": ("a",), "min_required": 2}, "1 to 1"),
    ("options elsewhere", {"type": "boolean", "options": ("a",)}, "only checklist items"),
    ("min_required elsewhere", {"type": "boolean", "min_required": 1}, "only checklist items"),
    ("na_options elsewhere", {"type": "boolean", "na_options": True}, "only checklist items"),
    ("no max_level", {"type": "graded"}, "X1.1: graded item needs max_level >= 1"),
    ("max_level 0", {"type": "graded", "max_level": 0}, "graded item needs max_level >= 1"),
    ("max_level elsewhere", {"type": "boolean", "max_level": 3}, "only graded items"),
    ("choices elsewhere", {"type": "boolean", "record_choices": {"a": ("x",)}}, "only graded"),
    (
        "empty choices",
        {"type": "graded", "max_level": 1, "record_choices": {"domain": ()}},
        "must have at least one choice",
    ),
    (
        "choice field clashes",
        {"type": "graded", "max_level": 1, "record_choices": {"name": ("x",)}},
        "clashes with a built-in field",
    ),
]


@pytest.mark.parametrize(
    ("params", "message"),
    [case[1:] for case in ITEM_SPEC_CASES],
    ids=[case[0] for case in ITEM_SPEC_CASES],
)
def test_item_check_reports_each_parameter_error(params: dict[str, Any], message: str) -> None:
    errors = ItemSpec("X1.1", **params).check()
    assert len(errors) == 1, errors
    assert errors[0].startswith("X1.1: ")
    assert message in errors[0]


def test_db37_framework_checks_clean(db37: FrameworkSpec) -> None:
    assert db37.check() == []
    assert (len(db37.primaries), len(db37.indicators), len(db37.items)) == (4, 24, 46)


def test_spec_normalises_strings_floats_and_lists() -> None:
    loose: dict[str, Any] = {"type": "ratio", "target": 0.6, "comparator": "gt", "weight": 2}
    item = ItemSpec("X1.1", **loose)
    assert (item.type, item.target, item.comparator, item.weight) == (
        ItemType.RATIO,
        Fraction(3, 5),
        "gt",
        Fraction(2),
    )
    assert ItemSpec("X1.2", ItemType.MAX_VALUE, target=Fraction(15)).effective_comparator == "le"


def _framework_with(factory: ModuleType, **changes: Any) -> FrameworkSpec:
    """DB37 with one part replaced: items of L1P1, weight of L1P1 or L1, or the grade bands."""
    from dataclasses import replace

    framework: FrameworkSpec = factory.make_db37()
    l1 = framework.primaries[0]
    l1p1 = l1.indicators[0]
    if "items" in changes:
        l1p1 = replace(l1p1, items=changes["items"])
    if "indicator_weight" in changes:
        l1p1 = replace(l1p1, weight=changes["indicator_weight"])
    l1 = replace(l1, indicators=(l1p1, *l1.indicators[1:]), weight=changes.get("l1_weight", 29))
    return replace(
        framework,
        primaries=(l1, *framework.primaries[1:]),
        grade_bands=changes.get("bands", framework.grade_bands),
    )


def test_framework_check_reports_duplicate_codes(factory: ModuleType) -> None:
    items = (ItemSpec("L1P1.1", ItemType.BOOLEAN), ItemSpec("L1P1.1", ItemType.BOOLEAN))
    assert _framework_with(factory, items=items).check() == [
        "L1P1.1: duplicate code (used 2 times)"
    ]


def test_framework_check_reports_item_codes_outside_their_indicator(factory: ModuleType) -> None:
    items = (ItemSpec("L1P2.9", ItemType.BOOLEAN),)
    assert _framework_with(factory, items=items).check() == [
        "L1P2.9: item code must start with 'L1P1.'"
    ]


def test_framework_check_reports_weights_not_summing_to_100(factory: ModuleType) -> None:
    errors = _framework_with(factory, indicator_weight=Fraction(4), l1_weight=30).check()
    assert errors == ["DB37/T 3890.3-2020: indicator weights sum to 101, not 100"]


def test_framework_check_reports_primary_weight_differing_from_its_indicators(
    factory: ModuleType,
) -> None:
    errors = _framework_with(factory, l1_weight=30).check()
    assert errors == ["L1: weight 30 differs from the sum of its indicator weights (29)"]


def test_framework_check_reports_item_parameter_errors(factory: ModuleType) -> None:
    items = (ItemSpec("L1P1.1", ItemType.RATIO, target=Fraction(0)),)
    assert _framework_with(factory, items=items).check() == [
        "L1P1.1: target must be a number greater than 0"
    ]


def test_framework_check_reports_an_indicator_without_items(factory: ModuleType) -> None:
    assert _framework_with(factory, items=()).check() == ["L1P1: indicator has no items"]


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ((("a", 60), ("b", 75), ("c", 0)), "b: grade bands must run from the highest minimum"),
        ((("a", 60), ("a", 0)), "a: duplicate grade band code"),
        ((("a", 60), ("b", 10)), "b: the last grade band must have minimum 0"),
        ((("a", 60), ("b", -1)), "b: grade band minimum must be a number >= 0"),
        ((), "grade bands: at least one band is needed"),
    ],
)
def test_framework_check_reports_bad_grade_bands(
    factory: ModuleType, bands: tuple[tuple[str, int], ...], message: str
) -> None:
    from scoring.engine import GradeBand

    grade_bands = tuple(GradeBand(code, Fraction(minimum)) for code, minimum in bands)
    errors = _framework_with(factory, bands=grade_bands).check()
    assert len(errors) == 1, errors
    assert errors[0].startswith(message)


def test_scoring_with_an_inconsistent_framework_raises_spec_error(factory: ModuleType) -> None:
    framework = _framework_with(factory, l1_weight=30)
    with pytest.raises(SpecError) as raised:
        score(framework, {})
    assert raised.value.errors == framework.check()
    with pytest.raises(SpecError):
        validate_answers(framework, {})


def test_any_mapping_is_accepted_for_answers_and_answer_objects(db37: FrameworkSpec) -> None:
    from types import MappingProxyType

    answer = MappingProxyType({"numerator": 1, "denominator": 2})
    answers = MappingProxyType({"L1P8.1": answer})
    assert validate_answers(db37, answers) == []
    l1p8 = next(ind for ind in score(db37, answers).indicators if ind.code == "L1P8")
    assert l1p8.items[0].achievement == Fraction(1, 2)
