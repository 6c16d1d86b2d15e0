"""Errors raised by the engine: bad specs (a data-file problem) and bad answers (user input)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class SpecError(ValueError):
    """A framework or item spec is inconsistent; `errors` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors) or "invalid spec")


class ErrorCode(StrEnum):
    """Stable machine codes of `AnswerError.code` (scoring.md 3.3).

    Each code has exactly one message template in `MESSAGES`. The comment of each code says
    when it is raised, the `field` the error carries and the `params` it interpolates.
    "key" is the answer key concerned (e.g. "denominator"); for application problems
    "number" is the application's 1-based position and "key" its sub-key.
    """

    #: An answer for an item code the framework does not have; field None; no params.
    UNKNOWN_ITEM = "unknown_item"
    #: The whole answer is not an object; field None; params keys (its required keys, "a, b").
    WRONG_SHAPE = "wrong_shape"
    #: A required key of the answer object is absent; field and params key: that key.
    MISSING_KEY = "missing_key"
    #: The answer object has a key its item type does not use; field and params key: that key.
    UNEXPECTED_KEY = "unexpected_key"
    #: A number field holds a string, boolean, null or other non-number; field and params key.
    NOT_A_NUMBER = "not_a_number"
    #: A number field is NaN or infinite; field and params key.
    NOT_FINITE = "not_finite"
    #: A number field (or count) is below 0; field and params key.
    NEGATIVE = "negative"
    #: count or level has a fraction part; field and params key.
    NOT_AN_INTEGER = "not_an_integer"
    #: A boolean item's value is not true or false; field "value"; no params.
    NOT_A_BOOLEAN = "not_a_boolean"
    #: A ratio's denominator is 0; field "denominator"; no params.
    DENOMINATOR_NOT_POSITIVE = "denominator_not_positive"
    #: A bounded ratio's numerator is above its denominator; field "numerator"; no params.
    NUMERATOR_EXCEEDS_DENOMINATOR = "numerator_exceeds_denominator"
    #: A saving's baseline is 0; field "baseline"; no params.
    BASELINE_NOT_POSITIVE = "baseline_not_positive"
    #: A max_value item's value is 0; field "value"; no params.
    VALUE_NOT_POSITIVE = "value_not_positive"
    #: A graded item's level is outside 0..max_level; field "level"; params max_level.
    LEVEL_OUT_OF_RANGE = "level_out_of_range"
    #: checked or na of a checklist is not a list; field and params key ("checked" or "na").
    NOT_A_LIST = "not_a_list"
    #: checked or na holds a non-string entry; field and params key; params value (its repr).
    NOT_AN_OPTION_CODE = "not_an_option_code"
    #: checked or na holds a code the item does not have; field and params key; params option.
    UNKNOWN_OPTION = "unknown_option"
    #: checked or na lists one option twice; field and params key; params option.
    DUPLICATE_OPTION = "duplicate_option"
    #: An option is in both checked and na; field "na"; params option.
    OPTION_CHECKED_AND_NA = "option_checked_and_na"
    #: na lists options on an item without na_options; field "na"; no params.
    NA_OPTION_NOT_ALLOWED = "na_option_not_allowed"
    #: {"na": true} on an item that is not conditional; field "not_applicable"; no params.
    NA_NOT_ALLOWED = "na_not_allowed"
    #: Every item of an indicator is n/a; `item` is the indicator code; field None; no params.
    NO_APPLICABLE_ITEM = "no_applicable_item"
    #: applications of a graded item is not a list; field "applications"; no params.
    APPLICATIONS_NOT_A_LIST = "applications_not_a_list"
    #: An application is not an object; field "applications"; params number.
    APPLICATION_NOT_AN_OBJECT = "application_not_an_object"
    #: An application has a key it does not use; field "applications"; params number, key.
    APPLICATION_UNEXPECTED_KEY = "application_unexpected_key"
    #: An application's name is absent or blank; field "applications"; params number, key "name".
    APPLICATION_NAME_REQUIRED = "application_name_required"
    #: An application's description is not text; field "applications"; params number, key.
    APPLICATION_NOT_TEXT = "application_not_text"
    #: An application lacks a choice field (e.g. technology); field "applications"; number, key.
    APPLICATION_FIELD_REQUIRED = "application_field_required"
    #: A choice field holds no allowed choice; field "applications"; number, key, choices ("a, b").
    INVALID_CHOICE = "invalid_choice"


def gettext_noop(message: str) -> str:
    """Return `message` unchanged. The name marks the templates below for Django's
    ``makemessages``, so the web layer can translate them while the engine imports nothing
    from Django."""
    return message


