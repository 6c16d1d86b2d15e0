"""Rounds: creating, changing and deleting them, and the rules that protect their results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.choices import AssessmentStatus, RoundStatus
from assessments.errors import ValidationFailed
from assessments.files import delete_files
from assessments.models import (
    Answer,
    Assessment,
    AssessmentEvent,
    Evidence,
    IndicatorNote,
    ItemReview,
    ReviewDecision,
    Round,
    Submission,
)
from assessments.signals import round_deleting, round_scoring_changed
from common.errors import Problem
from indicators.models import Framework

_BAND_KEYS = {"code", "minimum", "name_zh", "name_en"}


def grade_bands_clean(raw: Any) -> list[dict[str, str]]:
    """Grade bands as a round stores them, or ValidationFailed at the field ``grade_bands``.

    Bands run from the highest minimum down to 0 (totals are 0-100), each with a unique code
    and a Chinese name: ``[{"code", "minimum", "name_zh", "name_en"}, ...]``.
    """

    def bad(message: str) -> ValidationFailed:
        return ValidationFailed(Problem(message, "grade_bands"))

    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise bad(_("Give the grade bands as a list, highest first."))
    bands: list[dict[str, str]] = []
    problems: list[str] = []
    for number, band in enumerate(raw, start=1):
        if not isinstance(band, Mapping):
            problems.append(_("Band %(n)d is not an object.") % {"n": number})
            continue
        unknown = sorted(map(str, set(band) - _BAND_KEYS))
        if unknown:
            problems.append(
                _("Band %(n)d has unknown keys: %(keys)s.")
                % {"n": number, "keys": ", ".join(unknown)}
            )
        code, name_zh = str(band.get("code") or "").strip(), str(band.get("name_zh") or "").strip()
        if not code:
            problems.append(_("Band %(n)d needs a code.") % {"n": number})
        if not name_zh:
            problems.append(_("Band %(n)d needs a Chinese name.") % {"n": number})
        minimum = _minimum(band.get("minimum"))
        if minimum is None:
            problems.append(_("Band %(n)d needs a minimum between 0 and 100.") % {"n": number})
            continue
        bands.append(
            {
                "code": code,
                "minimum": str(minimum),
                "name_zh": name_zh,
                "name_en": str(band.get("name_en") or "").strip(),
            }
        )
    if not problems:
        problems.extend(_order_problems(bands))
    if problems:
        raise ValidationFailed(*(Problem(p, "grade_bands") for p in problems))
    return bands


def _minimum(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and 0 <= value <= 100 else None


def _order_problems(bands: list[dict[str, str]]) -> list[str]:
    problems = []
    codes = [band["code"] for band in bands]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(_("The grade code %(code)s is used twice.") % {"code": code})
    minima = [Decimal(band["minimum"]) for band in bands]
    if any(higher <= lower for higher, lower in pairwise(minima)):
        problems.append(
            _("List the bands from the highest minimum down, each lower than the last.")
        )
    if minima[-1] != 0:
        problems.append(_("The last band must start at 0, so every total gets a grade."))
    return problems


def _round_problems(
    *,
    name: str,
    period_start: date,
    period_end: date,
    submission_deadline: date,
    review_deadline: date,
    status: str,
    exclude_pk: int | None,
) -> list[Problem]:
    problems = []
    if not name:
        problems.append(Problem(_("The name is required."), "name"))
    elif Round.objects.filter(name=name).exclude(pk=exclude_pk or 0).exists():
        problems.append(Problem(_("A round with this name exists."), "name"))
    if period_end < period_start:
        problems.append(Problem(_("The period must end after it starts."), "period_end"))
    if review_deadline < submission_deadline:
        problems.append(
            Problem(
                _("The review deadline must not be before the submission deadline."),
                "review_deadline",
            )
        )
    if status not in RoundStatus.values:
        problems.append(Problem(_("Unknown round status %(s)s.") % {"s": status}, "status"))
    return problems


@transaction.atomic
def round_create(
    *,
    name: str,
    framework: Framework,
    period_start: date,
    period_end: date,
    submission_deadline: date,
    review_deadline: date,
    status: str = RoundStatus.OPEN,
    evidence_required: bool = True,
    grade_bands: Any = None,
) -> Round:
    """Create a round; a name that exists is an error (use round_update to change one)."""
    name = name.strip()
    problems = _round_problems(
        name=name,
        period_start=period_start,
        period_end=period_end,
        submission_deadline=submission_deadline,
        review_deadline=review_deadline,
        status=status,
        exclude_pk=None,
    )
    if problems:
        raise ValidationFailed(*problems)
    return Round.objects.create(
        name=name,
        framework=framework,
        period_start=period_start,
        period_end=period_end,
        submission_deadline=submission_deadline,
        review_deadline=review_deadline,
        status=status,
        evidence_required=evidence_required,
        grade_bands=None if grade_bands in (None, []) else grade_bands_clean(grade_bands),
    )


_UPDATABLE = {
    "name",
    "framework",
    "period_start",
    "period_end",
    "submission_deadline",
    "review_deadline",
    "status",
    "evidence_required",
    "grade_bands",
}


@transaction.atomic
def round_update(*, round: Round, **changes: Any) -> Round:
    """Change a round. Its framework is fixed once it has assessments; new grade bands
    rescore the whole round once the change commits."""
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise TypeError(f"round_update got unknown fields: {sorted(unknown)}")
    locked = Round.objects.select_for_update().get(pk=round.pk)
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
    if "grade_bands" in changes:
        bands = changes["grade_bands"]
        changes["grade_bands"] = None if bands in (None, []) else grade_bands_clean(bands)
    merged = {field: changes.get(field, getattr(locked, field)) for field in _UPDATABLE}
    problems = _round_problems(
        name=merged["name"],
        period_start=merged["period_start"],
        period_end=merged["period_end"],
        submission_deadline=merged["submission_deadline"],
        review_deadline=merged["review_deadline"],
        status=merged["status"],
        exclude_pk=locked.pk,
    )
    framework_changed = merged["framework"].pk != locked.framework_id
    if framework_changed and Assessment.objects.filter(round=locked).exists():
        problems.append(
            Problem(
                _("The round has assessments, so its framework can no longer change."),
                "framework",
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    rescore = merged["grade_bands"] != locked.grade_bands or framework_changed
    for field, value in merged.items():
        setattr(locked, field, value)
    locked.save()
    if rescore:
        round_id = locked.pk
        transaction.on_commit(lambda: round_scoring_changed.send(Round, round_id=round_id))
    return locked


@transaction.atomic
def round_delete(*, round: Round) -> None:
    """Delete a round with everything in it, in a few statements and without loading its
    rows. A round with approved results cannot be deleted."""
    locked = Round.objects.select_for_update().get(pk=round.pk)
    if Assessment.objects.filter(round=locked, status=AssessmentStatus.APPROVED).exists():
        raise ValidationFailed(
            _("This round has approved assessments; close it instead of deleting it.")
        )
    files = list(
        Evidence.objects.filter(assessment__round=locked)
        .exclude(file="")
        .values_list("file", flat=True)
    )
    round_deleting.send(Round, round_id=locked.pk)
    in_round = {"assessment__round": locked}
    for model in (
        Answer,
        IndicatorNote,
        Evidence,
        ItemReview,
        ReviewDecision,
        AssessmentEvent,
        Submission,
    ):
        _raw_delete(model.objects.filter(**in_round))
    _raw_delete(Assessment.assessors.through.objects.filter(**in_round))
    _raw_delete(Assessment.objects.filter(round=locked))
    locked.delete()
    transaction.on_commit(lambda: delete_files(files))


def _raw_delete(queryset: Any) -> None:
    """One DELETE statement, skipping Django's collector, which would load every row to
    cascade and send signals; the caller deletes the dependent rows first."""
    queryset._raw_delete(queryset.db)
