"""Rounds: created once by name, changed by rules that protect their results."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.choices import AssessmentStatus
from assessments.errors import ValidationFailed
from assessments.models import Answer, Assessment, Evidence, Round
from indicators.services import framework_load
from scoring.models import IndicatorScore, RescoreRun, ScoreCard
from scoring.services import scorecards_compute
from tests.factories import (
    add_evidence_for_scored_items,
    full_answers,
    make_assessment,
    make_round,
)

pytestmark = pytest.mark.django_db

BANDS = [
    {"code": "a", "minimum": "80", "name_zh": "甲"},
    {"code": "b", "minimum": "0", "name_zh": "乙"},
]


def test_a_duplicate_name_is_a_clear_error_not_the_old_round(framework):
    first = make_round(framework, name="2026年度")
    with pytest.raises(ValidationFailed) as caught:
        make_round(framework, name="2026年度", evidence_required=False)
    assert [p.field for p in caught.value.problems] == ["name"]
    assert Round.objects.get(pk=first.pk).evidence_required is True


def test_bad_dates_status_and_grade_bands_are_named(framework):
    with pytest.raises(ValidationFailed) as caught:
        services.round_create(
            name="x",
            framework=framework,
            period_start=dt.date(2026, 12, 1),
            period_end=dt.date(2026, 1, 1),
            submission_deadline=dt.date(2026, 12, 1),
            review_deadline=dt.date(2026, 1, 1),
            status="bogus",
        )
    assert sorted(str(p.field) for p in caught.value.problems) == [
        "period_end",
        "review_deadline",
        "status",
    ]


@pytest.mark.parametrize(
    "bands",
    [
        [{"grade": "A"}],
        [{"code": "a", "minimum": "50", "name_zh": "甲"}],
        [
            {"code": "a", "minimum": "0", "name_zh": "甲"},
            {"code": "a", "minimum": "0", "name_zh": "乙"},
        ],
        [{"code": "a", "minimum": "x", "name_zh": "甲"}],
        "90",
    ],
)
def test_invalid_grade_bands_are_refused_at_their_field(framework, bands):
    round_ = make_round(framework)
    with pytest.raises(ValidationFailed) as caught:
        services.round_update(round=round_, grade_bands=bands)
    assert {p.field for p in caught.value.problems} == {"grade_bands"}
    assert Round.objects.get(pk=round_.pk).grade_bands is None


def test_new_grade_bands_rescore_the_round(
    framework, spec, admin, django_capture_on_commit_callbacks
):
    admin_round = make_round(framework, evidence_required=False)
    assessment = make_assessment(framework, round=admin_round)
    with django_capture_on_commit_callbacks(execute=True):
        services.answers_save(actor=admin, assessment=assessment, values=full_answers(spec, 0.3))
    assert ScoreCard.objects.get(assessment=assessment).grade == "needs_improvement"
    with django_capture_on_commit_callbacks(execute=True):
        services.round_update(
            round=admin_round, grade_bands=[{"code": "all", "minimum": 0, "name_zh": "全部"}]
        )
    assert ScoreCard.objects.get(assessment=assessment).grade == "all"
    assert RescoreRun.objects.get(round=admin_round).status == "finished"


def test_the_framework_is_fixed_once_a_round_has_assessments(framework, framework_definition):
    other = framework_load(definition=replace(framework_definition, version="9.9")).framework
    round_ = make_round(framework)
    services.round_update(round=round_, framework=other)
    services.round_update(round=round_, framework=framework)
    make_assessment(framework, round=round_)
    with pytest.raises(ValidationFailed) as caught:
        services.round_update(round=round_, framework=other)
    assert [p.field for p in caught.value.problems] == ["framework"]


def _filled_round(framework, spec, admin, size):
    round_ = make_round(framework)
    for seed in range(size):
        assessment = make_assessment(framework, round=round_, assessors=())
        services.answers_save(
            actor=admin, assessment=assessment, values=full_answers(spec, seed=seed)
        )
        add_evidence_for_scored_items(assessment, admin, spec)
    scorecards_compute(assessment_ids=list(round_.assessments.values_list("pk", flat=True)))
    return round_


def test_deleting_a_round_deletes_everything_in_it_without_loading_it(framework, spec, admin):
    """The same statements for one assessment or many: nothing is loaded row by row."""
    counts = []
    for size in (1, 4):
        round_ = _filled_round(framework, spec, admin, size)
        with CaptureQueriesContext(connection) as queries:
            services.round_delete(round=round_)
        counts.append(len(queries))
        assert not Round.objects.filter(pk=round_.pk).exists()
        for model in (Assessment, Answer, Evidence, ScoreCard, IndicatorScore):
            assert not model.objects.exists(), model
    assert counts[0] == counts[1]


def test_a_round_with_approved_results_cannot_be_deleted(framework, spec, admin):
    round_ = make_round(framework, evidence_required=False)
    assessment = make_assessment(framework, round=round_)
    services.answers_save(actor=admin, assessment=assessment, values=full_answers(spec))
    services.assessment_submit(actor=admin, assessment=assessment)
    services.assessment_approve(actor=admin, assessment=assessment)
    with pytest.raises(ValidationFailed):
        services.round_delete(round=round_)
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.APPROVED
