"""Shared by the results endpoint tests: the readers of the ``results`` fixture (plus an
assessor of nothing), and the error shape of a refusal."""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from tests.factories import UserFactory

#: Who reads which community's results: every official of the fixture, the
#: administrator and the assessor of all its assessments.
READERS = ("admin", "official", "official_jinan", "official_lixia")


def reader(results: Any, who: str) -> Any:
    """A user of the fixture by key; "stranger" is an assessor assigned to nothing and
    "anonymous" no user at all."""
    if who == "anonymous":
        return None
    if who == "stranger":
        return UserFactory(role=Role.ASSESSOR)
    return results.users[who]


def assert_error(answer: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The answer is an error of ``status`` in the one JSON error shape."""
    assert answer.status_code == status, (answer.status_code, answer.content[:500])
    assert answer["Content-Type"].startswith("application/json")
    body = answer.json()
    assert set(body) == {"code", "message", "details"}, body
    assert body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body


def fields_of(body: dict[str, Any]) -> set[str]:
    return {detail.get("field", "") for detail in body["details"]}
