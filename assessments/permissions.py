"""Who may do what: the one place views, the API, tasks and templates ask.

Roles (accounts.models.Role):
- administrator (or superuser): everything;
- assessor: sees and edits only the assessments assigned to them;
- official: read-only; limited to their region's subtree when a region is set.

The ``*_visible_to`` functions scope querysets; a view that fetches one object through them
answers 404 for objects outside the user's scope, so their existence does not leak.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import Role
from assessments.models import Assessment, Community, Round


def is_admin(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role == Role.ADMINISTRATOR)
    )


def is_assessor(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.ASSESSOR)


def is_official(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.OFFICIAL)


def _official_region_filter(user: Any, prefix: str) -> dict[str, str]:
    return {f"{prefix}region__path__startswith": user.region.path} if user.region_id else {}


def assessments_visible_to(
    user: Any, queryset: QuerySet[Assessment] | None = None
) -> QuerySet[Assessment]:
    qs = Assessment.objects.all() if queryset is None else queryset
    if is_admin(user):
        return qs
    if is_official(user):
        return qs.filter(**_official_region_filter(user, "community__"))
    if is_assessor(user):
        return qs.filter(assessors=user)
    return qs.none()


def communities_visible_to(
    user: Any, queryset: QuerySet[Community] | None = None
) -> QuerySet[Community]:
    """Administrators: every community; officials: those of their region's subtree;
    assessors: those of the assessments assigned to them."""
    qs = Community.objects.all() if queryset is None else queryset
    if is_admin(user):
        return qs
    if is_official(user):
        return qs.filter(**_official_region_filter(user, ""))
    if is_assessor(user):
        return qs.filter(pk__in=Assessment.objects.filter(assessors=user).values("community_id"))
    return qs.none()


def rounds_visible_to(user: Any) -> QuerySet[Round]:
    """Rounds in which the user can see at least one assessment (every round for
    administrators)."""
    if is_admin(user):
        return Round.objects.all()
    return Round.objects.filter(pk__in=assessments_visible_to(user).values("round_id"))


def assessments_editable_by(user: Any, queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The assessments of ``queryset`` whose answers and evidence ``user`` may change (the
    workflow state is checked by the services)."""
    if is_admin(user):
        return queryset
    if is_assessor(user):
        return queryset.filter(assessors=user)
    return queryset.none()


def can_view_assessment(user: Any, assessment: Assessment) -> bool:
    if is_admin(user):
        return True
    if is_official(user):
        return not user.region_id or assessment.community.region.path.startswith(user.region.path)
    if is_assessor(user):
        return assessment.assessors.filter(pk=user.pk).exists()
    return False


def can_edit_assessment(user: Any, assessment: Assessment) -> bool:
    """May change answers and evidence (the workflow state is checked by the services)."""
    if is_admin(user):
        return True
    return is_assessor(user) and assessment.assessors.filter(pk=user.pk).exists()


def can_review_assessment(user: Any, assessment: Assessment) -> bool:
    """Return, approve, reopen and judge evidence: administrators only."""
    return is_admin(user)


def can_manage(user: Any) -> bool:
    """Manage communities, rounds, users and rescoring."""
    return is_admin(user)
