"""Shared by the catalogue, evidence and workflow endpoint tests."""

from __future__ import annotations

from typing import Any

from assessments import services
from tests.factories import add_evidence_for_scored_items, full_answers


def complete(assessment: Any, assessor: Any, spec: Any) -> None:
    """Answer every item and add evidence where it scores, so it can be submitted."""
    services.answers_save(actor=assessor, assessment=assessment, values=full_answers(spec))
    add_evidence_for_scored_items(assessment, assessor, spec)


def submit(assessment: Any, assessor: Any, spec: Any) -> None:
    complete(assessment, assessor, spec)
    services.assessment_submit(actor=assessor, assessment=assessment)


def assert_error(answer: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The answer is the API's error shape with ``status`` (and ``code``)."""
    assert answer.status_code == status, answer.content[:2000]
    assert answer["Content-Type"] == "application/json"
    body = answer.json()
    assert set(body) >= {"code", "message", "details"} and body["message"]
    if code is not None:
        assert body["code"] == code
    return body
