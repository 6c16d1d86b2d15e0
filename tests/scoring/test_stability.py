"""Ranking stability: ranks under perturbed weights agree with the stored ranks when nothing
is perturbed, and runs are started, computed, refused and refreshed as a round needs."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.db import OperationalError
from django.utils import timezone

from assessments import services as assessment_services
from assessments.choices import RegionLevel
from common.errors import ConflictError, ValidationFailed
from demo.answers import make_answers
from scoring import services
from scoring.models import RankRange, RankState, ScoreCard, StabilityRun
from scoring.rank_ranges import OVERALL, draw_ranks, rank_ranges, weight_offsets
from scoring.services import stability
from scoring.tasks import stability_refresh_task
from tests.factories import make_round, region_chain

pytestmark = pytest.mark.django_db

# quality, answers seed, street key, households, area type. Equal (quality, seed) pairs
# give equal answers, so equal totals: one pair in one district, one across two cities.
COMMUNITIES = (
    (1.00, 1, "lixia", 800, "urban"),  # far ahead of the rest
    (0.45, 2, "lixia", 1800, "urban"),
    (0.45, 2, "lixia", 2600, "urban"),
    (0.40, 3, "shizhong", 3500, "urban"),
    (0.35, 4, "shizhong", 900, "rural"),
    (0.30, 5, "shinan", 1200, "rural"),
    (0.30, 5, "lixia", 400, "urban"),
    (0.50, 6, "shinan", 4200, "urban"),
    (0.25, 7, "shizhong", 700, "rural"),
    (0.55, 8, "shinan", 1500, "urban"),
)
FIELDS = {
    OVERALL: ("rank", "overall"),
    "city": ("rank_in_city", "city"),
    "district": ("rank_in_district", "district"),
    "peer": ("rank_in_peer_group", "peer"),
}


def streets() -> dict[str, object]:
    lixia = region_chain("济南市", "历下区", "解放路街道")
    jinan = lixia.parent.parent
    district = assessment_services.region_create(
        code=f"{jinan.code}9", name_zh="市中区", level=RegionLevel.DISTRICT, parent=jinan
    )
    shizhong = assessment_services.region_create(
        code=f"{jinan.code}91", name_zh="大观园街道", level=RegionLevel.STREET, parent=district
    )
    return {"lixia": lixia, "shizhong": shizhong, "shinan": region_chain("青岛市", "市南区")}


def fill_round(round_, spec, admin, places, quality_shift: float = 0.0):
    """Assess every community of COMMUNITIES in the round, score and rank it."""
    ids = []
    for n, (quality, seed, street, households, area) in enumerate(COMMUNITIES):
        community = assessment_services.community_create(
            data=assessment_services.CommunityData(
                code=f"S{round_.pk}{n:03d}",
                name=f"社区{n}",
                region=places[street],
                households=households,
                residents=households * 3,
                area_type=area,
            )
        )
        assessment = assessment_services.assessment_create(round=round_, community=community)
        values = make_answers(spec, min(1.0, quality + quality_shift), random.Random(seed))
        assessment_services.answers_save(actor=admin, assessment=assessment, values=values)
        ids.append(assessment.pk)
    services.scorecards_compute(assessment_ids=ids)
    services.ranks_refresh(round_ids=[round_.pk])
    return ids


@pytest.fixture
def scored(spec, open_round, admin):
    fill_round(open_round, spec, admin, streets())
    return open_round


def run_now(round_, **options) -> StabilityRun:
    run = services.stability_run_start(round=round_, enqueue_task=False, **options)
    result = services.stability_run_process(run_id=run.pk)
    assert result is not None
    return result


def stored(round_) -> dict[int, ScoreCard]:
    return {card.pk: card for card in ScoreCard.objects.filter(round=round_)}


def test_the_unperturbed_draw_ranks_exactly_as_the_stored_ranks(scored):
    numbers = stability.round_numbers(round_id=scored.pk)
    cards = stored(scored)
    ranks = draw_ranks(numbers.standings, np.zeros((1, 24), dtype=np.int64))
    for level, (field, _prefix) in FIELDS.items():
        computed = dict(zip(numbers.card_ids, ranks[level][0].tolist(), strict=True))
        assert computed == {pk: getattr(card, field) for pk, card in cards.items()}, level
    overall = [card.rank for card in cards.values()]
    assert len(set(overall)) < len(overall), "the data has tied totals"
    assert any(card.rank_in_peer_group != card.rank for card in cards.values())
    # The plain sum of the rounded indicator scores is not the total for some scorecard:
    # anchoring on the stored total is what makes the ranks agree.
    sums = numbers.standings.scores.sum(axis=1)
    assert (sums != numbers.standings.totals).any()


def test_ranges_hold_the_stored_ranks_and_are_stored_for_every_scorecard(scored):
    run = run_now(scored)
    assert (run.status, run.scorecards, run.error) == ("finished", len(COMMUNITIES), "")
    assert run.finished_at is not None and run.finished_at >= run.started_at
    state = RankState.objects.get(round=scored)
    assert run.scores_version == state.stability_version == state.scores_version
    for card in ScoreCard.objects.filter(round=scored).select_related("rank_range"):
        rank_range = card.rank_range
        assert rank_range.run == run
        for field, prefix in FIELDS.values():
            low, high = getattr(rank_range, f"{prefix}_low"), getattr(rank_range, f"{prefix}_high")
            assert low <= getattr(card, field) <= high, (card.pk, prefix)


def test_a_community_far_ahead_keeps_the_top_rank_in_every_draw(scored):
    run_now(scored, spread=Decimal("0.5"))
    top = ScoreCard.objects.select_related("rank_range").get(round=scored, rank=1)
    assert top.total - ScoreCard.objects.filter(round=scored, rank=2).get().total > 20
    assert (top.rank_range.overall_low, top.rank_range.overall_high) == (1, 1)
    widths = [r.overall_high - r.overall_low for r in RankRange.objects.filter(run__round=scored)]
    assert max(widths) > 0, "the others do move"


def test_the_same_seed_gives_the_same_ranges(scored):
    def ranges():
        return sorted(
            RankRange.objects.filter(run__round=scored).values_list(
                "scorecard_id", "overall_low", "overall_high", "city_low", "city_high",
                "district_low", "district_high", "peer_low", "peer_high",
            )
        )  # fmt: skip

    first = run_now(scored, seed=12345, draws=300)
    before = ranges()
    second = run_now(scored, seed=12345, draws=300)
    assert ranges() == before
    assert first.seed == second.seed == 12345
    assert RankRange.objects.filter(run=first).count() == 0, "the old ranges are replaced"
    assert run_now(scored).seed != 12345, "a new seed when none is given"


def test_blocks_of_draws_give_the_same_ranges_as_one_block(scored):
    standings = stability.round_numbers(round_id=scored.pk).standings
    offsets = weight_offsets(draws=101, indicators=24, spread=0.3, seed=9)
    whole = rank_ranges(standings, offsets, block_cells=10**9)
    blocks = rank_ranges(standings, offsets, block_cells=3 * len(COMMUNITIES))
    every = draw_ranks(standings, offsets)
    for level in standings.levels:
        assert whole[level].low.tolist() == blocks[level].low.tolist()
        assert whole[level].high.tolist() == blocks[level].high.tolist()
        low = np.percentile(every[level], 5, axis=0, method="lower")
        high = np.percentile(every[level], 95, axis=0, method="higher")
        assert whole[level].low.tolist() == low.astype(int).tolist(), level
        assert whole[level].high.tolist() == high.astype(int).tolist(), level


def test_a_second_run_is_refused_while_one_is_under_way(scored):
    first = services.stability_run_start(round=scored, enqueue_task=False)
    with pytest.raises(ConflictError):
        services.stability_run_start(round=scored, enqueue_task=False)
    assert services.stability_rounds_due() == []
    services.stability_run_process(run_id=first.pk)
    services.stability_run_start(round=scored, enqueue_task=False)


def test_a_lost_run_gives_way_after_the_timeout(scored):
    lost = services.stability_run_start(round=scored, enqueue_task=False)
    StabilityRun.objects.filter(pk=lost.pk).update(
        started_at=timezone.now() - stability.RUN_TIMEOUT - timedelta(minutes=1)
    )
    run = services.stability_run_start(round=scored, enqueue_task=False)
    lost.refresh_from_db()
    assert lost.status == "failed" and "lost" in lost.error
    assert run.status == "running"


def test_processing_a_finished_run_again_changes_nothing(scored):
    run = run_now(scored)
    finished_at = run.finished_at
    again = services.stability_run_process(run_id=run.pk)
    assert again is not None and again.finished_at == finished_at
    assert services.stability_run_process(run_id=999_999) is None


def test_a_failure_is_recorded_on_the_run(scored, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("no numbers today")

    monkeypatch.setattr(stability, "rank_ranges", broken)
    run = services.stability_run_start(round=scored, enqueue_task=False)
    failed = services.stability_run_process(run_id=run.pk)
    assert failed is not None
    assert (failed.status, failed.error) == ("failed", "ValueError: no numbers today")
    assert failed.finished_at is not None
    assert not RankRange.objects.exists()
    assert RankState.objects.get(round=scored).stability_version == 0


def test_a_database_failure_is_left_to_the_task_to_retry(scored, monkeypatch):
    def unavailable(*args, **kwargs):
        raise OperationalError("the server closed the connection")

    monkeypatch.setattr(stability, "rank_ranges", unavailable)
    run = services.stability_run_start(round=scored, enqueue_task=False)
    with pytest.raises(OperationalError):
        services.stability_run_process(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "running"


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"draws": 99}, "draws"),
        ({"draws": 5001}, "draws"),
        ({"spread": Decimal("0.04")}, "spread"),
        ({"spread": Decimal("0.51")}, "spread"),
        ({"seed": -1}, "seed"),
    ],
)
def test_odd_settings_are_refused_at_their_field(scored, options, field):
    with pytest.raises(ValidationFailed) as refused:
        services.stability_run_start(round=scored, enqueue_task=False, **options)
    assert [problem.field for problem in refused.value.problems] == [field]
    assert not StabilityRun.objects.exists()


def test_a_started_run_is_computed_by_its_task_after_the_commit(
    scored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = services.stability_run_start(round=scored)
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == "finished"
    assert RankRange.objects.filter(run=run).count() == len(COMMUNITIES)


def test_the_periodic_task_starts_runs_only_for_rounds_whose_ranking_changed(
    framework, spec, scored, admin, django_capture_on_commit_callbacks
):
    other = make_round(framework, evidence_required=False)
    ids = fill_round(other, spec, admin, streets(), quality_shift=0.1)
    assert services.stability_rounds_due() == sorted([scored.pk, other.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert stability_refresh_task.delay().get() == sorted([scored.pk, other.pk])
    assert services.stability_rounds_due() == []
    with django_capture_on_commit_callbacks(execute=True):
        assert stability_refresh_task.delay().get() == [], "nothing changed"

    assessment = other.assessments.get(pk=ids[1])
    values = make_answers(spec, 0.9, random.Random(99))
    assessment_services.answers_save(actor=admin, assessment=assessment, values=values)
    services.scorecards_compute(assessment_ids=[assessment.pk])
    assert services.stability_rounds_due() == [], "not before the ranks are refreshed"
    services.ranks_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        assert stability_refresh_task.delay().get() == [other.pk]
    assert StabilityRun.objects.filter(round=scored).count() == 1
    latest = StabilityRun.objects.filter(round=other).first()
    assert latest is not None and latest.status == "finished"
    state = RankState.objects.get(round=other)
    assert latest.scores_version == state.stability_version == state.ranked_version


def test_a_round_with_its_ranges_can_be_deleted(scored):
    run_now(scored)
    assessment_services.round_delete(round=scored)
    assert not StabilityRun.objects.exists()
    assert not RankRange.objects.exists()
