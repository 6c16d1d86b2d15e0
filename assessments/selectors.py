"""Reads of assessments data, scoped to what the requesting user may see.

Each selector decides its joins, so list pages run a fixed number of queries; lists read
the counts the services store on each assessment instead of counting answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from assessments import permissions
from assessments.choices import RegionLevel, RoundStatus
from assessments.models import (
    Assessment,
    AssessmentEvent,
    Evidence,
    ItemReview,
    Region,
    Round,
)
from assessments.services import returned_indicators
from common.search import contains


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
            contains("community__name", search)
            | Q(community__code=search)
            | contains("community__region__name_zh", search)
            | contains("community__address", search)
        )
    return qs.order_by("community__region__path", "community__name", "pk")


def round_list(*, user: Any) -> QuerySet[Round]:
    """Rounds in which the user can see at least one assessment (all rounds for admins)."""
    return permissions.rounds_visible_to(user).select_related("framework").order_by("-period_start")


def round_choice(*, user: Any, round_id: int | None) -> tuple[list[Round], Round | None]:
    """The rounds ``user`` may see, newest first, and the one of them with id
    ``round_id`` (the newest when it is None or not among them): what a page with a round
    picker shows."""
    rounds = list(round_list(user=user))
    return rounds, next((r for r in rounds if r.pk == round_id), rounds[0] if rounds else None)


def assessment_status_counts(*, user: Any, round_id: int | None = None) -> dict[str, int]:
    qs = permissions.assessments_visible_to(user)
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    return dict(qs.order_by().values_list("status").annotate(n=Count("pk")))


@dataclass(frozen=True)
class Access:
    """What a user may do with one assessment now (its state and the round included)."""

    edit: bool  # change answers, notes and evidence
    submit: bool
    review: bool  # judge evidence, return, approve, reopen
    open_indicators: frozenset[str] | None  # after a return: the indicators to correct

    def may_edit_indicator(self, code: str) -> bool:
        return self.edit and (self.open_indicators is None or code in self.open_indicators)


def assessment_for_user(*, user: Any, pk: int) -> tuple[Assessment, Access]:
    """The assessment and what ``user`` may do with it; Http404 when it is outside the
    user's scope (so its existence does not leak). Pages, downloads and Excel use this."""
    assessment = (
        permissions.assessments_visible_to(user)
        .select_related("round__framework", "community__region", "community__city",
                        "community__district")
        .filter(pk=pk)
        .first()
    )  # fmt: skip
    if assessment is None:
        raise Http404
    open_round = assessment.round.status == RoundStatus.OPEN
    editable = (
        open_round and assessment.is_editable and permissions.can_edit_assessment(user, assessment)
    )
    opened = returned_indicators(assessment) if editable else None
    return assessment, Access(
        edit=editable,
        submit=editable,
        review=permissions.can_review_assessment(user, assessment),
        open_indicators=frozenset(opened) if opened is not None else None,
    )


def evidence_for_user(*, user: Any, evidence_id: int) -> tuple[Evidence, Access]:
    """A piece of evidence (a file or a link) and what ``user`` may do with its assessment;
    Http404 when the assessment is outside the user's scope."""
    evidence = Evidence.objects.filter(pk=evidence_id).select_related("item", "uploaded_by").first()
    if evidence is None:
        raise Http404
    assessment, access = assessment_for_user(user=user, pk=evidence.assessment_id)
    evidence.assessment = assessment
    return evidence, access


def assessment_evidence(*, assessment: Assessment) -> QuerySet[Evidence]:
    """The assessment's evidence in item order, with the item and the uploader."""
    return assessment.evidence.select_related("item", "uploaded_by").order_by(
        "item_id", "uploaded_at", "pk"
    )


def item_review_statuses(*, assessment: Assessment) -> dict[int, str]:
    """The reviewer's verdict on each item's evidence, by item id (items not judged yet
    are absent)."""
    return dict(ItemReview.objects.filter(assessment=assessment).values_list("item_id", "status"))


def assessment_history(*, assessment: Assessment) -> QuerySet[AssessmentEvent]:
    """The assessment's history entries, newest first, with who made them."""
    return assessment.events.select_related("actor").order_by("-at", "-pk")


def city_and_district_choices(*, city_id: int | None) -> tuple[list[Region], list[Region]]:
    """The cities, and the districts of the chosen city, for filters."""
    cities = list(Region.objects.filter(level=RegionLevel.CITY).order_by("code"))
    districts = (
        list(Region.objects.filter(level=RegionLevel.DISTRICT, city_id=city_id).order_by("code"))
        if city_id
        else []
    )
    return cities, districts
