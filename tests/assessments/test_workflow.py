"""The workflow table: every transition, who may take it, and every refusal."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.models import Role
from assessments import services
from assessments.choices import AssessmentStatus, ReviewAction
from assessments.errors import NotAllowedError, ValidationFailed, WorkflowError
from assessments.models import Assessment, AssessmentEvent, ItemReview, ReviewDecision
from scoring.engine import score
from tests.factories import (
    UserFactory,
    add_evidence_for_scored_items,
    full_answers,
    make_assessment,
    make_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(framework, assessor, spec):
    round_ = make_round(framework, evidence_required=False)
    assessment = make_assessment(framework, assessors=(assessor,), round=round_)
    services.answers_save(actor=assessor, assessment=assessment, values=full_answers(spec))
    return services.assessment_submit(actor=assessor, assessment=assessment)


def test_submit_refuses_assessment_with_unanswered_items(framework, assessor, spec):
    round_ = make_round(framework, evidence_required=False)
    assessment = make_assessment(framework, assessors=(assessor,), round=round_)
    answers = full_answers(spec)
    answers.pop("L2P3.1")
    services.answers_save(actor=assessor, assessment=assessment, values=answers)
    with pytest.raises(WorkflowError) as caught:
        services.assessment_submit(actor=assessor, assessment=assessment)
    assert [p.field for p in caught.value.problems] == ["L2P3.1"]
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT


def test_submit_needs_evidence_for_exactly_the_items_that_score(assessment, assessor, spec):
    answers = full_answers(spec)
    services.answers_save(actor=assessor, assessment=assessment, values=answers)
    scoring = [item.code for ind in score(spec, answers).indicators for item in ind.items if item.s]
    with translation.override("en"), pytest.raises(WorkflowError) as caught:
        services.assessment_submit(actor=assessor, assessment=assessment)
    assert [p.field for p in caught.value.problems] == scoring
    assert caught.value.messages[0] == f"{scoring[0]} scores above zero but has no evidence."
    assert 0 < len(scoring) < len(spec.items), "the sample leaves some items at zero"
    add_evidence_for_scored_items(assessment, assessor, spec)
    services.assessment_submit(actor=assessor, assessment=assessment)
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED


def test_round_without_evidence_requirement_submits_without_evidence(framework, assessor, spec):
    round_ = make_round(framework, evidence_required=False)
    assessment = make_assessment(framework, assessors=(assessor,), round=round_)
    services.answers_save(actor=assessor, assessment=assessment, values=full_answers(spec))
    services.assessment_submit(actor=assessor, assessment=assessment)
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED


def test_submitted_assessment_is_locked_for_assessors(submitted, assessor):
    with pytest.raises(WorkflowError):
        services.answers_save(
            actor=assessor, assessment=submitted, values={"L1P1.2": {"value": False}}
        )


def test_a_return_names_indicators_with_reasons_and_opens_only_those(submitted, assessor, admin):
    with pytest.raises(WorkflowError) as caught:
        services.assessment_return(actor=admin, assessment=submitted, reasons={})
    assert [p.field for p in caught.value.problems] == ["reasons"]
    with pytest.raises(WorkflowError) as blank:
        services.assessment_return(
            actor=admin, assessment=submitted, reasons={"L1P1": " ", "L9P9": "x"}
        )
    assert sorted(str(p.field) for p in blank.value.problems) == ["L1P1.reason", "reasons"]
    services.assessment_return(actor=admin, assessment=submitted, reasons={"L1P1": "补充材料"})
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.RETURNED
    services.answers_save(actor=assessor, assessment=submitted, values={"L1P1.2": {"value": False}})
    with pytest.raises(WorkflowError):
        services.answers_save(actor=assessor, assessment=submitted, values={"L2P1.1": {"count": 1}})
    with pytest.raises(WorkflowError):
        services.evidence_add_link(
            actor=assessor, assessment=submitted, item_code="L2P1.1", url="https://e.example/x"
        )
    actions = list(
        ReviewDecision.objects.filter(assessment=submitted).values_list(
            "action", "from_status", "to_status"
        )
    )
    assert actions == [("submit", "draft", "submitted"), ("return", "submitted", "returned")]
    decision = ReviewDecision.objects.get(action="return")
    assert decision.reasons == {"L1P1": "补充材料"} and "补充材料" in decision.comment


def test_an_import_names_each_assessment_that_would_change_a_closed_indicator(
    submitted, framework, assessor, admin, spec
):
    services.assessment_return(actor=admin, assessment=submitted, reasons={"L1P1": "补充材料"})
    draft = make_assessment(framework, assessors=(assessor,), round=submitted.round)
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.answers_import(
            actor=assessor,
            answers={
                submitted.pk: {"L1P1.2": {"value": False}, "L2P1.1": {"count": 1}},
                draft.pk: {"L2P1.1": {"count": 2}},
            },
            labels={submitted.pk: "T-RETURNED", draft.pk: "T-DRAFT"},
        )
    assert caught.value.messages == [
        "T-RETURNED: Only the indicators returned for correction can change now (L1P1); "
        "these stay as submitted: L2P1."
    ]
    assert services.current_engine_answers(submitted) == full_answers(spec)
    assert services.current_engine_answers(draft) == {}


def test_only_administrators_review(submitted, assessor, admin):
    with pytest.raises(NotAllowedError):
        services.assessment_approve(actor=assessor, assessment=submitted)
    services.assessment_approve(actor=admin, assessment=submitted)
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.APPROVED and submitted.approved_at
    with pytest.raises(WorkflowError):
        services.assessment_approve(actor=admin, assessment=submitted)


def test_an_approved_assessment_changes_only_after_reopening(submitted, assessor, admin, spec):
    services.assessment_approve(actor=admin, assessment=submitted)
    with pytest.raises(WorkflowError):
        services.answers_save(
            actor=admin, assessment=submitted, values={"L1P1.2": {"value": False}}
        )
    with pytest.raises(WorkflowError):
        services.evidence_add_link(
            actor=admin, assessment=submitted, item_code="L1P1.2", url="https://e.example/x"
        )
    other = UserFactory(role=Role.ASSESSOR)
    with pytest.raises(WorkflowError):
        services.assessment_assign(actor=admin, assessment=submitted, assessors=[other])
    with pytest.raises(WorkflowError):
        services.assessment_create(
            round=submitted.round, community=submitted.community, assessors=[other]
        )
    assert list(submitted.assessors.all()) == [assessor]

    services.assessment_reopen(actor=admin, assessment=submitted, comment="复核")
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.RETURNED and submitted.approved_at is None
    services.assessment_assign(actor=admin, assessment=submitted, assessors=[other])
    assert list(submitted.assessors.all()) == [other]
    services.assessment_assign(actor=admin, assessment=submitted, assessors=[other])
    [event] = AssessmentEvent.objects.filter(assessment=submitted, kind="assessors")
    assert event.old == [f"{assessor.display_name} ({assessor.username})"]
    assert event.new == [f"{other.display_name} ({other.username})"] and event.actor == admin


def test_item_review_needs_a_valid_status_and_a_reason_to_reject(submitted, admin):
    with pytest.raises(ValidationFailed) as bogus:
        services.item_review_set(
            actor=admin, assessment=submitted, item_code="L1P1.1", status="bogus"
        )
    assert [p.field for p in bogus.value.problems] == ["status"]
    with pytest.raises(ValidationFailed) as reasonless:
        services.item_review_set(
            actor=admin, assessment=submitted, item_code="L1P1.1", status="rejected"
        )
    assert [p.field for p in reasonless.value.problems] == ["comment"]
    review = services.item_review_set(
        actor=admin, assessment=submitted, item_code="L1P1.1", status="rejected", comment="证明过期"
    )
    assert (review.item.code, review.status) == ("L1P1.1", "rejected")
    assert ItemReview.objects.count() == 1


def test_an_unknown_action_is_a_clear_error(submitted, admin):
    with pytest.raises(ValidationFailed):
        services.assessment_transition(actor=admin, assessment=submitted, action="publish")


def test_available_actions_follow_the_table(submitted, assessor, admin):
    assert services.available_actions(assessor, submitted) == []
    assert services.available_actions(admin, submitted) == [
        ReviewAction.RETURN,
        ReviewAction.APPROVE,
    ]


def test_bulk_transition_is_all_or_nothing(framework, spec, assessor, admin):
    round_ = make_round(framework, evidence_required=False)
    ready = [make_assessment(framework, round=round_, assessors=(assessor,)) for _ in range(2)]
    for assessment in ready:
        services.answers_save(actor=assessor, assessment=assessment, values=full_answers(spec))
    empty = make_assessment(framework, round=round_, assessors=(assessor,))
    with pytest.raises(WorkflowError) as caught:
        services.assessments_transition_bulk(
            actor=assessor, assessment_ids=[a.pk for a in [*ready, empty]], action="submit"
        )
    assert {p.field for p in caught.value.problems} == set(spec.items)
    assert set(Assessment.objects.values_list("status", flat=True)) == {"draft"}
    assert (
        services.assessments_transition_bulk(
            actor=assessor, assessment_ids=[a.pk for a in ready], action="submit"
        )
        == 2
    )
    with pytest.raises(NotAllowedError):
        services.assessments_transition_bulk(
            actor=assessor, assessment_ids=[a.pk for a in ready], action="approve"
        )
    assert (
        services.assessments_transition_bulk(
            actor=admin, assessment_ids=[a.pk for a in ready], action="approve"
        )
        == 2
    )
    assert ReviewDecision.objects.filter(action="approve").count() == 2
