"""Domain errors raised by assessments.services, with messages a user can read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from assessments.answer_messages import describe_answer_error
from common.errors import ConflictError, DomainError, NotAllowedError, Problem, ValidationFailed
from scoring.engine import AnswerError

__all__ = [
    "DomainError",
    "EvidenceError",
    "InvalidAnswersError",
    "NotAllowedError",
    "StaleVersionError",
    "ValidationFailed",
    "WorkflowError",
    "forbidden",
]


def forbidden() -> NotAllowedError:
    return NotAllowedError(_("You are not allowed to do this."))


class StaleVersionError(ConflictError):
    """Someone saved the assessment after the page that sent this change was loaded."""

    code = "stale_version"

    def __init__(self, current: int, changes: Sequence[Any] = ()) -> None:
        self.current = current
        #: The history entries (AssessmentEvent) of the saves the page did not know of.
        self.changes = list(changes)
        super().__init__(
            _(
                "Someone else saved this assessment in the meantime (now version %(v)d). "
                "Reload it and apply your changes again."
            )
            % {"v": current}
        )


class WorkflowError(ConflictError):
    """The assessment or round is not in a state that allows the action."""

    code = "invalid_state"


class InvalidAnswersError(ValidationFailed):
    """Answers that break the scoring rules; ``errors`` keeps the engine's errors (item,
    field, code, params) and each problem is the message in the user's language, attached
    to the answer path ``<item>.<field>``."""

    code = "invalid_answers"

    def __init__(self, errors: Sequence[AnswerError]) -> None:
        self.errors = list(errors)
        super().__init__(*(Problem(describe_answer_error(e), answer_path(e)) for e in self.errors))


def answer_path(error: AnswerError) -> str:
    """Where an engine error belongs: the answer path ``<item>.<field>``, or the item (or
    indicator) code when it concerns the whole answer."""
    return f"{error.item}.{error.field}" if error.field else error.item


class EvidenceError(ValidationFailed):
    """An uploaded file or link that cannot be accepted."""

    code = "invalid_evidence"
