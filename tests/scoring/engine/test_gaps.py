"""What an item still needs (scoring.engine.gaps): the smallest change of an answer that
makes the item met, checked against the real engine `score`."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import (
    FINE_STEP,
    Comparator,
    FrameworkSpec,
    Gap,
    GapKind,
    ItemResult,
    ItemSpec,
    ItemType,
    SpecError,
    item_gap,
    score,
)

F = Fraction
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)
WHOLE_KINDS = {GapKind.RAISE_COUNT, GapKind.CHECK_MORE, GapKind.RAISE_LEVEL}


def ratio(target: str = "0.60", comparator: str = "ge", bounded: bool = True) -> ItemSpec:
    return ItemSpec(
        "X1.1", ItemType.RATIO, target=F(target), comparator=Comparator(comparator), bounded=bounded
    )


def saving(target: str = "0.20", comparator: str = "ge") -> ItemSpec:
    return ItemSpec("X1.1", ItemType.SAVING, target=F(target), comparator=Comparator(comparator))


def max_value(target: str = "15", comparator: str = "le") -> ItemSpec:
    return ItemSpec("X1.1", ItemType.MAX_VALUE, target=F(target), comparator=Comparator(comparator))


def count_min(target: str = "3", comparator: str = "ge") -> ItemSpec:
    return ItemSpec("X1.1", ItemType.COUNT_MIN, target=F(target), comparator=Comparator(comparator))


def checklist(options: int = 5, **params: Any) -> ItemSpec:
    return ItemSpec("X1.1", ItemType.CHECKLIST, options=tuple("abcdefg"[:options]), **params)


def item_result(framework: FrameworkSpec, code: str, answer: object) -> ItemResult:
    """The engine's result of one item answered alone (None: left unanswered)."""
    result = score(framework, {} if answer is None else {code: answer})
    for indicator in result.indicators:
        for item in indicator.items:
            if item.code == code:
                return item
    raise AssertionError(f"{code} is not in the framework")


def applied(item: ItemSpec, answer: dict[str, Any], gap: Gap, checks: int | None = None) -> Any:
    """`answer` changed as `gap` says (a checklist: `checks` of the free options checked,
    by default as many as the gap asks for)."""
    if gap.kind is GapKind.SET_TRUE:
        return {"value": True}
    if gap.kind is GapKind.CHECK_MORE:
        count = gap.amount if checks is None else checks
        assert isinstance(count, int)
        return {**answer, "checked": [*answer["checked"], *gap.options[:count]]}
    assert gap.field is not None
    return {**answer, gap.field: gap.required}


def just_short(item: ItemSpec, answer: dict[str, Any], gap: Gap) -> Any | None:
    """The answer one step short of the gap's change (None where there is no such step):
    one less for whole quantities, FINE_STEP short under a strict comparator, and a hair
    short of an exact bound."""
    if gap.kind is GapKind.CHECK_MORE:
        assert isinstance(gap.amount, int)
        return applied(item, answer, gap, checks=gap.amount - 1)
    if gap.kind is GapKind.SET_TRUE:
        return None
    assert gap.field is not None and gap.required is not None
    strict = item.effective_comparator in (Comparator.GT, Comparator.LT)
    step = F(1) if gap.whole else FINE_STEP if strict else F(1, 10**9)
    if gap.kind in (GapKind.LOWER_ACTUAL, GapKind.LOWER_VALUE):
        return {**answer, gap.field: gap.required + step}
    return {**answer, gap.field: max(F(0), gap.required - step)}


def best_answer(item: ItemSpec, answer: dict[str, Any] | None) -> Any:
    """The most favourable answer keeping the facts (denominator, baseline, n/a options)."""
    if item.type is ItemType.RATIO:
        denominator = 100 if answer is None else answer["denominator"]
        return {"numerator": denominator, "denominator": denominator}
    if item.type is ItemType.SAVING:
        return {"baseline": 100 if answer is None else answer["baseline"], "actual": 0}
    assert item.type is ItemType.CHECKLIST and answer is not None
    na = answer.get("na") or []
    return {"checked": [o for o in item.options if o not in na], "na": na}


