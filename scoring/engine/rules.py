"""Item rules (scoring.md section 3): read one answer, check it, and score it.

A rule is compiled once per item with its constants precomputed (the target as integers,
and the results of items with few possible outcomes: booleans, checklists, graded items,
missing and not applicable, which are immutable and shared), then applied to many answers.
Quantities stay integer pairs ``(numerator, denominator)`` while compared, and a `Fraction`
is built only for the figures a result carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, ClassVar

from scoring.engine import fields
from scoring.engine.enums import Comparator, ItemType
from scoring.engine.errors import AnswerError, ErrorCode, SpecError, answer_error
from scoring.engine.results import MISSING, NOT_APPLICABLE, SCORED, ItemResult
from scoring.engine.specs import ItemSpec

ZERO = Fraction(0)
ONE = Fraction(1)
_NO_KEYS: frozenset[str] = frozenset()
_APPLICATIONS = "applications"


class Rule:
    """Reads and scores the answer of one item; subclasses implement `evaluate`."""

    __slots__ = (
        "code",
        "conditional",
        "missing_result",
        "na_result",
        "optional",
        "wden",
        "weight",
        "wnum",
    )

    #: Keys an answer object must have (besides the `optional` ones).
    required: ClassVar[frozenset[str]] = _NO_KEYS

    def __init__(self, item: ItemSpec, optional: frozenset[str] = _NO_KEYS) -> None:
        self.code = item.code
        self.weight = item.weight
        self.wnum = item.weight.numerator
        self.wden = item.weight.denominator
        self.conditional = item.conditional
        self.optional = optional
        self.na_result = ItemResult(self.code, NOT_APPLICABLE, None, None, None, self.weight)
        self.missing_result = ItemResult(self.code, MISSING, ZERO, None, False, self.weight)

    def scored(self, s: Fraction, achievement: Fraction | None, met: bool) -> ItemResult:
        return ItemResult(self.code, SCORED, s, achievement, met, self.weight)

    def assess(self, answer: object, errors: list[AnswerError]) -> ItemResult | None:
        """The scored result of a given answer, or None when the item is not applicable.

        Problems are appended to `errors`; when any was added the return value is meaningless
        (callers compare the length of `errors` before and after).
        """
        if type(answer) is dict and answer.keys() == self.required:
            return self.evaluate(answer, errors)  # the common case, checked quickly
        if isinstance(answer, Mapping) and len(answer) == 1 and answer.get("na") is True:
            if not self.conditional:
                errors.append(answer_error(self.code, ErrorCode.NA_NOT_ALLOWED, "not_applicable"))
            return None
        read = fields.answer_object(self.code, answer, self.required, self.optional, errors)
        if read is None:
            return None
        return self.evaluate(read, errors)

    def evaluate(self, answer: dict[str, Any], errors: list[AnswerError]) -> ItemResult | None:
        raise NotImplementedError


class _TargetRule(Rule):
    """A rule comparing an achievement with ``target = tnum / tden``."""

    __slots__ = ("strict", "tden", "tnum")

    def __init__(self, item: ItemSpec) -> None:
        super().__init__(item)
        if item.target is None:  # ruled out by ItemSpec.check(); keeps type checkers informed
            raise SpecError([f"{item.code}: {item.type} item needs a target"])
        self.tnum = item.target.numerator
        self.tden = item.target.denominator
        self.strict = item.effective_comparator in (Comparator.GT, Comparator.LT)


class RatioRule(_TargetRule):
    """``a = n / d``; ``s = min(1, a / target)``; met when ``a >= target`` (or ``>``)."""

    __slots__ = ("bounded",)
    required = frozenset({"numerator", "denominator"})

    def __init__(self, item: ItemSpec) -> None:
        super().__init__(item)
        self.bounded = item.bounded

    def evaluate(self, answer: dict[str, Any], errors: list[AnswerError]) -> ItemResult | None:
        code = self.code
        numerator = fields.number(code, "numerator", answer["numerator"], errors)
        denominator = fields.number(code, "denominator", answer["denominator"], errors)
        if denominator is not None and denominator[0] == 0:
            errors.append(answer_error(code, ErrorCode.DENOMINATOR_NOT_POSITIVE, "denominator"))
            return None
        if numerator is None or denominator is None:
            return None
        a_num = numerator[0] * denominator[1]
        a_den = numerator[1] * denominator[0]
        if self.bounded and a_num > a_den:
            errors.append(answer_error(code, ErrorCode.NUMERATOR_EXCEEDS_DENOMINATOR, "numerator"))
            return None
        # a / target = lhs / rhs
        lhs = a_num * self.tden
        rhs = a_den * self.tnum
        s = ONE if lhs >= rhs else Fraction(lhs, rhs)
        return self.scored(s, Fraction(a_num, a_den), lhs > rhs if self.strict else lhs >= rhs)


class SavingRule(_TargetRule):
    """``a = (baseline - actual) / baseline``; ``s = 0`` if ``a <= 0`` else ``min(1, a/target)``."""

    __slots__ = ()
    required = frozenset({"baseline", "actual"})

    def evaluate(self, answer: dict[str, Any], errors: list[AnswerError]) -> ItemResult | None:
        code = self.code
        baseline = fields.number(code, "baseline", answer["baseline"], errors)
        actual = fields.number(code, "actual", answer["actual"], errors)
        if baseline is not None and baseline[0] == 0:
            errors.append(answer_error(code, ErrorCode.BASELINE_NOT_POSITIVE, "baseline"))
            return None
        if baseline is None or actual is None:
            return None
        # a = 1 - actual / baseline = a_num / a_den, with a_den > 0
        a_den = actual[1] * baseline[0]
        a_num = a_den - actual[0] * baseline[1]
        lhs = a_num * self.tden
        rhs = a_den * self.tnum
        if a_num <= 0:
            s = ZERO
        elif lhs >= rhs:
            s = ONE
        else:
            s = Fraction(lhs, rhs)
        return self.scored(s, Fraction(a_num, a_den), lhs > rhs if self.strict else lhs >= rhs)


class MaxValueRule(_TargetRule):
    """``a = value``; ``s = 1`` if ``value <= target`` else ``target / value``."""

    __slots__ = ()
    required = frozenset({"value"})

    def evaluate(self, answer: dict[str, Any], errors: list[AnswerError]) -> ItemResult | None:
        code = self.code
        value = fields.number(code, "value", answer["value"], errors)
        if value is None:
            return None
        if value[0] == 0:
            errors.append(answer_error(code, ErrorCode.VALUE_NOT_POSITIVE, "value"))
            return None
        # value / target = lhs / rhs
        lhs = value[0] * self.tden
        rhs = value[1] * self.tnum
        s = ONE if lhs <= rhs else Fraction(rhs, lhs)
        met = lhs < rhs if self.strict else lhs <= rhs
        return self.scored(s, Fraction(value[0], value[1]), met)


class CountMinRule(_TargetRule):
    """``a = count`` (a whole number); ``s = min(1, count / target)``."""

    __slots__ = ()
    required = frozenset({"count"})

    def evaluate(self, answer: dict[str, Any], errors: list[AnswerError]) -> ItemResult | None:
        code = self.code
        count = fields.whole_number(code, "count", answer["count"], errors)
        if count is None:
            return None
        if count < 0:
            errors.append(answer_error(code, ErrorCode.NEGATIVE, "count", key="count"))
            return None
        lhs = count * self.tden
        rhs = self.tnum
        s = ONE if lhs >= rhs else Fraction(lhs, rhs)
        return self.scored(s, Fraction(count), lhs > rhs if self.strict else lhs >= rhs)


class BooleanRule(Rule):
    """``s = 1`` for true, ``0`` for false; no achievement."""

    __slots__ = ("no", "yes")
    required = frozenset({"value"})

    def __init__(self, item: ItemSpec) -> None:
        super().__init__(item)
        self.yes = self.scored(ONE, None, True)
        self.no = self.scored(ZERO, None, False)

    def evaluate(self, answer: dict[str, Any], errors: list[AnswerError]) -> ItemResult | None:
        value = answer["value"]
        if value is True:
            return self.yes
        if value is False:
            return self.no
        errors.append(answer_error(self.code, ErrorCode.NOT_A_BOOLEAN, "value"))
        return None


class ChecklistRule(Rule):
    """``s = min(1, checked / required)``; every option marked na makes the item na."""

    __slots__ = ("min_required", "na_options", "option_count", "options", "outcomes")
    required = frozenset({"checked"})

    def __init__(self, item: ItemSpec) -> None:
        super().__init__(item, optional=frozenset({"na"}))
        self.options = frozenset(item.options)
        self.option_count = len(item.options)
        self.min_required = item.min_required
        self.na_options = item.na_options
        # outcomes[required][checked]; s = min(1, checked / required)
        self.outcomes: list[list[ItemResult]] = [[]] + [
            [
                self.scored(
                    _fraction(checked, required),
                    Fraction(checked),
                    checked >= required,
                )
                for checked in range(self.option_count + 1)
            ]
            for required in range(1, self.option_count + 1)
        ]

    def evaluate(self, answer: dict[str, Any], errors: list[AnswerError]) -> ItemResult | None:
        code = self.code
        checked = fields.option_codes(code, "checked", answer["checked"], self.options, errors)
        na: list[str] | None = []
        if answer.get("na") is not None:
            na = fields.option_codes(code, "na", answer["na"], self.options, errors)
            if na and not self.na_options:
                errors.append(answer_error(code, ErrorCode.NA_OPTION_NOT_ALLOWED, "na"))
                return None
        if checked is None or na is None:
            return None
        if not na:
            return self.outcomes[self.min_required or self.option_count][len(checked)]
        both = set(checked).intersection(na)
        for option in sorted(both):
            error = answer_error(code, ErrorCode.OPTION_CHECKED_AND_NA, "na", option=option)
            errors.append(error)
        if both or len(na) == self.option_count:
            return None
        required = self.min_required or self.option_count - len(na)
        return self.outcomes[required][len(checked)]


def _fraction(numerator: int, denominator: int) -> Fraction:
    """``min(1, numerator / denominator)``, using the shared ZERO and ONE where it can."""
    if numerator >= denominator:
        return ONE
    return Fraction(numerator, denominator) if numerator else ZERO


class GradedRule(Rule):
    """``s = level / max_level``; met at ``max_level``. May record a list of applications."""

    __slots__ = ("max_level", "outcomes", "record_choices")
    required = frozenset({"level"})

    def __init__(self, item: ItemSpec) -> None:
        choices = dict(item.record_choices or {})
        super().__init__(item, optional=frozenset({"applications"}) if choices else _NO_KEYS)
        self.record_choices = choices
        if item.max_level is None:  # ruled out by ItemSpec.check()
            raise SpecError([f"{item.code}: graded item needs max_level >= 1"])
        self.max_level = item.max_level
        self.outcomes: list[ItemResult] = [
            self.scored(_fraction(level, self.max_level), Fraction(level), level == self.max_level)
            for level in range(self.max_level + 1)
        ]

    def evaluate(self, answer: dict[str, Any], errors: list[AnswerError]) -> ItemResult | None:
        code = self.code
        level = fields.whole_number(code, "level", answer["level"], errors)
        if "applications" in answer:
            self._check_applications(answer["applications"], errors)
        if level is None:
            return None
        if not 0 <= level <= self.max_level:
            errors.append(
                answer_error(code, ErrorCode.LEVEL_OUT_OF_RANGE, "level", max_level=self.max_level)
            )
            return None
        return self.outcomes[level]

    def _check_applications(self, applications: object, errors: list[AnswerError]) -> None:
        """Report problems of the recorded applications, each under field "applications" with
        the application's 1-based number (and the sub-key concerned) in params."""
        code = self.code
        if not isinstance(applications, list | tuple):
            errors.append(answer_error(code, ErrorCode.APPLICATIONS_NOT_A_LIST, _APPLICATIONS))
            return
        allowed = {"name", "description", *self.record_choices}
        add = errors.append
        error = _application_error
        for number, application in enumerate(applications, start=1):
            if not isinstance(application, Mapping):
                add(error(code, ErrorCode.APPLICATION_NOT_AN_OBJECT, number))
                continue
            for key in sorted(map(str, application.keys() - allowed)):
                add(error(code, ErrorCode.APPLICATION_UNEXPECTED_KEY, number, key=key))
            name = application.get("name")
            if not isinstance(name, str) or not name.strip():
                add(error(code, ErrorCode.APPLICATION_NAME_REQUIRED, number, key="name"))
            description = application.get("description")
            if description is not None and not isinstance(description, str):
                add(error(code, ErrorCode.APPLICATION_NOT_TEXT, number, key="description"))
            for key, choices in self.record_choices.items():
                if application.get(key) is None:
                    add(error(code, ErrorCode.APPLICATION_FIELD_REQUIRED, number, key=key))
                elif not isinstance(application[key], str) or application[key] not in choices:
                    listed = ", ".join(choices)
                    add(error(code, ErrorCode.INVALID_CHOICE, number, key=key, choices=listed))


def _application_error(item: str, code: ErrorCode, number: int, **params: object) -> AnswerError:
    """An error about the application numbered `number` (from 1) of a graded answer."""
    return answer_error(item, code, _APPLICATIONS, number=number, **params)


_RULES: dict[ItemType, type[Rule]] = {
    ItemType.RATIO: RatioRule,
    ItemType.SAVING: SavingRule,
    ItemType.MAX_VALUE: MaxValueRule,
    ItemType.COUNT_MIN: CountMinRule,
    ItemType.BOOLEAN: BooleanRule,
    ItemType.CHECKLIST: ChecklistRule,
    ItemType.GRADED: GradedRule,
}


def compile_rule(item: ItemSpec) -> Rule:
    """The rule of a valid item; raises `SpecError` when `item.check()` finds problems."""
    problems = item.check()
    if problems:
        raise SpecError(problems)
    return _RULES[item.type](item)
