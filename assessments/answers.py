"""Answers as stored and as the engine reads them, and changes to them. Pure Python.

A stored Answer row is ``(value, not_applicable)``; the engine reads ``value`` or, for a
whole item marked not applicable, ``{"na": true}`` (scoring.md section 4). This module is the
one place that maps between the two, and the one place that applies a set of changes to
stored answers, so saving, the live preview and imports agree on what a change means.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from typing import Any, Final


class _Clear(Enum):
    CLEAR = "clear"


#: A change that removes the item's answer (the item becomes unanswered).
CLEAR: Final = _Clear.CLEAR

#: The engine's answer for a whole item marked not applicable.
NOT_APPLICABLE: Final[Mapping[str, bool]] = {"na": True}
#: The same as JSON text, for queries that build engine answers in SQL.
NOT_APPLICABLE_JSON: Final = json.dumps(dict(NOT_APPLICABLE))


def is_not_applicable(answer: object) -> bool:
    return isinstance(answer, Mapping) and len(answer) == 1 and answer.get("na") is True


def engine_answer(value: Any, not_applicable: bool) -> Any:
    """A stored row's answer as the engine reads it."""
    return dict(NOT_APPLICABLE) if not_applicable else value


def stored_answer(answer: Any) -> tuple[Any, bool]:
    """An engine answer as the stored ``(value, not_applicable)`` pair."""
    return (None, True) if is_not_applicable(answer) else (answer, False)


def merge_answers(stored: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The answers after applying ``changes`` to ``stored`` (both keyed by item code).

    In ``changes``, an item's new answer sets it, ``CLEAR`` removes it, and an item that is
    not mentioned keeps its stored answer.
    """
    merged = dict(stored)
    for code, change in changes.items():
        if change is CLEAR:
            merged.pop(code, None)
        else:
            merged[code] = change
    return merged
