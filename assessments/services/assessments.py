"""Assessments of a round: opening them, assigning assessors, deleting one made by mistake."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from assessments import permissions
from assessments.choices import AssessmentStatus, EventKind
from assessments.errors import ValidationFailed, WorkflowError, forbidden
from assessments.files import delete_files
from assessments.models import Assessment, Community, Evidence, Round
from assessments.services._base import Change, bump
from common.errors import Problem


def _assessor_problems(assessors: Sequence[Any]) -> list[Problem]:
    return [
        Problem(_("%(user)s is not an active assessor.") % {"user": user.username}, "assessors")
        for user in assessors
        if not (user.is_active and user.role == Role.ASSESSOR)
    ]


@transaction.atomic
def assessment_create(
    *, round: Round, community: Community, assessors: Iterable[Any] = ()
) -> Assessment:
    """The assessment of a community in a round (there is one; calling again returns it),
    with these assessors added."""
    assessors = list(assessors)
    problems = _assessor_problems(assessors)
    if problems:
        raise ValidationFailed(*problems)
    assessment, _created = Assessment.objects.get_or_create(round=round, community=community)
    if assessors:
        if assessment.status == AssessmentStatus.APPROVED:
            raise WorkflowError(_("The assessment is approved; reopen it to change assessors."))
        assessment.assessors.add(*assessors)
    return assessment


@transaction.atomic
def assessment_assign(*, actor: Any, assessment: Assessment, assessors: Iterable[Any]) -> None:
    """Set who assesses an assessment. An approved one keeps its assessors until reopened."""
    if not permissions.can_manage(actor):
        raise forbidden()
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessors = list(assessors)
    problems = _assessor_problems(assessors)
    if problems:
        raise ValidationFailed(*problems)
    before = list(locked.assessors.order_by("username"))
    if {u.pk for u in before} == {u.pk for u in assessors}:
        return
    if locked.status == AssessmentStatus.APPROVED:
        raise WorkflowError(_("The assessment is approved; reopen it to change assessors."))
    locked.assessors.set(assessors)
    bump(
        [locked],
        actor=actor,
        changes=[
            Change(
                locked,
                EventKind.ASSESSORS,
                old=_people(before),
                new=_people(sorted(assessors, key=lambda u: u.username)),
            )
        ],
    )


def _people(users: Iterable[Any]) -> list[str]:
    """How the history names assessors: "李晓明 (li)"."""
    return [f"{user.display_name} ({user.username})" for user in users]


@transaction.atomic
def assessments_open(
    *,
    round: Round,
    communities: Sequence[Community],
    assessors: Mapping[int, Sequence[Any]] | None = None,
    batch_size: int = 2_000,
) -> list[Assessment]:
    """One assessment per community in the round (existing ones are kept), with assessors
    by community id added. Returns the round's assessments of these communities."""
    assessors = assessors or {}
    problems = _assessor_problems(
        list({u.pk: u for users in assessors.values() for u in users}.values())
    )
    if problems:
        raise ValidationFailed(*problems)
    ids = [c.pk for c in communities]
    existing = set(
        Assessment.objects.filter(round=round, community_id__in=ids).values_list(
            "community_id", flat=True
        )
    )
    Assessment.objects.bulk_create(
        (Assessment(round=round, community_id=pk) for pk in ids if pk not in existing),
        batch_size=batch_size,
    )
    opened = list(Assessment.objects.filter(round=round, community_id__in=ids))
    through = Assessment.assessors.through
    links = {
        (a.pk, user.pk)
        for a in opened
        if a.status != AssessmentStatus.APPROVED
        for user in assessors.get(a.community_id, ())
    }
    through.objects.bulk_create(
        (through(assessment_id=a, user_id=u) for a, u in sorted(links)),
        batch_size=batch_size,
        ignore_conflicts=True,
    )
    return opened


@transaction.atomic
def assessment_delete(*, actor: Any, assessment: Assessment) -> None:
    """Delete an assessment opened by mistake; submitted or approved ones stay."""
    if not permissions.can_manage(actor):
        raise forbidden()
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED):
        raise WorkflowError(
            _("This assessment is %(status)s and cannot be deleted.")
            % {"status": locked.get_status_display()}
        )
    files = list(
        Evidence.objects.filter(assessment=locked).exclude(file="").values_list("file", flat=True)
    )
    locked.delete()
    transaction.on_commit(lambda: delete_files(files))
