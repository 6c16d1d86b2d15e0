"""The workflow of an assessment as a table of transitions, and the one service that
applies any of them (to one assessment, or to many at once)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.choices import (
    AssessmentStatus,
    EventKind,
    ItemReviewStatus,
    ReviewAction,
    RoundStatus,
)
from assessments.errors import StaleVersionError, ValidationFailed, WorkflowError, forbidden
from assessments.models import Assessment, Evidence, ItemReview, ReviewDecision, Submission
from assessments.services._base import Change, bump
from assessments.services.answers import current_engine_answers, stored_answers_by_assessment
from assessments.services.evidence import evidence_record
from common.errors import Problem
from indicators.specs import framework_catalog
from scoring.engine import score


@dataclass(frozen=True)
class Transition:
    """One step of the workflow: from which states, to which, and who may take it."""

    action: ReviewAction
    sources: tuple[AssessmentStatus, ...]
    target: AssessmentStatus
    by_reviewer: bool  # administrators; otherwise whoever may edit the assessment
    needs_reason: bool


TRANSITIONS: Mapping[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            ReviewAction.SUBMIT,
            (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED),
            AssessmentStatus.SUBMITTED,
            by_reviewer=False,
            needs_reason=False,
        ),
        Transition(
            ReviewAction.RETURN,
            (AssessmentStatus.SUBMITTED,),
            AssessmentStatus.RETURNED,
            by_reviewer=True,
            needs_reason=True,
        ),
        Transition(
            ReviewAction.APPROVE,
            (AssessmentStatus.SUBMITTED,),
            AssessmentStatus.APPROVED,
            by_reviewer=True,
            needs_reason=False,
        ),
        Transition(
            ReviewAction.REOPEN,
            (AssessmentStatus.APPROVED,),
            AssessmentStatus.RETURNED,
            by_reviewer=True,
            needs_reason=True,
        ),
    )
}


def _may(actor: Any, transition: Transition, assessment: Assessment) -> bool:
    if transition.by_reviewer:
        return permissions.can_review_assessment(actor, assessment)
    return permissions.can_edit_assessment(actor, assessment)


def available_actions(actor: Any, assessment: Assessment) -> list[str]:
    """The actions ``actor`` may take on ``assessment`` in its current state (for buttons)."""
    return [
        t.action
        for t in TRANSITIONS.values()
        if assessment.status in t.sources and _may(actor, t, assessment)
    ]


def submission_problems(assessment: Assessment) -> list[Problem]:
    """Why the assessment cannot be submitted yet, each at the item concerned (empty when
    it can be)."""
    with_evidence = set(assessment.evidence.values_list("item__code", flat=True))
    return _submission_problems(assessment, current_engine_answers(assessment), with_evidence)


def _submission_problems(
    assessment: Assessment, answers: Mapping[str, Any], with_evidence: set[str]
) -> list[Problem]:
    spec = framework_catalog(assessment.round.framework).spec
    problems = [
        Problem(_("%(item)s has no answer.") % {"item": code}, code)
        for code in spec.items
        if code not in answers
    ]
    if assessment.round.evidence_required:
        result = score(spec, answers)
        problems.extend(
            Problem(
                _("%(item)s scores above zero but has no evidence.") % {"item": item.code},
                item.code,
            )
            for indicator in result.indicators
            for item in indicator.items
            if item.s and item.code not in with_evidence
        )
    return problems


def _reasons_problems(assessment: Assessment, reasons: Mapping[str, str]) -> list[Problem]:
    """A return names at least one indicator to correct, each with a reason."""
    if not reasons:
        return [Problem(_("Name the indicators to correct, each with a reason."), "reasons")]
    indicators = framework_catalog(assessment.round.framework).indicator_ids
    problems = []
    for code, reason in reasons.items():
        if code not in indicators:
            problems.append(Problem(_("Unknown indicator %(code)s.") % {"code": code}, "reasons"))
        elif not reason.strip():
            problems.append(
                Problem(_("Say what to correct in %(code)s.") % {"code": code}, f"{code}.reason")
            )
    return problems


def _check(
    transition: Transition,
    assessment: Assessment,
    comment: str,
    reasons: Mapping[str, str],
    answers: Mapping[str, Any] | None = None,
    with_evidence: set[str] | None = None,
) -> list[Problem]:
    """Every reason the transition cannot be applied to the (locked) assessment now."""
    if assessment.status not in transition.sources:
        return [
            Problem(
                _("This assessment is %(status)s; the action is not possible now.")
                % {"status": assessment.get_status_display()}
            )
        ]
    if transition.action == ReviewAction.SUBMIT:
        if assessment.round.status != RoundStatus.OPEN:
            return [Problem(_("The round is not open for submissions."))]
        if answers is None or with_evidence is None:
            return submission_problems(assessment)
        return _submission_problems(assessment, answers, with_evidence)
    if transition.action == ReviewAction.RETURN:
        return _reasons_problems(assessment, reasons)
    if transition.needs_reason and not comment:
        return [Problem(_("Give a reason for this step."), "comment")]
    return []


def _apply(
    actor: Any,
    transition: Transition,
    assessment: Assessment,
    comment: str,
    reasons: Mapping[str, str],
) -> Change:
    """Record the step and change the status; returns the history entry to write."""
    reasons = {code: text.strip() for code, text in reasons.items()}
    if transition.action == ReviewAction.RETURN and not comment:
        comment = "；".join(f"{code}：{text}" for code, text in reasons.items())
    ReviewDecision.objects.create(
        assessment=assessment,
        action=transition.action,
        from_status=assessment.status,
        to_status=transition.target,
        comment=comment,
        reasons=reasons,
        actor=actor,
    )
    before = assessment.status
    assessment.status = transition.target
    now = timezone.now()
    if transition.action == ReviewAction.SUBMIT:
        assessment.submitted_at = now
        _snapshot(assessment, actor, now)
    if transition.action == ReviewAction.APPROVE:
        assessment.approved_at = now
    if transition.action == ReviewAction.REOPEN:
        assessment.approved_at = None
    assessment.save(update_fields=["status", "submitted_at", "approved_at"])
    details: dict[str, Any] = {"status": transition.target, "action": transition.action}
    if reasons:
        details["reasons"] = reasons
    return Change(assessment, EventKind.STATUS, "", {"status": before}, details, comment)


def _snapshot(assessment: Assessment, actor: Any, at: Any) -> None:
    """Keep what is submitted, so diffs between submissions are exact."""
    number = Submission.objects.filter(assessment=assessment).count() + 1
    Submission.objects.create(
        assessment=assessment,
        number=number,
        answers=current_engine_answers(assessment),
        notes=dict(assessment.notes.values_list("indicator__code", "text")),
        evidence=[
            {"item": code, **evidence_record(evidence)}
            for evidence, code in (
                (e, e.item.code) for e in assessment.evidence.select_related("item").order_by("pk")
            )
        ],
        submitted_by=actor,
        submitted_at=at,
    )


def _transition(action: str) -> Transition:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationFailed(Problem(_("Unknown action %(a)s.") % {"a": action}, "action"))
    return transition


@transaction.atomic
def assessment_transition(
    *,
    actor: Any,
    assessment: Assessment,
    action: str,
    comment: str = "",
    reasons: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> Assessment:
    """Apply one workflow step (a row of TRANSITIONS), recording who took it and why. A
    return names the indicators to correct, each with a reason (``reasons``); the assessor
    may then change only those."""
    transition = _transition(action)
    if not _may(actor, transition, assessment):
        raise forbidden()
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("round__framework")
        .get(pk=assessment.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(locked.version)
    comment, reasons = comment.strip(), dict(reasons or {})
    problems = _check(transition, locked, comment, reasons)
    if problems:
        raise WorkflowError(*problems)
    change = _apply(actor, transition, locked, comment, reasons)
    bump([locked], actor=actor, changes=[change])
    return locked


@transaction.atomic
def assessments_transition_bulk(
    *,
    actor: Any,
    assessment_ids: Sequence[int],
    action: str,
    comment: str = "",
    reasons: Mapping[str, str] | None = None,
) -> int:
    """Apply one workflow step to many assessments, all or nothing (e.g. approving a
    filtered set); every assessment that cannot take the step is named. Returns the count."""
    transition = _transition(action)
    comment, reasons = comment.strip(), dict(reasons or {})
    locked = list(
        permissions.assessments_visible_to(
            actor,
            Assessment.objects.select_for_update(of=("self",))
            .select_related("round__framework", "community")
            .filter(pk__in=list(assessment_ids)),
        ).order_by("pk")
    )
    if len(locked) != len(set(assessment_ids)) or not all(
        _may(actor, transition, a) for a in locked
    ):
        raise forbidden()
    answers: dict[int, dict[str, Any]] = {}
    evidence: dict[int, set[str]] = {}
    if transition.action == ReviewAction.SUBMIT:
        answers = stored_answers_by_assessment([a.pk for a in locked])
        for pk, code in Evidence.objects.filter(
            assessment_id__in=[a.pk for a in locked]
        ).values_list("assessment_id", "item__code"):
            evidence.setdefault(pk, set()).add(code)
    problems = [
        Problem(f"{a.community.name}: {p.message}", p.field, a.community.code)
        for a in locked
        for p in _check(
            transition, a, comment, reasons, answers.get(a.pk, {}), evidence.get(a.pk, set())
        )
    ]
    if problems:
        raise WorkflowError(*problems)
    changes = [_apply(actor, transition, a, comment, reasons) for a in locked]
    bump(locked, actor=actor, changes=changes)
    return len(locked)


def assessment_submit(
    *, actor: Any, assessment: Assessment, expected_version: int | None = None
) -> Assessment:
    return assessment_transition(
        actor=actor,
        assessment=assessment,
        action=ReviewAction.SUBMIT,
        expected_version=expected_version,
    )


def assessment_return(
    *, actor: Any, assessment: Assessment, reasons: Mapping[str, str], comment: str = ""
) -> Assessment:
    """Send a submitted assessment back, naming the indicators to correct with reasons."""
    return assessment_transition(
        actor=actor,
        assessment=assessment,
        action=ReviewAction.RETURN,
        comment=comment,
        reasons=reasons,
    )


def assessment_approve(*, actor: Any, assessment: Assessment, comment: str = "") -> Assessment:
    return assessment_transition(
        actor=actor, assessment=assessment, action=ReviewAction.APPROVE, comment=comment
    )


def assessment_reopen(*, actor: Any, assessment: Assessment, comment: str) -> Assessment:
    """Take an approved assessment back to "returned" (every indicator may change)."""
    return assessment_transition(
        actor=actor, assessment=assessment, action=ReviewAction.REOPEN, comment=comment
    )


@transaction.atomic
def item_review_set(
    *, actor: Any, assessment: Assessment, item_code: str, status: str, comment: str = ""
) -> ItemReview:
    """Accept or reject the evidence of one item of a submitted assessment."""
    if not permissions.can_review_assessment(actor, assessment):
        raise forbidden()
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("round__framework")
        .get(pk=assessment.pk)
    )
    if locked.status != AssessmentStatus.SUBMITTED:
        raise WorkflowError(
            _("This assessment is %(status)s; the action is not possible now.")
            % {"status": locked.get_status_display()}
        )
    comment = comment.strip()
    problems = []
    if status not in ItemReviewStatus.values:
        problems.append(Problem(_("Choose accepted or rejected."), "status"))
    elif status == ItemReviewStatus.REJECTED and not comment:
        problems.append(Problem(_("Say why the evidence is rejected."), "comment"))
    item_id = framework_catalog(locked.round.framework).item_ids.get(item_code)
    if item_id is None:
        problems.append(Problem(_("Unknown item %(item)s.") % {"item": item_code}, "item"))
    if problems:
        raise ValidationFailed(*problems)
    previous = ItemReview.objects.filter(assessment=locked, item_id=item_id or 0).first()
    old = {"status": previous.status, "comment": previous.comment} if previous else None
    review, _created = ItemReview.objects.update_or_create(
        assessment=locked,
        item_id=item_id,
        defaults={"status": status, "comment": comment, "reviewer": actor},
    )
    bump(
        [locked],
        actor=actor,
        changes=[
            Change(
                locked,
                EventKind.ITEM_REVIEW,
                item_code,
                old,
                {"status": status, "comment": comment},
                comment,
            )
        ],
    )
    return review
