"""Reads for the result pages: assessments with their stored scores, scoped by role."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from assessments import selectors as assessment_selectors
from assessments.models import Assessment


def home_rows(
    *, user: Any, round_id: int | None, status: str | None, search: str | None
) -> QuerySet[Assessment]:
    """The user's assessments with their scorecards, in a fixed number of queries."""
    return assessment_selectors.assessment_list(
        user=user, round_id=round_id, status=status, search=search
    ).select_related("scorecard")
