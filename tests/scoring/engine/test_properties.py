"""Properties of the engine over random valid answer sets (hypothesis)."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from types import ModuleType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import (
    FrameworkSpec,
    ItemSpec,
    ItemType,
    ScoreResult,
    result_to_json,
    round_half_up,
    round_score,
    score,
)

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)


def draw_assessment(
    data: st.DataObject, factory: ModuleType, framework: FrameworkSpec
) -> tuple[dict[str, Any], set[str]]:
    """Random valid answers (some unanswered) and a random set of rejected items."""
    rng = data.draw(st.randoms(use_true_random=False), label="rng")
    missing = data.draw(st.sampled_from([0.0, 0.1, 0.5]), label="missing")
    answers: dict[str, Any] = factory.random_answers(framework, rng, missing=missing)
    rejected = {code for code in answers if rng.random() < 0.1}
    return answers, rejected


@PROPERTY_SETTINGS
@given(data=st.data())
def test_scores_stay_within_weights_and_sum_exactly(
    data: st.DataObject, factory: ModuleType, db37: FrameworkSpec
) -> None:
    answers, rejected = draw_assessment(data, factory, db37)
    result = score(db37, answers, rejected=rejected)
    for indicator in result.indicators:
        assert 0 <= indicator.score <= indicator.weight
    for primary in result.primaries:
        assert 0 <= primary.score <= primary.weight
    indicator_sum = sum((indicator.score for indicator in result.indicators), Fraction(0))
    assert result.total == indicator_sum
    assert result.total == sum((primary.score for primary in result.primaries), Fraction(0))
    assert result.total_rounded == round_score(indicator_sum)
    assert result.complete == all(code in answers for code in db37.items)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_indicator_score_is_the_weighted_mean_of_applicable_items(
    data: st.DataObject, factory: ModuleType, db37: FrameworkSpec
) -> None:
    answers, rejected = draw_assessment(data, factory, db37)
    for indicator in score(db37, answers, rejected=rejected).indicators:
        applicable = [item for item in indicator.items if item.status != "na"]
        weighted = sum((item.weight * item.s for item in applicable if item.s), Fraction(0))
        weights = sum((item.weight for item in applicable), Fraction(0))
        assert indicator.score == indicator.weight * weighted / weights
        assert indicator.met == all(item.met for item in applicable)


def improve(item: ItemSpec, answer: Any, rng: random.Random, step: int, factory: ModuleType) -> Any:
    """A better answer for `item` by the rules of section 3, or None if none is better."""
    if answer is None:
        return factory.random_answer(item, rng)  # any answer beats none
    if answer == {"na": True}:
        return None
    kind = item.type
    if kind is ItemType.RATIO:
        numerator = answer["numerator"] + step
        if item.bounded:
            numerator = min(numerator, answer["denominator"])
        return {**answer, "numerator": numerator}
    if kind is ItemType.SAVING:
        return {**answer, "actual": max(0, answer["actual"] - step)}
    if kind is ItemType.MAX_VALUE:
        value = answer["value"]
        return {"value": value - step if value - step > 0 else value / 2}
    if kind is ItemType.COUNT_MIN:
        return {"count": answer["count"] + step}
    if kind is ItemType.BOOLEAN:
        return {"value": True} if answer["value"] is False else None
    if kind is ItemType.CHECKLIST:
        free = [
            option
            for option in item.options
            if option not in answer["checked"] and option not in answer.get("na", ())
        ]
        return {**answer, "checked": [*answer["checked"], rng.choice(free)]} if free else None
    assert item.max_level is not None
    level = answer["level"]
    return (
        {**answer, "level": min(item.max_level, level + step)} if level < item.max_level else None
    )


def assert_not_lower(better: ScoreResult, base: ScoreResult) -> None:
    assert better.total >= base.total
    for new, old in zip(better.primaries, base.primaries, strict=True):
        assert new.score >= old.score, new.code
    for new_indicator, old_indicator in zip(better.indicators, base.indicators, strict=True):
        assert new_indicator.score >= old_indicator.score, new_indicator.code
        assert new_indicator.met or not old_indicator.met, new_indicator.code


@PROPERTY_SETTINGS
@given(data=st.data())
def test_improving_one_answer_never_lowers_any_score(
    data: st.DataObject, factory: ModuleType, db37: FrameworkSpec
) -> None:
    answers, rejected = draw_assessment(data, factory, db37)
    code = data.draw(st.sampled_from(sorted(db37.items)), label="item")
    step = data.draw(st.integers(min_value=1, max_value=1000), label="step")
    rng = data.draw(st.randoms(use_true_random=False), label="improvement rng")
    better = improve(db37.items[code], answers.get(code), rng, step, factory)
    if better is None:
        return
    improved = {**answers, code: better}
    assert_not_lower(
        score(db37, improved, rejected=rejected), score(db37, answers, rejected=rejected)
    )


@PROPERTY_SETTINGS
@given(
    option_count=st.integers(min_value=2, max_value=7),
    min_required=st.one_of(st.none(), st.integers(min_value=1, max_value=7)),
    rng=st.randoms(use_true_random=False),
)
def test_marking_an_unchecked_option_na_never_lowers_s(
    factory: ModuleType, option_count: int, min_required: int | None, rng: random.Random
) -> None:
    options = tuple("abcdefg"[:option_count])
    if min_required is not None:
        min_required = min(min_required, option_count)
    item = ItemSpec(
        "X1.1", ItemType.CHECKLIST, options=options, min_required=min_required, na_options=True
    )
    framework = factory.tiny_framework(item)
    shuffled = list(options)
    rng.shuffle(shuffled)
    free, rest = shuffled[0], shuffled[1:]
    na = rest[: rng.randint(0, len(rest) - 1)]  # leaves at least one option applicable
    checked = [option for option in rest[len(na) :] if rng.random() < 0.5]
    before = score(framework, {"X1.1": {"checked": checked, "na": na}}).indicators[0].items[0]
    after = score(framework, {"X1.1": {"checked": checked, "na": [*na, free]}}).indicators[0]
    assert after.items[0].status == "scored"
    assert before.s is not None and after.items[0].s is not None
    assert after.items[0].s >= before.s


@PROPERTY_SETTINGS
@given(data=st.data())
def test_scores_do_not_depend_on_answer_order(
    data: st.DataObject, factory: ModuleType, db37: FrameworkSpec
) -> None:
    answers, rejected = draw_assessment(data, factory, db37)
    rng = data.draw(st.randoms(use_true_random=False), label="shuffle rng")
    codes = list(answers)
    rng.shuffle(codes)
    shuffled = {}
    for code in codes:
        answer = answers[code]
        if "checked" in answer:
            answer = {**answer, "checked": rng.sample(answer["checked"], len(answer["checked"]))}
        shuffled[code] = answer
    base = score(db37, answers, rejected=rejected)
    other = score(db37, shuffled, rejected=sorted(rejected, reverse=True))
    assert other == base
    assert result_to_json(other) == result_to_json(base)


@PROPERTY_SETTINGS
@given(
    numerator=st.integers(min_value=-(10**12), max_value=10**12),
    exponent=st.integers(min_value=0, max_value=8),
    places=st.integers(min_value=0, max_value=6),
)
def test_rounding_matches_decimal_round_half_up(numerator: int, exponent: int, places: int) -> None:
    value = Fraction(numerator, 10**exponent)
    with localcontext() as context:
        context.prec = 50
        expected = (Decimal(numerator).scaleb(-exponent)).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
        )
    assert round_half_up(value, places) == expected
