"""Reads for the result pages: assessments with their stored scores, scoped by role."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator

from assessments import selectors as assessment_selectors
from assessments.models import Assessment


def home_page(
    *,
    user: Any,
    round_id: int | None,
    status: str | None,
    search: str | None,
    page: str | None,
    per_page: int,
) -> tuple[Page, list[Assessment]]:
    """One page of the user's assessments, with their scorecards, in a fixed number of
    queries. The page is chosen on the ids alone (the database sorts narrow rows), then
    only its rows are read in full: a deep page of 100,000 stays fast."""
    ordered = assessment_selectors.assessment_list(
        user=user, round_id=round_id, status=status, search=search
    )
    chosen = Paginator(ordered.values_list("pk", flat=True), per_page).get_page(page)
    ids = list(chosen.object_list)
    rows = Assessment.objects.select_related(
        "round", "community__region", "community__city", "community__district", "scorecard"
    ).in_bulk(ids)
    return chosen, [rows[pk] for pk in ids]
