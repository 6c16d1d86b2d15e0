"""Standings of a round: ranks in peer groups and the statistics of every area, stored with
the ranks and exact to the stored totals."""

from __future__ import annotations

import random
import statistics
from dataclasses import replace
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from assessments import services as assessment_services
from assessments.models import Community
from demo.answers import make_answers
from scoring import services
from scoring.engine import rank_competition
from scoring.models import AreaStats, IndicatorScore, RankState, ScoreCard
from scoring.peers import peer_group_label, peer_group_of
from tests.factories import region_chain

pytestmark = pytest.mark.django_db


def data_of(community: Community, **changes):
    return replace(
        assessment_services.CommunityData(
            code=community.code,
            name=community.name,
            region=community.region,
            households=community.households,
            residents=community.residents,
            area_type=community.area_type,
        ),
        **changes,
    )


def two_decimals(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def scored(make_answered, open_round):
    jinan, qingdao = region_chain("济南市", "历下区"), region_chain("青岛市", "市南区")
    made = [
        make_answered(quality=q, seed=n, street=street)
        for n, (q, street) in enumerate(
            [(0.9, jinan), (0.7, jinan), (0.5, jinan), (0.8, qingdao), (0.3, qingdao)]
        )
    ]
    services.scorecards_compute(assessment_ids=[a.pk for a in made])
    services.ranks_refresh()
    return made


def test_peer_groups_come_from_area_type_and_households():
    assert peer_group_of("urban", 999) == "urban-s"
    assert peer_group_of("urban", 1000) == "urban-m"
    assert peer_group_of("rural", 3000) == "rural-l"
    assert peer_group_label("rural-m") == "农村 · 1,000–2,999户"


def test_ranks_in_peer_group_follow_the_community(scored, open_round):
    rural = scored[1].community
    assessment_services.community_update(
        community=rural, data=data_of(rural, area_type="rural", households=1500, residents=4000)
    )
    state = RankState.objects.get(round=open_round)
    assert state.ranked_version < state.scores_version, "a new peer group makes ranks stale"
    services.ranks_refresh()
    cards = {c.assessment_id: c for c in ScoreCard.objects.filter(round=open_round)}
    assert cards[scored[1].pk].peer_group == "rural-m"
    assert cards[scored[1].pk].rank_in_peer_group == 1
    urban = {pk: c for pk, c in cards.items() if c.peer_group == "urban-s"}
    assert len(urban) == 4
    assert {pk: c.rank_in_peer_group for pk, c in urban.items()} == rank_competition(
        (pk, c.total) for pk, c in urban.items()
    )


def test_area_statistics_agree_with_the_stored_totals(scored, open_round):
    cards = list(ScoreCard.objects.filter(round=open_round))
    rows = {(s.level, s.region_id): s for s in AreaStats.objects.filter(round=open_round)}
    cities = {c.city_id for c in cards}
    districts = {c.district_id for c in cards}
    assert set(rows) == {("province", None)} | {("city", c) for c in cities} | {
        ("district", d) for d in districts
    }
    for (level, region_id), stats in rows.items():
        mine = [
            c
            for c in cards
            if level == "province"
            or (level == "city" and c.city_id == region_id)
            or (level == "district" and c.district_id == region_id)
        ]
        totals = [c.total for c in mine]
        assert stats.scored == len(mine)
        assert stats.mean_total == two_decimals(sum(totals) / len(totals))
        assert stats.median_total == two_decimals(statistics.median(totals))
        assert sum(stats.grades.values()) == len(mine)
        for code in ("L1", "L4"):
            expected = sum(Decimal(c.primaries[code]) for c in mine) / len(mine)
            assert Decimal(stats.primary_means[code]) == two_decimals(expected)
        lighting = IndicatorScore.objects.filter(scorecard__in=mine, indicator__code="L1P8")
        expected = sum(r.score for r in lighting) / len(mine)
        assert Decimal(stats.indicator_means["L1P8"]) == two_decimals(expected)
        met = sum(r.met for r in lighting) / len(mine)
        assert Decimal(stats.indicator_met["L1P8"]) == Decimal(met).quantize(Decimal("0.0001"))
    assert len(rows[("province", None)].indicator_means) == 24


def test_dashboards_refresh_standings_at_most_once_per_lag(scored, open_round, spec, admin):
    best = scored[4]
    assessment_services.answers_save(
        actor=admin, assessment=best, values=make_answers(spec, 1.0, random.Random(5))
    )
    services.scorecards_compute(assessment_ids=[best.pk])
    held = services.standings_for_page(round_id=open_round.pk, max_lag=timedelta(minutes=1))
    assert held.ranked_version < held.scores_version, "ranked a moment ago: shown as it was"
    fresh = services.standings_for_page(round_id=open_round.pk, max_lag=timedelta(0))
    assert fresh.ranked_version == fresh.scores_version
    assert ScoreCard.objects.get(assessment=best).rank == 1
