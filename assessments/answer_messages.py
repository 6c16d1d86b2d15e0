"""The scoring engine's answer errors in the user's language.

The engine reports each problem with a stable code, the answer field and parameters, and
keeps one English template per code (``scoring.engine.MESSAGES``, marked for translation).
Forms, imports and the API all show ``describe_answer_error(error)``, so a problem reads the
same wherever it is met: "L1P8.1：分母必须大于0" in Chinese, "L1P8.1: denominator must be
greater than 0" in English.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from scoring.engine import MESSAGES, AnswerError, ErrorCode

# Answer keys as people call them; the label of the field is what a message names.
FIELD_LABELS: Mapping[str, object] = {
    "numerator": pgettext_lazy("answer field", "numerator"),
    "denominator": pgettext_lazy("answer field", "denominator"),
    "baseline": pgettext_lazy("answer field", "baseline"),
    "actual": pgettext_lazy("answer field", "actual"),
    "value": pgettext_lazy("answer field", "value"),
    "count": pgettext_lazy("answer field", "count"),
    "level": pgettext_lazy("answer field", "level"),
    "checked": pgettext_lazy("answer field", "checked options"),
    "na": pgettext_lazy("answer field", "options not applicable"),
    "applications": pgettext_lazy("answer field", "applications"),
    "name": pgettext_lazy("answer field", "name"),
    "description": pgettext_lazy("answer field", "description"),
    "technology": pgettext_lazy("answer field", "technology"),
    "domain": pgettext_lazy("answer field", "domain"),
}

_SEPARATOR = gettext_lazy("%(item)s: %(message)s")


def _params(error: AnswerError) -> dict[str, object]:
    params = dict(error.params)
    if "key" in params:
        params["key"] = FIELD_LABELS.get(str(params["key"]), params["key"])
    return params


def describe_answer_error(error: AnswerError) -> str:
    """The error's message in the active language, starting with its item code."""
    try:
        template = MESSAGES[ErrorCode(error.code)]
    except ValueError:
        return error.message
    try:
        text = gettext(template) % _params(error)
    except (KeyError, TypeError, ValueError):
        return error.message
    return str(_SEPARATOR) % {"item": error.item, "message": text}
