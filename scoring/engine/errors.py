"""Errors raised by the engine: bad specs (a data-file problem) and bad answers (user input)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SpecError(ValueError):
    """A framework or item spec is inconsistent; `errors` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors) or "invalid spec")


class ErrorCode(StrEnum):
    """Stable machine codes of `AnswerError.code` (scoring.md 3.3)."""

    UNKNOWN_ITEM = "unknown_item"
    WRONG_SHAPE = "wrong_shape"
    NOT_A_NUMBER = "not_a_number"
    NOT_FINITE = "not_finite"
    NEGATIVE = "negative"
    NOT_AN_INTEGER = "not_an_integer"
    NOT_A_BOOLEAN = "not_a_boolean"
    DENOMINATOR_NOT_POSITIVE = "denominator_not_positive"
    NUMERATOR_EXCEEDS_DENOMINATOR = "numerator_exceeds_denominator"
    BASELINE_NOT_POSITIVE = "baseline_not_positive"
    VALUE_NOT_POSITIVE = "value_not_positive"
    LEVEL_OUT_OF_RANGE = "level_out_of_range"
    UNKNOWN_OPTION = "unknown_option"
    DUPLICATE_OPTION = "duplicate_option"
    OPTION_CHECKED_AND_NA = "option_checked_and_na"
    NA_OPTION_NOT_ALLOWED = "na_option_not_allowed"
    NA_NOT_ALLOWED = "na_not_allowed"
    NO_APPLICABLE_ITEM = "no_applicable_item"
    APPLICATION_NAME_REQUIRED = "application_name_required"
    APPLICATION_FIELD_REQUIRED = "application_field_required"
    INVALID_CHOICE = "invalid_choice"


@dataclass(frozen=True, slots=True)
class AnswerError:
    """One problem with one answer.

    `item` is the item code, except for `no_applicable_item`, where it is the indicator code
    (the rule concerns the whole indicator). `message` is English and starts with that code.
    """

    item: str
    code: str
    message: str


class InvalidAnswers(ValueError):
    """Raised by `score` when answers do not validate; `errors` is sorted by item code."""

    def __init__(self, errors: list[AnswerError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(error.message for error in self.errors) or "invalid answers")


def answer_error(item: str, code: ErrorCode, message: str) -> AnswerError:
    """Build an error whose message names the item: ``"<item>: <message>"``."""
    return AnswerError(item=item, code=code.value, message=f"{item}: {message}")
