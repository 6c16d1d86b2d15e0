"""A community as one reader sees it: the one fetch with access of the community pages
(its scorecard page and its path to the next grade), and how grades read per round."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from assessments import permissions
from assessments.models import Assessment, Community, Round
from indicators.grades import grade_name, grade_tone
from reports.scope import Scope
from scoring.models import ScoreCard


def round_bands(round_: Round) -> list[dict[str, Any]]:
    return list(round_.grade_bands or round_.framework.grade_bands)


def grade_of(bands: Sequence[Mapping[str, Any]], code: str) -> tuple[str, int]:
    """A grade's name and its tone (1 for the best band) in any round's bands."""
    return grade_name(bands, code), grade_tone(bands, code)


def scorecard_of(assessment: Assessment) -> ScoreCard | None:
    return getattr(assessment, "scorecard", None)


@dataclass(frozen=True)
class CommunityInScope:
    """A community the reader may see, with its visible assessments (newest round first)
    and the one of the scope's round (None when it has none there)."""

    community: Community
    assessments: list[Assessment]
    assessment: Assessment | None

    @property
    def card(self) -> ScoreCard | None:
        return scorecard_of(self.assessment) if self.assessment is not None else None

    @property
    def other_rounds(self) -> list[Assessment]:
        return [a for a in self.assessments if a is not self.assessment]


def community_in_scope(*, scope: Scope, pk: int) -> CommunityInScope:
    """The community ``pk`` as the reader sees it; Http404 when it lies outside the scope
    or has no assessment the reader may see (its existence does not leak)."""
    community = (
        Community.objects.select_related("region", "city", "district")
        .filter(pk=pk, **_area_filter(scope))
        .first()
    )
    if community is None:
        raise Http404
    assessments = list(
        permissions.assessments_visible_to(scope.user)
        .filter(community=community)
        .select_related("round__framework", "scorecard__rank_range")
        .order_by("-round__period_start", "-round_id")
    )
    if not assessments:
        raise Http404
    current = next((a for a in assessments if scope.round and a.round_id == scope.round.pk), None)
    return CommunityInScope(community, assessments, current)


def _area_filter(scope: Scope) -> dict[str, Any]:
    return {"region__path__startswith": scope.region.path} if scope.region is not None else {}
