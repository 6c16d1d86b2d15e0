"""What every assessment write shares: locking and checking, the version step, the history
entries and the change event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.choices import (
    EDITABLE_STATUSES,
    AssessmentStatus,
    EventKind,
    ReviewAction,
    RoundStatus,
)
from assessments.errors import StaleVersionError, WorkflowError, forbidden
from assessments.models import Answer, Assessment, AssessmentEvent, Evidence, ReviewDecision
from assessments.signals import assessments_changed
from common.errors import Problem


def lock_editable(
    actor: Any,
    assessment: Assessment,
    expected_version: int | None,
    scope: Scope | None = None,
) -> Assessment:
    """The assessment, locked for this transaction, after checking that ``actor`` may change
    its answers and evidence now, and, when ``expected_version`` is given, that nobody
    saved it since. With a ``scope``, only saves that touched those items and indicators
    count: a page may save one indicator although another one changed meanwhile, but never
    over a change it has not seen."""
    if not permissions.can_edit_assessment(actor, assessment):
        raise forbidden()
    locked = (
        Assessment.objects.select_for_update(of=("self",))
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
        unseen = _changes_since(locked, expected_version, scope)
        if scope is None or unseen:
            raise StaleVersionError(locked.version, unseen)
    return locked


@dataclass(frozen=True)
class Scope:
    """The items and indicators one save is about (for stale-page checks)."""

    items: frozenset[str]
    indicators: frozenset[str]


def _changes_since(assessment: Assessment, version: int, scope: Scope | None) -> list[Any]:
    """History entries after ``version``, within ``scope`` (all of them without one)."""
    events = AssessmentEvent.objects.filter(assessment=assessment, version__gt=version)
    if scope is not None:
        # Only what the save would overwrite: evidence and its review change beside answers.
        events = events.filter(
            Q(kind=EventKind.NOTE, target__in=scope.indicators)
            | Q(kind=EventKind.ANSWER, target__in=scope.items)
            | Q(kind=EventKind.STATUS)
        )
    return list(events.select_related("actor").order_by("at", "pk"))


def lock_editable_many(
    actor: Any,
    assessment_ids: Iterable[int],
    labels: Mapping[int, str],
    expected_versions: Mapping[int, int] | None = None,
) -> dict[int, Assessment]:
    """The assessments, locked, after checking that ``actor`` may change each of them now
    (and that none was saved since its expected version); otherwise WorkflowError names
    every one that cannot be changed (by ``labels[id]``)."""
    locked, problems = lock_changeable(actor, assessment_ids, labels, expected_versions)
    if problems:
        raise WorkflowError(*problems)
    return locked


def lock_changeable(
    actor: Any,
    assessment_ids: Iterable[int],
    labels: Mapping[int, str],
    expected_versions: Mapping[int, int] | None = None,
) -> tuple[dict[int, Assessment], list[Problem]]:
    """The assessments ``actor`` may change now, locked, and a problem for each of the
    others (named by ``labels[id]``), so a caller can report them beside its own."""
    if not (permissions.is_admin(actor) or permissions.is_assessor(actor)):
        raise forbidden()
    ids = list(assessment_ids)
    expected_versions = expected_versions or {}
    locked = {
        a.pk: a
        for a in permissions.assessments_editable_by(
            actor,
            Assessment.objects.select_for_update(of=("self",))
            .select_related("round__framework")
            .filter(pk__in=ids),
        )
    }
    problems: list[Problem] = []
    for pk in ids:
        assessment = locked.get(pk)
        label = labels.get(pk, str(pk))
        if assessment is None:
            problems.append(
                Problem(_("%(label)s: not found or not yours.") % {"label": label}, subject=label)
            )
        elif assessment.status not in EDITABLE_STATUSES:
            problems.append(
                Problem(
                    _("%(label)s: the assessment is %(status)s and cannot be changed.")
                    % {"label": label, "status": assessment.get_status_display()},
                    subject=label,
                )
            )
        elif assessment.round.status != RoundStatus.OPEN:
            problems.append(
                Problem(_("%(label)s: the round is not open.") % {"label": label}, subject=label)
            )
        elif pk in expected_versions and expected_versions[pk] != assessment.version:
            problems.append(
                Problem(
                    _(
                        "%(label)s: someone saved this assessment after the file was made "
                        "(version %(was)d, now %(now)d); download it again."
                    )
                    % {"label": label, "was": expected_versions[pk], "now": assessment.version},
                    subject=label,
                )
            )
        else:
            continue
        locked.pop(pk, None)
    return locked, problems


def return_reasons(assessment: Assessment) -> dict[str, str]:
    """The reviewer's reasons by indicator code of the return (or reopening) that sent a
    returned assessment back; empty for any other status, and for an assessment reopened as
    a whole."""
    if assessment.status != AssessmentStatus.RETURNED:
        return {}
    last = (
        ReviewDecision.objects.filter(
            assessment=assessment, action__in=(ReviewAction.RETURN, ReviewAction.REOPEN)
        )
        .order_by("-created_at", "-pk")
        .values_list("reasons", flat=True)
        .first()
    )
    return dict(last or {})


def returned_indicators(assessment: Assessment) -> set[str] | None:
    """The indicators a returned assessment may change (those the reviewer named), or None
    when every indicator may change (a draft, or an assessment reopened as a whole)."""
    return set(return_reasons(assessment)) or None


def closed_indicators_problem(assessment: Assessment, indicators: Iterable[str]) -> str | None:
    """Why changes to ``indicators`` are refused while only those returned for correction
    may change, or None when they may all change."""
    allowed = returned_indicators(assessment)
    if allowed is None:
        return None
    closed = sorted(set(indicators) - allowed)
    if not closed:
        return None
    return _(
        "Only the indicators returned for correction can change now (%(open)s); "
        "these stay as submitted: %(closed)s."
    ) % {"open": ", ".join(sorted(allowed)), "closed": ", ".join(closed)}


def check_open_indicators(assessment: Assessment, indicators: Iterable[str]) -> None:
    """Refuse changes outside the indicators returned for correction."""
    problem = closed_indicators_problem(assessment, indicators)
    if problem is not None:
        raise WorkflowError(problem)


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


@dataclass(frozen=True)
class Change:
    """One history entry to write: what changed on which assessment, before and after."""

    assessment: Assessment
    kind: str
    target: str = ""
    old: Any = None
    new: Any = None
    comment: str = ""


def bump(
    assessments: Iterable[Assessment], *, actor: Any = None, changes: Iterable[Change] = ()
) -> None:
    """Step the version of changed (locked) assessments, refresh their stored counts of
    answered and evidenced items, append the history entries of the change, and announce
    it once the transaction commits."""
    assessments = list(assessments)
    ids = [a.pk for a in assessments]
    now = timezone.now()
    Assessment.objects.filter(pk__in=ids).update(
        version=F("version") + 1,
        updated_at=now,
        answered_count=Coalesce(_answered(), Value(0)),
        evidenced_count=Coalesce(_evidenced(), Value(0)),
    )
    if len(assessments) == 1:
        assessments[0].refresh_from_db(
            fields=["version", "updated_at", "status", "answered_count", "evidenced_count"]
        )
    else:
        for assessment in assessments:  # locked: nobody else stepped it
            assessment.version += 1
    AssessmentEvent.objects.bulk_create(
        (
            AssessmentEvent(
                assessment=change.assessment,
                kind=change.kind,
                target=change.target,
                old=change.old,
                new=change.new,
                comment=change.comment,
                actor=actor,
                at=now,
                version=change.assessment.version,
            )
            for change in changes
        ),
        batch_size=2_000,
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