#: English message templates per code, with ``%(name)s`` placeholders filled from
#: `AnswerError.params`. `AnswerError.message` is ``"<item>: " + template % params``; a
#: translated message is ``gettext(MESSAGES[code]) % params``.
MESSAGES: Mapping[ErrorCode, str] = MappingProxyType(
    {
        ErrorCode.UNKNOWN_ITEM: gettext_noop("unknown item code"),
        ErrorCode.WRONG_SHAPE: gettext_noop("answer must be an object with %(keys)s"),
        ErrorCode.MISSING_KEY: gettext_noop("%(key)s is missing"),
        ErrorCode.UNEXPECTED_KEY: gettext_noop("unexpected key '%(key)s'"),
        ErrorCode.NOT_A_NUMBER: gettext_noop("%(key)s must be a number"),
        ErrorCode.NOT_FINITE: gettext_noop("%(key)s must be a finite number"),
        ErrorCode.NEGATIVE: gettext_noop("%(key)s must not be negative"),
        ErrorCode.NOT_AN_INTEGER: gettext_noop("%(key)s must be a whole number"),
        ErrorCode.NOT_A_BOOLEAN: gettext_noop("value must be true or false"),
        ErrorCode.DENOMINATOR_NOT_POSITIVE: gettext_noop("denominator must be greater than 0"),
        ErrorCode.NUMERATOR_EXCEEDS_DENOMINATOR: gettext_noop(
            "numerator must not exceed denominator"
        ),
        ErrorCode.BASELINE_NOT_POSITIVE: gettext_noop("baseline must be greater than 0"),
        ErrorCode.VALUE_NOT_POSITIVE: gettext_noop("value must be greater than 0"),
        ErrorCode.LEVEL_OUT_OF_RANGE: gettext_noop("level must be from 0 to %(max_level)s"),
        ErrorCode.NOT_A_LIST: gettext_noop("%(key)s must be a list of codes"),
        ErrorCode.NOT_AN_OPTION_CODE: gettext_noop(
            "%(key)s must contain option codes, got %(value)s"
        ),
        ErrorCode.UNKNOWN_OPTION: gettext_noop("unknown option '%(option)s' in %(key)s"),
        ErrorCode.DUPLICATE_OPTION: gettext_noop("option '%(option)s' is listed twice in %(key)s"),
        ErrorCode.OPTION_CHECKED_AND_NA: gettext_noop(
            "option '%(option)s' is both checked and not applicable"
        ),
        ErrorCode.NA_OPTION_NOT_ALLOWED: gettext_noop(
            "options of this item cannot be marked not applicable"
        ),
        ErrorCode.NA_NOT_ALLOWED: gettext_noop("this item cannot be marked not applicable"),
        ErrorCode.NO_APPLICABLE_ITEM: gettext_noop("at least one item must stay applicable"),
        ErrorCode.APPLICATIONS_NOT_A_LIST: gettext_noop("applications must be a list"),
        ErrorCode.APPLICATION_NOT_AN_OBJECT: gettext_noop(
            "application %(number)s must be an object"
        ),
        ErrorCode.APPLICATION_UNEXPECTED_KEY: gettext_noop(
            "application %(number)s: unexpected key '%(key)s'"
        ),
        ErrorCode.APPLICATION_NAME_REQUIRED: gettext_noop(
            "application %(number)s: name is required"
        ),
        ErrorCode.APPLICATION_NOT_TEXT: gettext_noop(
            "application %(number)s: %(key)s must be text"
        ),
        ErrorCode.APPLICATION_FIELD_REQUIRED: gettext_noop(
            "application %(number)s: %(key)s is required"
        ),
        ErrorCode.INVALID_CHOICE: gettext_noop(
            "application %(number)s: %(key)s must be one of %(choices)s"
        ),
    }
)


@dataclass(frozen=True, slots=True)
class AnswerError:
    """One problem with one answer.

    `item` is the item code, except for `no_applicable_item`, where it is the indicator code
    (the rule concerns the whole indicator). `code` is an `ErrorCode` value. `message` is
    English and starts with ``"<item>: "``. `field` is the answer key the problem is about
    (the last part of the answer path ``<item>.<field>``: "denominator", "checked", "na",
    "applications", "not_applicable" for the whole-item n/a mark...), or None when the
    problem concerns the whole answer. `params` fills the placeholders of the code's
    template in `MESSAGES`.

    `params` is a plain dict (JSON-ready and picklable) to be treated as read-only; it takes
    part in equality but not in the hash, so errors stay usable in sets and as dict keys.
    """

    item: str
    code: str
    message: str
    field: str | None = None
    params: Mapping[str, object] = dataclasses.field(default_factory=dict, hash=False)


class InvalidAnswers(ValueError):
    """Raised by `score` when answers do not validate; `errors` is sorted by item code."""

    def __init__(self, errors: list[AnswerError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(error.message for error in self.errors) or "invalid answers")


def answer_error(
    item: str, code: ErrorCode, field: str | None = None, /, **params: object
) -> AnswerError:
    """The error `code` about `field` of `item`'s answer, its message built from the
    code's template and `params`: ``"<item>: <template % params>"``."""
    return AnswerError(item, code.value, f"{item}: {MESSAGES[code] % params}", field, params)