def check_gap(framework: FrameworkSpec, item: ItemSpec, answer: Any) -> Gap | None:
    """Assert the gap of `answer` agrees with `score`: None exactly when the item is met or
    not applicable; applying it meets the item; it is the smallest such change."""
    code = item.code
    before = item_result(framework, code, answer)
    gap = item_gap(item, answer)
    if gap is None:
        assert answer is not None
        assert before.status == "na" or before.met
        return gap
    assert gap.code == code
    assert not before.met
    assert gap.target == item.target
    assert gap.comparator == item.effective_comparator
    if gap.kind is GapKind.UNREACHABLE:
        assert gap.s_gain == 0
        assert not item_result(framework, code, best_answer(item, answer)).met
        return gap
    if gap.kind is GapKind.UNANSWERED:
        assert before.status == "missing"
        assert gap.s_gain == 1
        return gap
    after = item_result(framework, code, applied(item, answer, gap))
    assert after.met and after.s == 1
    assert before.s is not None
    assert gap.s_gain == 1 - before.s
    if gap.kind is GapKind.SET_TRUE:
        return gap
    assert gap.amount is not None and gap.amount > 0
    assert gap.current is not None and gap.required is not None
    if gap.kind in (GapKind.LOWER_ACTUAL, GapKind.LOWER_VALUE):
        assert gap.current - gap.required == gap.amount
    else:
        assert gap.required - gap.current == gap.amount
    assert gap.achievement == after.achievement
    if gap.whole:
        assert type(gap.amount) is int and type(gap.required) is int
    elif gap.kind not in WHOLE_KINDS:
        assert isinstance(gap.amount, Fraction)
    assert gap.kind not in WHOLE_KINDS or gap.whole
    short = just_short(item, answer, gap)
    if short is not None and not (gap.kind is GapKind.LOWER_VALUE and gap.required < FINE_STEP):
        assert not item_result(framework, code, short).met, short
    return gap


def framework_of(factory: ModuleType, item: ItemSpec) -> FrameworkSpec:
    """A framework of one indicator holding `item` (code X1.1) and an unanswered boolean,
    which keeps the indicator applicable when `item` is not."""
    framework: FrameworkSpec = factory.tiny_framework(item, ItemSpec("X1.2", ItemType.BOOLEAN))
    return framework


@pytest.fixture
def check(factory: ModuleType) -> Any:
    """check_gap for an item of a framework of its own."""

    def run(item: ItemSpec, answer: Any) -> Gap | None:
        return check_gap(framework_of(factory, item), item, answer)

    return run


# --- docs/scoring.md section 6 ----------------------------------------------------------------


def test_worked_example_smart_lights(db37: FrameworkSpec) -> None:
    gap = check_gap(db37, db37.items["L1P8.1"], {"numerator": 480, "denominator": 1000})
    assert gap == Gap(
        code="L1P8.1",
        kind=GapKind.RAISE_NUMERATOR,
        field="numerator",
        current=480,
        required=600,
        amount=120,
        whole=True,
        target=F("0.6"),
        comparator=Comparator.GE,
        achievement=F("0.6"),
        s_gain=F("0.2"),
    )


def test_worked_example_energy_saving(db37: FrameworkSpec) -> None:
    gap = check_gap(db37, db37.items["L1P8.2"], {"baseline": 200_000, "actual": 170_000})
    assert gap == Gap(
        code="L1P8.2",
        kind=GapKind.LOWER_ACTUAL,
        field="actual",
        current=F(170_000),
        required=F(160_000),
        amount=F(10_000),
        target=F("0.2"),
        comparator=Comparator.GE,
        achievement=F("0.2"),
        s_gain=F("0.25"),
    )


# --- nothing to show --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "answer"),
    [
        ("L1P8.1", {"numerator": 600, "denominator": 1000}),
        ("L1P8.2", {"baseline": 100, "actual": 80}),
        ("L2P6.2", {"value": 15}),
        ("L2P1.1", {"count": 3}),
        ("L1P1.2", {"value": True}),
        ("L1P7.1", {"checked": ["a", "e"]}),
        ("L3P1.1", {"checked": ["a"], "na": ["b", "c", "d", "e"]}),
        ("L4P1.1", {"level": 4}),
    ],
)
def test_a_met_item_has_no_gap(db37: FrameworkSpec, code: str, answer: Any) -> None:
    assert item_result(db37, code, answer).met
    assert item_gap(db37.items[code], answer) is None


