"""Domain errors: what services raise when a rule refuses an action.

Each error carries one or more problems, each a message a person can read (translated when
raised) and, where it concerns one input, the name of that input, so a form shows it at the
field and the API names it. ``code`` is stable for machines (the API's error code).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason for a refusal: its message, the input it concerns (a form field or an
    answer path) and, in an action on many objects, the object it concerns (``subject``:
    a community's registry code, say)."""

    message: str
    field: str | None = None
    subject: str | None = None


class DomainError(Exception):
    """Base class of every refusal by a service."""

    code: ClassVar[str] = "invalid"

    def __init__(self, *problems: str | Problem) -> None:
        self.problems = [p if isinstance(p, Problem) else Problem(str(p)) for p in problems]
        super().__init__("; ".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [problem.message for problem in self.problems]

    @classmethod
    def at(cls, field: str, message: str) -> DomainError:
        """An error about one input."""
        return cls(Problem(message, field))


class ValidationFailed(DomainError):
    """Input that breaks a rule (a bad value, a duplicate name, a wrong choice)."""

    code = "invalid"


class NotAllowedError(DomainError):
    """The user may not do this to this object."""

    code = "forbidden"


class ConflictError(DomainError):
    """The action clashes with the current state (a stale version, a wrong status)."""

    code = "conflict"
