"""What every assessment write shares: locking, the version step and the change event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connections, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.choices import EDITABLE_STATUSES, RoundStatus
from assessments.errors import StaleVersionError, WorkflowError, forbidden
from assessments.models import Answer, Assessment, Evidence
from assessments.signals import assessments_changed


def lock_editable(actor: Any, assessment: Assessment, expected_version: int | None) -> Assessment:
    """The assessment, locked for this transaction, after checking that ``actor`` may change
    its answers and evidence now (and, when given, that nobody saved it since
    ``expected_version``)."""
    if not permissions.can_edit_assessment(actor, assessment):
        raise forbidden()
    locked = (
        Assessment.objects.select_for_update()
        .select_related("round__framework")
        .get(pk=assessment.pk)
    )
    if not locked.is_editable:
        raise WorkflowError(
            _("This assessment is %(status)s and cannot be changed.")
            % {"status": locked.get_status_display()}
        )
    if locked.round.status != RoundStatus.OPEN:
        raise WorkflowError(_("The round is not open for changes."))
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(locked.version)
    return locked


def lock_editable_many(
    actor: Any, assessment_ids: Iterable[int], labels: Mapping[int, str]
) -> dict[int, Assessment]:
    """The assessments, locked, after checking that ``actor`` may change each of them now;
    otherwise WorkflowError names every one that cannot be changed (by ``labels[id]``)."""
    if not (permissions.is_admin(actor) or permissions.is_assessor(actor)):
        raise forbidden()
    ids = list(assessment_ids)
    locked = {
        a.pk: a
        for a in permissions.assessments_editable_by(
            actor,
            Assessment.objects.select_for_update(of=("self",))
            .select_related("round__framework")
            .filter(pk__in=ids),
        )
    }
    problems = []
    for pk in ids:
        assessment = locked.get(pk)
        label = labels.get(pk, str(pk))
        if assessment is None:
            problems.append(_("%(label)s: not found or not yours.") % {"label": label})
        elif assessment.status not in EDITABLE_STATUSES:
            problems.append(
                _("%(label)s: the assessment is %(status)s and cannot be changed.")
                % {"label": label, "status": assessment.get_status_display()}
            )
        elif assessment.round.status != RoundStatus.OPEN:
            problems.append(_("%(label)s: the round is not open.") % {"label": label})
    if problems:
        raise WorkflowError(*problems)
    return locked


def _answered() -> Subquery:
    return Subquery(
        Answer.objects.filter(assessment_id=OuterRef("pk"))
        .order_by()
        .values("assessment_id")
        .annotate(n=Count("item_id"))
        .values("n")
    )


def _evidenced() -> Subquery:
    return Subquery(
        Evidence.objects.filter(assessment_id=OuterRef("pk"))
        .order_by()
        .values("assessment_id")
        .annotate(n=Count("item_id", distinct=True))
        .values("n")
    )


def bump(assessments: Iterable[Assessment]) -> None:
    """Step the version of changed assessments, refresh their stored counts of answered and
    evidenced items, and announce the change once the transaction commits."""
    assessments = list(assessments)
    ids = [a.pk for a in assessments]
    Assessment.objects.filter(pk__in=ids).update(
        version=F("version") + 1,
        updated_at=timezone.now(),
        answered_count=Coalesce(_answered(), Value(0)),
        evidenced_count=Coalesce(_evidenced(), Value(0)),
    )
    if len(assessments) == 1:
        assessments[0].refresh_from_db(
            fields=["version", "updated_at", "status", "answered_count", "evidenced_count"]
        )
    notify_changed(ids)


_PENDING = "_assessments_changed_pending"


def notify_changed(assessment_ids: Iterable[int]) -> None:
    """Send ``assessments_changed`` once, after the outermost transaction commits, for every
    assessment changed in it (a batch of many writes sends one event, not many).

    The ids collect in a set shared with the commit callback. A rolled-back transaction
    discards its callback, so a set whose callback is no longer queued is never reused.
    """
    connection = connections["default"]
    state: tuple[set[int], Any] | None = getattr(connection, _PENDING, None)
    if state is not None and any(entry[1] is state[1] for entry in connection.run_on_commit):
        state[0].update(assessment_ids)
        return
    ids = set(assessment_ids)

    def send() -> None:
        if getattr(connection, _PENDING, None) is state_now:
            setattr(connection, _PENDING, None)
        if ids:
            assessments_changed.send(Assessment, assessment_ids=sorted(ids))

    state_now = (ids, send)
    setattr(connection, _PENDING, state_now)
    transaction.on_commit(send)
