"""Reads of assessments data, scoped to what the requesting user may see.

Each selector decides its joins, so list pages run a fixed number of queries; lists read
the counts the services store on each assessment instead of counting answers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from assessments import permissions
from assessments.models import Assessment, Round


def assessment_list(
    *,
    user: Any,
    round_id: int | None = None,
    status: str | None = None,
    search: str | None = None,
) -> QuerySet[Assessment]:
    """The assessments ``user`` may see, filtered, in region order (the caller decides
    what to load with them)."""
    qs = permissions.assessments_visible_to(user)
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(community__name__icontains=search)
            | Q(community__code=search)
            | Q(community__region__name_zh__icontains=search)
            | Q(community__address__icontains=search)
        )
    return qs.order_by("community__region__path", "community__name", "pk")


def round_list(*, user: Any) -> QuerySet[Round]:
    """Rounds in which the user can see at least one assessment (all rounds for admins)."""
    if permissions.is_admin(user):
        return Round.objects.select_related("framework").order_by("-period_start")
    visible = permissions.assessments_visible_to(user).values("round_id")
    return (
        Round.objects.filter(pk__in=visible).select_related("framework").order_by("-period_start")
    )


def assessment_status_counts(*, user: Any, round_id: int | None = None) -> dict[str, int]:
    qs = permissions.assessments_visible_to(user)
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    return dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
