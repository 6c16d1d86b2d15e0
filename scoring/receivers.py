"""How scoring follows the assessments app's domain events (see assessments.signals)."""

from __future__ import annotations

from typing import Any

from assessments.models import Round
from scoring import services


def on_assessments_changed(sender: Any, *, assessment_ids: list[int], **kwargs: Any) -> None:
    services.assessments_score_later(assessment_ids)


def on_communities_relocated(sender: Any, *, community_ids: list[int], **kwargs: Any) -> None:
    services.scorecards_relocate(community_ids=community_ids)


def on_round_scoring_changed(sender: Any, *, round_id: int, **kwargs: Any) -> None:
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is not None:
        services.round_rescore_start(round=round_)


def on_round_deleting(sender: Any, *, round_id: int, **kwargs: Any) -> None:
    services.round_scores_delete(round_id=round_id)