def test_a_not_applicable_item_has_no_gap(db37: FrameworkSpec) -> None:
    assert item_gap(db37.items["L1P7.2"], {"na": True}) is None
    every = list("abcde")
    assert item_gap(db37.items["L3P1.1"], {"checked": [], "na": every}) is None


@pytest.mark.parametrize(
    ("code", "answer"),
    [
        ("L1P8.1", {"numerator": 1200, "denominator": 1000}),  # bounded
        ("L1P8.1", {"numerator": 1, "denominator": 0}),
        ("L1P8.1", {"numerator": "1", "denominator": 10}),
        ("L1P8.1", {"numerator": 1}),
        ("L1P8.1", [1, 10]),
        ("L1P8.2", {"baseline": 0, "actual": 0}),
        ("L2P6.2", {"value": 0}),
        ("L2P1.1", {"count": 1.5}),
        ("L1P1.2", {"value": "no"}),
        ("L1P7.1", {"checked": ["z"]}),
        ("L1P7.1", {"checked": ["a"], "na": ["b"]}),  # na options not allowed
        ("L3P1.1", {"checked": ["a"], "na": ["a"]}),
        ("L4P1.1", {"level": 5}),
        ("L1P1.2", {"na": True}),  # not conditional
    ],
)
def test_an_invalid_answer_has_no_gap(db37: FrameworkSpec, code: str, answer: Any) -> None:
    assert item_gap(db37.items[code], answer) is None


def test_an_unanswered_item_says_so(db37: FrameworkSpec) -> None:
    for item in db37.items.values():
        gap = check_gap(db37, item, None)
        assert gap == Gap(
            item.code,
            GapKind.UNANSWERED,
            target=item.target,
            comparator=item.effective_comparator,
            s_gain=F(1),
        )


def test_an_inconsistent_item_raises_spec_error() -> None:
    with pytest.raises(SpecError):
        item_gap(ItemSpec("X1.1", ItemType.RATIO), {"numerator": 1, "denominator": 2})


# --- ratio ------------------------------------------------------------------------------------


def test_ratio_ge_rounds_the_numerator_up_to_a_whole_number(check: Any) -> None:
    gap = check(ratio("0.60"), {"numerator": 1, "denominator": 7})  # 0.6 x 7 = 4.2
    assert (gap.required, gap.amount, gap.achievement) == (5, 4, F(5, 7))


def test_ratio_ge_met_exactly_at_the_target(check: Any) -> None:
    assert check(ratio("0.60"), {"numerator": 6, "denominator": 10}) is None
    gap = check(ratio("0.60"), {"numerator": 5, "denominator": 10})
    assert (gap.required, gap.amount) == (6, 1)


def test_ratio_gt_at_the_target_scores_1_but_needs_one_more(db37: FrameworkSpec) -> None:
    item = db37.items["L2P4.3"]  # more than 5% of parking spaces shared
    answer = {"numerator": 5, "denominator": 100}
    result = item_result(db37, "L2P4.3", answer)
    assert (result.s, result.met) == (1, False)
    gap = check_gap(db37, item, answer)
    assert gap is not None
    assert (gap.kind, gap.required, gap.amount, gap.s_gain) == (
        GapKind.RAISE_NUMERATOR,
        6,
        1,
        0,
    )


@pytest.mark.parametrize(
    ("numerator", "denominator", "required"),
    [(0, 99, 5), (4, 99, 5), (0, 100, 6), (3, 20, 2), (0, 1, 1)],  # floor(0.05 x d) + 1
)
def test_ratio_gt_needs_floor_of_target_times_denominator_plus_one(
    check: Any, numerator: int, denominator: int, required: int
) -> None:
    answer = {"numerator": numerator, "denominator": denominator}
    gap = check(ratio("0.05", "gt"), answer)
    if numerator >= required:
        assert gap is None
    else:
        assert (gap.required, gap.amount) == (required, required - numerator)


