"""Reads for the result pages: assessments with their stored scores, scoped by role."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from assessments import selectors as assessment_selectors
from assessments.choices import EDITABLE_STATUSES, AssessmentStatus, ItemReviewStatus
from assessments.models import Assessment, ItemReview


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
    return page_of(ordered, page, per_page)


QUEUE_TABS = ("due", "overdue", "returned", "approved", "all")


def review_queue(
    *,
    user: Any,
    round_id: int | None,
    tab: str,
    city_id: int | None = None,
    district_id: int | None = None,
    search: str | None = None,
) -> QuerySet[Assessment]:
    """The round's assessments for reviewers, by tab: "due" (submitted, oldest first),
    "overdue" (not submitted after the deadline), "returned", "approved" or all; with the
    number of items whose evidence was rejected."""
    qs = assessment_selectors.assessment_list(user=user, round_id=round_id, search=search)
    if city_id:
        qs = qs.filter(community__city_id=city_id)
    if district_id:
        qs = qs.filter(community__district_id=district_id)
    if tab == "due":
        qs = qs.filter(status=AssessmentStatus.SUBMITTED).order_by("submitted_at", "pk")
    elif tab == "overdue":
        qs = qs.filter(
            status__in=EDITABLE_STATUSES, round__submission_deadline__lt=timezone.localdate()
        )
    elif tab == "returned":
        qs = qs.filter(status=AssessmentStatus.RETURNED)
    elif tab == "approved":
        qs = qs.filter(status=AssessmentStatus.APPROVED)
    return qs


def with_rejections(assessments: list[Assessment]) -> dict[int, int]:
    """How many items of each assessment have rejected evidence (one query)."""
    return dict(
        ItemReview.objects.filter(assessment__in=assessments, status=ItemReviewStatus.REJECTED)
        .order_by()
        .values_list("assessment_id")
        .annotate(n=Count("pk"))
    )


def approvable_ids(queue: QuerySet[Assessment], limit: int = 2000) -> list[int]:
    """Submitted assessments of the queue with no rejected evidence (for bulk approval)."""
    rejected = ItemReview.objects.filter(
        assessment_id=OuterRef("pk"), status=ItemReviewStatus.REJECTED
    )
    return list(
        queue.filter(status=AssessmentStatus.SUBMITTED)
        .exclude(Exists(rejected))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def page_of(
    queryset: QuerySet[Assessment], page: str | None, per_page: int
) -> tuple[Page, list[Assessment]]:
    """One page of assessments with their community, region links and scorecard: chosen
    on ids alone, then read in full."""
    chosen = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(page)
    ids = list(chosen.object_list)
    rows = Assessment.objects.select_related(
        "round", "community__region", "community__city", "community__district", "scorecard"
    ).in_bulk(ids)
    return chosen, [rows[pk] for pk in ids]
