"""Domain errors raised by assessments.services, with messages a user can read."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from scoring.engine import AnswerError


class AssessmentError(Exception):
    """Base class: ``messages`` holds one readable line per problem."""

    def __init__(self, *messages: str) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


class NotAllowedError(AssessmentError):
    def __init__(self) -> None:
        super().__init__(_("You are not allowed to do this."))


class StaleVersionError(AssessmentError):
    def __init__(self, current: int) -> None:
        self.current = current
        super().__init__(
            _(
                "Someone else saved this assessment in the meantime (now version %(v)d). "
                "Reload it and apply your changes again."
            )
            % {"v": current}
        )


class WorkflowError(AssessmentError):
    """The assessment is not in a state that allows the action."""


class InvalidAnswersError(AssessmentError):
    def __init__(self, errors: Sequence[AnswerError]) -> None:
        self.errors = list(errors)
        super().__init__(*(error.message for error in self.errors))


class EvidenceError(AssessmentError):
    """An uploaded file or link that cannot be accepted."""