def test_ratio_gt_on_a_real_item(db37: FrameworkSpec) -> None:
    gap = check_gap(db37, db37.items["L3P4.1"], {"numerator": 7, "denominator": 10})
    assert gap is not None and (gap.required, gap.amount) == (8, 1)


def test_ratio_of_decimals_gives_the_exact_bound_under_ge(check: Any) -> None:
    gap = check(ratio("0.60"), {"numerator": 1.5, "denominator": 10.5})
    assert gap.whole is False
    assert (gap.required, gap.amount) == (F("6.3"), F("4.8"))
    assert gap.achievement == F("0.6")


def test_ratio_of_decimals_under_gt_steps_past_the_bound_by_a_hundredth(check: Any) -> None:
    gap = check(ratio("0.60", "gt"), {"numerator": 1.5, "denominator": 10.5})
    assert (gap.required, gap.amount) == (F("6.31"), F("4.81"))
    gap = check(ratio("0.60", "gt"), {"numerator": 1.5, "denominator": 10})  # bound 6 exactly
    assert gap.required == F("6.01")


def test_bounded_ratio_never_asks_for_more_than_the_denominator(check: Any) -> None:
    # 0.9999 x 10.005 = 10.0039995: the next hundredth, 10.01, would pass 100%, which meets it
    gap = check(ratio("0.9999", "gt"), {"numerator": 0, "denominator": Decimal("10.005")})
    assert gap.required == F("10.005")
    gap = check(ratio("1.00"), {"numerator": 99, "denominator": 100})
    assert (gap.required, gap.amount) == (100, 1)


def test_bounded_ratio_beyond_100_percent_is_unreachable(check: Any) -> None:
    for item in (ratio("1.00", "gt"), ratio("1.2")):
        for numerator in (0, 50, 100):
            gap = check(item, {"numerator": numerator, "denominator": 100})
            assert gap == Gap(
                "X1.1",
                GapKind.UNREACHABLE,
                field="numerator",
                current=numerator,
                whole=True,
                target=item.target,
                comparator=item.effective_comparator,
            )
        assert check(item, None).kind is GapKind.UNREACHABLE


def test_unbounded_ratio_beyond_100_percent_is_reachable(check: Any) -> None:
    gap = check(ratio("1.00", "gt", bounded=False), {"numerator": 100, "denominator": 100})
    assert (gap.kind, gap.required, gap.amount) == (GapKind.RAISE_NUMERATOR, 101, 1)
    gap = check(ratio("1.5", bounded=False), {"numerator": 100, "denominator": 100})
    assert (gap.required, gap.amount) == (150, 50)
    assert check(ratio("1.5", bounded=False), None).kind is GapKind.UNANSWERED


# --- saving -----------------------------------------------------------------------------------


def test_saving_gives_the_exact_largest_actual(check: Any) -> None:
    gap = check(saving("0.20"), {"baseline": 3, "actual": 3})
    assert (gap.required, gap.amount, gap.s_gain) == (F("2.4"), F("0.6"), 1)


def test_saving_that_uses_more_than_the_baseline(check: Any) -> None:
    gap = check(saving("0.20"), {"baseline": 100, "actual": 150})
    assert (gap.required, gap.amount, gap.achievement, gap.s_gain) == (80, 70, F("0.2"), 1)


def test_saving_gt_stays_a_hundredth_below_the_bound(check: Any, factory: ModuleType) -> None:
    item = saving("0.20", "gt")
    answer = {"baseline": 100, "actual": 80}
    assert item_result(framework_of(factory, item), "X1.1", answer).met is False
    gap = check(item, answer)
    assert (gap.required, gap.amount, gap.s_gain) == (F("79.99"), F("0.01"), 0)


def test_saving_of_everything(check: Any) -> None:
    gap = check(saving("1.00"), {"baseline": 100, "actual": 1})
    assert (gap.required, gap.amount) == (0, 1)
    for item in (saving("1.00", "gt"), saving("1.1")):
        gap = check(item, {"baseline": 100, "actual": 1})
        assert (gap.kind, gap.field, gap.current) == (GapKind.UNREACHABLE, "actual", 1)
        assert check(item, None).kind is GapKind.UNREACHABLE


