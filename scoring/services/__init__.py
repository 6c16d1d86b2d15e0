"""Scoring services: compute and store scorecards, keep ranks, rescore whole rounds, and
measure how stable the ranks are.

Every function is idempotent: computing again with unchanged inputs writes nothing, and a
chunk that was already done is not done twice.
"""

from scoring.services.compute import (
    ComputeStats,
    inputs_hash,
    scorecards_compute,
    scoring_basis,
)
from scoring.services.places import scorecards_relocate
from scoring.services.ranks import ranks_refresh, scores_changed, standings_for_page
from scoring.services.rounds import (
    DEFAULT_CHUNK_SIZE,
    SWEEP_GRACE,
    assessments_score_later,
    rescore_chunk_process,
    round_rescore_start,
    round_scores_delete,
    scoring_sweep,
    stale_assessment_ids,
)
from scoring.services.stability import (
    stability_refresh,
    stability_rounds_due,
    stability_run_process,
    stability_run_start,
)

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "SWEEP_GRACE",
    "ComputeStats",
    "assessments_score_later",
    "inputs_hash",
    "ranks_refresh",
    "rescore_chunk_process",
    "round_rescore_start",
    "round_scores_delete",
    "scorecards_compute",
    "scorecards_relocate",
    "scores_changed",
    "scoring_basis",
    "scoring_sweep",
    "stability_refresh",
    "stability_rounds_due",
    "stability_run_process",
    "stability_run_start",
    "stale_assessment_ids",
    "standings_for_page",
]
