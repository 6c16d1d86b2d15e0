"""The demo seed ends with the ranking stability of both rounds, and a second seed with
unchanged data does not compute it again."""

from __future__ import annotations

import pytest

from assessments.models import Round
from demo.seed import PREVIOUS_ROUND_NAME, ROUND_NAME, seed
from scoring.models import RankRange, RankState, ScoreCard, StabilityRun

pytestmark = pytest.mark.django_db


def test_seed_ends_with_rank_ranges_for_both_rounds():
    lines: list[str] = []
    seed(communities=12, log=lines.append)
    for name in (ROUND_NAME, PREVIOUS_ROUND_NAME):
        round_ = Round.objects.get(name=name)
        run = StabilityRun.objects.get(round=round_)
        assert (run.status, run.draws, run.scorecards) == ("finished", 1000, 12)
        assert RankRange.objects.filter(run=run).count() == 12
        assert ScoreCard.objects.filter(round=round_, rank_range__isnull=True).count() == 0
        state = RankState.objects.get(round=round_)
        assert state.stability_version == state.ranked_version
    assert sum("ranking stability" in line for line in lines) == 2

    seed(communities=12, log=lines.append)
    assert StabilityRun.objects.count() == 2, "nothing changed: no new run"