# --- max_value, count_min ---------------------------------------------------------------------


def test_max_value(db37: FrameworkSpec, check: Any) -> None:
    gap = check_gap(db37, db37.items["L2P6.2"], {"value": 20})
    assert gap is not None
    assert (gap.kind, gap.current, gap.required, gap.amount, gap.achievement) == (
        GapKind.LOWER_VALUE,
        20,
        15,
        5,
        15,
    )
    assert check(max_value("15", "lt"), {"value": 15}).required == F("14.99")
    assert check(max_value("15", "lt"), {"value": 15.004}).amount == F("0.014")
    assert check(max_value("15", "le"), {"value": 15.5}).amount == F("0.5")


def test_max_value_below_a_tiny_strict_target_stays_positive(check: Any) -> None:
    gap = check(max_value("0.01", "lt"), {"value": 1})
    assert gap.required == F("0.005")


def test_count_min(db37: FrameworkSpec, check: Any) -> None:
    gap = check_gap(db37, db37.items["L2P1.1"], {"count": 1})
    assert gap is not None
    assert (gap.kind, gap.required, gap.amount, gap.whole, gap.s_gain) == (
        GapKind.RAISE_COUNT,
        3,
        2,
        True,
        F(2, 3),
    )
    assert check(count_min("3", "gt"), {"count": 3}).required == 4
    assert check(count_min("2.5"), {"count": 0}).required == 3
    assert check(count_min("2.5", "gt"), {"count": 0}).required == 3


# --- boolean, checklist, graded ---------------------------------------------------------------


def test_boolean(db37: FrameworkSpec) -> None:
    gap = check_gap(db37, db37.items["L1P1.2"], {"value": False})
    assert gap == Gap("L1P1.2", GapKind.SET_TRUE, field="value", s_gain=F(1))
    assert check_gap(db37, db37.items["L1P7.2"], {"value": False}) is not None


def test_checklist_lists_the_options_left(db37: FrameworkSpec) -> None:
    gap = check_gap(db37, db37.items["L2P6.1"], {"checked": ["a", "b", "c", "e", "g"]})
    assert gap is not None
    assert (gap.kind, gap.current, gap.required, gap.amount, gap.options) == (
        GapKind.CHECK_MORE,
        5,
        7,
        2,
        ("d", "f"),
    )
    assert gap.s_gain == F(2, 7)


def test_checklist_with_min_required(db37: FrameworkSpec) -> None:
    item = db37.items["L1P7.1"]  # at least 2 of 5 channels
    gap = check_gap(db37, item, {"checked": ["c"]})
    assert gap is not None
    assert (gap.required, gap.amount, gap.options) == (2, 1, ("a", "b", "d", "e"))
    gap = check_gap(db37, item, {"checked": []})
    assert gap is not None and (gap.amount, gap.s_gain) == (2, 1)


def test_checklist_leaves_out_options_not_applicable(db37: FrameworkSpec) -> None:
    item = db37.items["L3P1.1"]
    gap = check_gap(db37, item, {"checked": ["b"], "na": ["a", "d"]})
    assert gap is not None
    assert (gap.required, gap.amount, gap.options) == (3, 2, ("c", "e"))


def test_checklist_with_too_many_options_not_applicable_is_unreachable(check: Any) -> None:
    item = checklist(5, min_required=3, na_options=True)
    gap = check(item, {"checked": ["a"], "na": ["b", "c", "d"]})
    assert gap == Gap(
        "X1.1",
        GapKind.UNREACHABLE,
        field="checked",
        current=1,
        required=3,
        whole=True,
        options=("e",),
    )
    assert check(item, {"checked": ["a"], "na": ["b", "c"]}).options == ("d", "e")


def test_graded(db37: FrameworkSpec) -> None:
    gap = check_gap(db37, db37.items["L4P1.1"], {"level": 2, "applications": []})
    assert gap is not None
    assert (gap.kind, gap.current, gap.required, gap.amount, gap.s_gain) == (
        GapKind.RAISE_LEVEL,
        2,
        4,
        2,
        F(1, 2),
    )


