"""Stored scorecards: what the engine says, stored once, explained per item, kept when
approved, ranked per round."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import Round
from demo.answers import make_answers
from scoring import services
from scoring.engine import rank_competition, round_s, round_score, score
from scoring.models import IndicatorScore, RankState, RescoreChunk, RescoreRun, ScoreCard
from tests.factories import region_chain

pytestmark = pytest.mark.django_db


def writes(ctx: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY"))
    ]


@pytest.fixture
def rescore(django_capture_on_commit_callbacks):
    """Start a round rescore and run its chunk tasks (in process) once it commits."""

    def run(round_, chunk_size):
        with django_capture_on_commit_callbacks(execute=True):
            started = services.round_rescore_start(round=round_, chunk_size=chunk_size)
        return RescoreRun.objects.get(pk=started.pk)

    return run


def test_compute_stores_what_the_engine_says(make_answered, spec):
    assessment = make_answered(quality=0.7)
    stats = services.scorecards_compute(assessment_ids=[assessment.pk])
    assert stats.written == 1
    card = ScoreCard.objects.get(assessment=assessment)
    expected = score(spec, assessment_services.current_engine_answers(assessment))
    assert card.total == expected.total_rounded
    assert card.grade == expected.grade
    assert card.complete is True
    assert card.assessment_version == assessment.version
    assert card.primaries == {p.code: str(round_score(p.score)) for p in expected.primaries}
    rows = {r.indicator.code: r for r in card.indicators.select_related("indicator")}
    assert len(rows) == 24
    for ind in expected.indicators:
        assert rows[ind.code].score == round_score(ind.score)
        assert rows[ind.code].met == ind.met
    assert set(card.detail.items) == {i.code for ind in expected.indicators for i in ind.items}
    for item in (i for ind in expected.indicators for i in ind.items):
        assert card.detail.items[item.code]["s"] == (
            None if item.s is None else str(round_s(item.s))
        )
        assert card.detail.items[item.code]["met"] == item.met


def test_item_details_explain_every_point(spec, make_answered):
    answers = make_answers(spec, 0.5, random.Random(3))
    answers["L1P8.1"] = {"numerator": 480, "denominator": 1000}
    answers["L1P8.2"] = {"baseline": 200000, "actual": 170000}
    assessment = make_answered(answers=answers)
    services.scorecards_compute(assessment_ids=[assessment.pk])
    row = IndicatorScore.objects.get(scorecard__assessment=assessment, indicator__code="L1P8")
    assert row.score == Decimal("3.88") and row.met is False
    card = row.scorecard
    assert card.detail.items["L1P8.1"] == {
        "status": "scored",
        "s": "0.8000",
        "achievement": "0.4800",
        "met": False,
    }
    assert card.detail.items["L1P8.2"] == {
        "status": "scored",
        "s": "0.7500",
        "achievement": "0.1500",
        "met": False,
    }
    assert card.detail.items["L1P6.1"]["achievement"] is None, "booleans have no achievement"


def test_recomputing_with_unchanged_inputs_writes_nothing(make_answered):
    assessment = make_answered()
    services.scorecards_compute(assessment_ids=[assessment.pk])
    with CaptureQueriesContext(connection) as ctx:
        stats = services.scorecards_compute(assessment_ids=[assessment.pk])
    assert stats.unchanged == 1 and stats.written == 0
    assert writes(ctx) == []


def test_a_change_that_does_not_touch_the_score_only_records_the_version(make_answered, admin):
    assessment = make_answered()
    services.scorecards_compute(assessment_ids=[assessment.pk])
    card = ScoreCard.objects.get(assessment=assessment)
    assessment_services.evidence_add_link(
        actor=admin, assessment=assessment, item_code="L1P1.1", url="https://e.example/a"
    )
    stats = services.scorecards_compute(assessment_ids=[assessment.pk])
    assert stats.unchanged == 1
    after = ScoreCard.objects.get(assessment=assessment)
    assert after.computed_at == card.computed_at and after.total == card.total
    assert after.assessment_version == card.assessment_version + 1


def test_changed_answers_give_a_new_scorecard(make_answered, admin):
    assessment = make_answered(quality=0.3)
    services.scorecards_compute(assessment_ids=[assessment.pk])
    before = ScoreCard.objects.get(assessment=assessment).total
    assessment_services.answers_save(
        actor=admin,
        assessment=assessment,
        values={
            "L4P1.1": {"level": 4},
            "L1P5.1": {"value": True},
            "L1P5.3": {"value": True},
        },
    )
    services.scorecards_compute(assessment_ids=[assessment.pk])
    card = ScoreCard.objects.get(assessment=assessment)
    assert card.total > before
    assert IndicatorScore.objects.filter(scorecard=card).count() == 24


def test_missing_answers_make_the_scorecard_incomplete(make_answered, spec):
    answers = make_answers(spec, 0.9, random.Random(5))
    del answers["L2P3.1"]
    assessment = make_answered(answers=answers)
    services.scorecards_compute(assessment_ids=[assessment.pk])
    card = ScoreCard.objects.get(assessment=assessment)
    assert card.complete is False
    row = card.indicators.get(indicator__code="L2P3")
    assert row.score == 0
    assert card.detail.items["L2P3.1"] == {
        "status": "missing",
        "s": "0.0000",
        "achievement": None,
        "met": False,
    }


def submit(assessment, admin):
    return assessment_services.assessment_submit(actor=admin, assessment=assessment)


def test_rejected_evidence_scores_zero_until_accepted(make_answered, admin):
    assessment = submit(make_answered(quality=1.0, seed=9), admin)
    services.scorecards_compute(assessment_ids=[assessment.pk])
    before = ScoreCard.objects.get(assessment=assessment).total
    assessment_services.item_review_set(
        actor=admin, assessment=assessment, item_code="L4P1.1", status="rejected", comment="无佐证"
    )
    services.scorecards_compute(assessment_ids=[assessment.pk])
    card = ScoreCard.objects.get(assessment=assessment)
    row = card.indicators.get(indicator__code="L4P1")
    assert card.detail.items["L4P1.1"]["status"] == "rejected"
    assert row.score == 0
    assert card.total < before and card.complete
    assessment_services.item_review_set(
        actor=admin, assessment=assessment, item_code="L4P1.1", status="accepted"
    )
    services.scorecards_compute(assessment_ids=[assessment.pk])
    assert ScoreCard.objects.get(assessment=assessment).total == before


def test_approved_assessment_keeps_the_scorecard_it_was_approved_with(make_answered, admin):
    assessment = submit(make_answered(), admin)
    assessment_services.assessment_approve(actor=admin, assessment=assessment)
    services.scorecards_compute(assessment_ids=[assessment.pk])
    card = ScoreCard.objects.get(assessment=assessment)
    assert card.frozen
    # A changed grading of the round would change the grade; the approved card stays.
    round_ = assessment.round
    round_.grade_bands = [{"code": "all", "minimum": "0", "name_zh": "全部"}]
    round_.save()
    stats = services.scorecards_compute(assessment_ids=[assessment.pk])
    assert stats.kept_frozen == 1
    assert ScoreCard.objects.get(assessment=assessment).grade == card.grade
    assessment_services.assessment_reopen(actor=admin, assessment=assessment, comment="复核")
    services.scorecards_compute(assessment_ids=[assessment.pk])
    reopened = ScoreCard.objects.get(assessment=assessment)
    assert reopened.grade == "all" and not reopened.frozen


def test_saving_answers_enqueues_scoring_after_commit(
    framework, open_round, admin, django_capture_on_commit_callbacks
):
    from tests.factories import make_assessment

    assessment = make_assessment(framework, round=open_round)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assessment_services.answers_save(
            actor=admin,
            assessment=assessment,
            values={"L1P1.1": {"numerator": 1, "denominator": 1}},
        )
    assert len(callbacks) == 1
    card = ScoreCard.objects.get(assessment=assessment)
    assert card.indicators.get(indicator__code="L1P1").score == Decimal("1.50")
    assert card.complete is False


def test_round_rescore_stores_ranks_with_shared_places(make_answered, spec, open_round, rescore):
    street_a, street_b = region_chain("济南市"), region_chain("青岛市")
    same = make_answers(spec, 0.6, random.Random(11))
    top = make_answered(quality=0.95, seed=2, street=street_a)
    twin_a = make_answered(answers=same, street=street_a)
    twin_b = make_answered(answers=same, street=street_b)
    middle = make_answered(quality=0.5, seed=4, street=street_a)
    bottom = make_answered(quality=0.2, seed=3, street=street_b)
    totals = [
        score(spec, assessment_services.current_engine_answers(a)).total_rounded
        for a in (top, twin_a, middle, bottom)
    ]
    assert totals == sorted(totals, reverse=True) and len(set(totals)) == 4, totals

    rescored = rescore(open_round, 2)
    assert (rescored.status, rescored.chunks_done, rescored.chunks_total) == ("finished", 3, 3)
    cards = {c.assessment_id: c for c in ScoreCard.objects.filter(round=open_round)}
    ranks = {pk: (c.rank, c.rank_in_city, c.rank_in_district) for pk, c in cards.items()}
    assert ranks == {
        top.pk: (1, 1, 1),
        twin_a.pk: (2, 2, 2),
        twin_b.pk: (2, 1, 1),
        middle.pk: (4, 3, 3),
        bottom.pk: (5, 2, 2),
    }


def test_ranks_are_refreshed_before_a_page_shows_them(
    make_answered, spec, open_round, admin, client
):
    made = [make_answered(quality=q, seed=n) for n, q in enumerate((0.3, 0.5, 0.7))]
    services.scorecards_compute(assessment_ids=[a.pk for a in made])
    assert services.ranks_refresh() == [open_round.pk]
    assert services.ranks_refresh() == [], "nothing changed: nothing to do"
    assert [ScoreCard.objects.get(assessment=a).rank for a in made] == [3, 2, 1]

    assessment_services.answers_save(
        actor=admin, assessment=made[0], values=make_answers(spec, 1.0, random.Random(9))
    )
    services.scorecards_compute(assessment_ids=[made[0].pk])
    state = RankState.objects.get(round=open_round)
    assert state.ranked_version < state.scores_version, "the new total made the ranks stale"

    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    page = client.get(reverse("admin:scoring_scorecard_changelist"))
    assert page.status_code == 200
    cards = {c.assessment_id: c for c in ScoreCard.objects.filter(round=open_round)}
    shown = {c.assessment_id: c.rank for c in page.context["cl"].result_list}
    assert (
        shown
        == {pk: c.rank for pk, c in cards.items()}
        == rank_competition((pk, c.total) for pk, c in cards.items())
    )
    assert shown[made[0].pk] == 1


def test_rescoring_a_round_again_writes_no_scores_and_no_duplicates(
    make_answered, open_round, rescore
):
    for seed in range(4):
        make_answered(seed=seed)
    assert rescore(open_round, 3).status == "finished"
    with CaptureQueriesContext(connection) as ctx:
        again = rescore(open_round, 3)
    assert again.status == "finished"
    assert not [sql for sql in writes(ctx) if "scoring_indicatorscore" in sql]
    assert ScoreCard.objects.filter(round=open_round).count() == 4
    assert IndicatorScore.objects.filter(scorecard__round=open_round).count() == 4 * 24


def test_a_chunk_processed_twice_counts_once(make_answered, open_round, rescore):
    for seed in range(3):
        make_answered(seed=seed)
    run = rescore(open_round, 2)
    first = RescoreChunk.objects.filter(run=run).order_by("index").first()
    assert services.rescore_chunk_process(chunk_id=first.pk).written == 0
    assert RescoreRun.objects.get(pk=run.pk).chunks_done == 2


def test_sweep_finds_and_scores_what_a_lost_message_left_behind(make_answered):
    assessment = make_answered()
    assert assessment.pk in services.stale_assessment_ids()
    assert services.scoring_sweep()["stale"] == 0, "a fresh change is left to its own task"
    result = services.scoring_sweep(grace=timedelta(0))
    assert result["stale"] >= 1
    assert assessment.pk not in services.stale_assessment_ids()
    assert ScoreCard.objects.filter(assessment=assessment).exists()


def test_sweep_finishes_a_round_whose_chunk_messages_were_lost(
    make_answered, open_round, django_capture_on_commit_callbacks
):
    for seed in range(3):
        make_answered(seed=seed)
    run = services.round_rescore_start(round=open_round, chunk_size=2)  # messages never sent
    assert services.scoring_sweep()["chunks"] == 0, "a young run is left alone"
    RescoreRun.objects.filter(pk=run.pk).update(started_at=run.started_at - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.scoring_sweep()["chunks"] == 2
    run.refresh_from_db()
    assert run.status == "finished"
    assert ScoreCard.objects.filter(round=open_round, rank__isnull=False).count() == 3


def test_scoring_an_assessment_deleted_after_its_task_was_sent_does_nothing():
    assert services.scorecards_compute(assessment_ids=[987654321]) == services.ComputeStats()


def test_a_rescore_that_fails_marks_its_run_failed_with_the_reason(
    make_answered, open_round, rescore
):
    make_answered(seed=1)
    # Bands written around the service (as old data might hold them).
    Round.objects.filter(pk=open_round.pk).update(grade_bands=[{"grade": "A"}])
    open_round.refresh_from_db()
    run = rescore(open_round, 10)
    assert run.status == "failed"
    assert "KeyError" in run.error and "code" in run.error
    assert run.finished_at is not None
    again = rescore(open_round, 10)
    assert again.pk != run.pk, "a failed run does not block a new one"
