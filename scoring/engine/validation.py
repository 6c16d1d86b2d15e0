"""Checking answers (scoring.md 3.3 and 4) in the same pass that applies the item rules.

An answer that is absent or None means "unanswered": it is not an error (an assessment may
be saved incomplete), it scores 0 and makes the result incomplete.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from operator import attrgetter
from typing import Literal, TypeAlias

from scoring.engine.errors import AnswerError, ErrorCode, answer_error
from scoring.engine.plan import FrameworkPlan, framework_plan
from scoring.engine.results import ItemResult
from scoring.engine.rules import compile_rule
from scoring.engine.specs import FrameworkSpec, ItemSpec


class Unanswered(Enum):
    MISSING = "missing"


MISSING = Unanswered.MISSING

#: Per item: its scored result, None when not applicable (or invalid), or MISSING.
Assessed: TypeAlias = ItemResult | Literal[Unanswered.MISSING] | None

_by_item = attrgetter("item")


def assess_answers(
    plan: FrameworkPlan, answers: Mapping[str, object]
) -> tuple[list[AnswerError], list[list[Assessed]]]:
    """Every problem (sorted by item code), and per indicator its assessed items, in plan
    order."""
    if not isinstance(answers, Mapping):
        raise TypeError(f"answers must map item codes to answers, not {type(answers).__name__}")
    errors: list[AnswerError] = []
    rules = plan.rules
    for key in answers.keys() - rules.keys():
        errors.append(answer_error(str(key), ErrorCode.UNKNOWN_ITEM))
    assessed: list[list[Assessed]] = []
    for indicator in plan.indicators:
        items: list[Assessed] = []
        append = items.append
        applicable = False
        for rule in indicator.rules:
            answer = answers.get(rule.code)
            if answer is None:
                append(MISSING)
                applicable = True
                continue
            before = len(errors)
            if type(answer) is dict and answer.keys() == rule.required:
                result = rule.evaluate(answer, errors)  # skips a call on the usual path
            else:
                result = rule.assess(answer, errors)
            append(result)
            if result is not None or len(errors) != before:
                applicable = True
        assessed.append(items)
        if not applicable:
            errors.append(answer_error(indicator.code, ErrorCode.NO_APPLICABLE_ITEM))
    if errors:
        errors.sort(key=_by_item)
    return errors, assessed


def validate_answers(framework: FrameworkSpec, answers: Mapping[str, object]) -> list[AnswerError]:
    """Every problem with a set of answers, one error each, sorted by item code.

    Covers each answer (3.3), unknown item codes, and the rule that an indicator keeps at
    least one applicable item (reported under the indicator code). Raises `SpecError` when
    the framework itself is inconsistent.
    """
    return assess_answers(framework_plan(framework), answers)[0]


def validate_answer(item: ItemSpec, answer: object) -> list[AnswerError]:
    """The problems of one item's answer (None, meaning unanswered, has none)."""
    if answer is None:
        return []
    errors: list[AnswerError] = []
    compile_rule(item).assess(answer, errors)
    return errors