# --- properties -------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(rng=st.randoms(use_true_random=False))
def test_every_db37_gap_meets_the_item_and_is_minimal(
    rng: Any, factory: ModuleType, db37: FrameworkSpec
) -> None:
    for item in db37.items.values():
        answer = factory.random_answer(item, rng)
        check_gap(db37, item, answer)


def numbers(whole: bool, low: int, high: int) -> st.SearchStrategy[Any]:
    """Answer numbers as a user types them: whole, or with one or two decimals."""
    if whole:
        return st.integers(low, high)
    return st.decimals(low, high, places=2, allow_nan=False, allow_infinity=False).map(
        lambda value: float(value) if value % 1 else int(value)
    )


@st.composite
def target_items(draw: st.DrawFn) -> tuple[ItemSpec, dict[str, Any]]:
    """A random item with a numeric target and a random valid answer."""
    kind = draw(st.sampled_from([ItemType.RATIO, ItemType.SAVING, ItemType.MAX_VALUE]))
    kind = draw(st.sampled_from([kind, ItemType.COUNT_MIN]))
    strict = draw(st.booleans())
    whole = draw(st.booleans())
    if kind is ItemType.RATIO:
        bounded = draw(st.booleans())
        target = F(draw(st.integers(1, 150)), 100)
        item = ItemSpec(
            "X1.1",
            kind,
            target=target,
            comparator=Comparator.GT if strict else Comparator.GE,
            bounded=bounded,
        )
        denominator = draw(numbers(whole, 1, 2000))
        if not denominator:
            denominator = 1
        high = int(denominator) if bounded else 3000
        numerator = draw(numbers(whole, 0, high))
        if bounded and numerator > denominator:
            numerator = denominator
        return item, {"numerator": numerator, "denominator": denominator}
    if kind is ItemType.SAVING:
        target = F(draw(st.integers(1, 120)), 100)
        comparator = Comparator.GT if strict else Comparator.GE
        item = ItemSpec("X1.1", kind, target=target, comparator=comparator)
        baseline = draw(numbers(whole, 1, 500_000)) or 1
        return item, {"baseline": baseline, "actual": draw(numbers(whole, 0, 600_000))}
    if kind is ItemType.MAX_VALUE:
        target = F(draw(st.integers(1, 6000)), draw(st.sampled_from([1, 10, 100])))
        comparator = Comparator.LT if strict else Comparator.LE
        item = ItemSpec("X1.1", kind, target=target, comparator=comparator)
        return item, {"value": draw(numbers(whole, 0, 100)) or 0.5}
    target = F(draw(st.integers(1, 40)), draw(st.sampled_from([1, 2, 3])))
    comparator = Comparator.GT if strict else Comparator.GE
    item = ItemSpec("X1.1", kind, target=target, comparator=comparator)
    return item, {"count": draw(st.integers(0, 20))}


@PROPERTY_SETTINGS
@given(drawn=target_items())
def test_every_target_gap_meets_the_item_and_is_minimal(
    drawn: tuple[ItemSpec, dict[str, Any]], factory: ModuleType
) -> None:
    item, answer = drawn
    framework = framework_of(factory, item)
    check_gap(framework, item, answer)
    check_gap(framework, item, None)


@PROPERTY_SETTINGS
@given(
    option_count=st.integers(min_value=1, max_value=7),
    min_required=st.one_of(st.none(), st.integers(min_value=1, max_value=7)),
    na_options=st.booleans(),
    max_level=st.integers(min_value=1, max_value=6),
    rng=st.randoms(use_true_random=False),
)
def test_every_checklist_and_graded_gap_meets_the_item_and_is_minimal(
    option_count: int,
    min_required: int | None,
    na_options: bool,
    max_level: int,
    rng: Any,
    factory: ModuleType,
) -> None:
    if min_required is not None:
        min_required = min(min_required, option_count)
    item = checklist(option_count, min_required=min_required, na_options=na_options)
    check_gap(framework_of(factory, item), item, factory.random_answer(item, rng))
    graded = ItemSpec("X1.1", ItemType.GRADED, max_level=max_level)
    check_gap(framework_of(factory, graded), graded, {"level": rng.randint(0, max_level)})
