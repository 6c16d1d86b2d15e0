"""Keeping each scorecard's city, district and peer group in step with its community."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import OuterRef, Subquery

from assessments.models import Assessment
from scoring.models import ScoreCard
from scoring.services.ranks import rounds_lock, scores_changed


def scorecards_relocate(*, community_ids: Sequence[int]) -> None:
    """Copy the communities' city and district onto their scorecards and mark the ranks of
    the rounds concerned stale (ranks within a city, district or peer group change with
    them; the peer group itself is stored with the ranks). Runs inside the transaction
    that moved the communities."""
    cards = ScoreCard.objects.filter(assessment__community_id__in=list(community_ids))
    community = Assessment.objects.filter(pk=OuterRef("assessment_id"))
    cards.update(
        city_id=Subquery(community.values("community__city_id")[:1]),
        district_id=Subquery(community.values("community__district_id")[:1]),
    )
    rounds = set(cards.values_list("round_id", flat=True))
    rounds_lock(round_ids=rounds)
    scores_changed(round_ids=rounds)
