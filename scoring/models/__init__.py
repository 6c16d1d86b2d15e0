"""Stored scores and what is derived from them.

- ``scorecards``: one scorecard per assessment, its indicator rows and item details.
- ``standings``: a round as a whole: rank state, area statistics, ranking stability.
- ``rescores``: whole-round rescores tracked in chunks.
"""

from scoring.models.rescores import RescoreChunk, RescoreRun
from scoring.models.scorecards import IndicatorScore, ScoreCard, ScoreDetail
from scoring.models.standings import AreaStats, RankRange, RankState, StabilityRun

__all__ = [
    "AreaStats",
    "IndicatorScore",
    "RankRange",
    "RankState",
    "RescoreChunk",
    "RescoreRun",
    "ScoreCard",
    "ScoreDetail",
    "StabilityRun",
]
