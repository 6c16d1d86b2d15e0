"""The only code that writes assessments data. Every function checks permission and state,
validates before writing, and runs in one transaction, so nothing is ever half-saved."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.choices import (
    REGION_LEVEL_DEPTH,
    AreaType,
    AssessmentStatus,
    ItemReviewStatus,
    RegionLevel,
    ReviewAction,
    RoundStatus,
)
from assessments.errors import (
    EvidenceError,
    InvalidAnswersError,
    NotAllowedError,
    StaleVersionError,
    WorkflowError,
)
from assessments.models import (
    Answer,
    Assessment,
    Community,
    Evidence,
    ItemReview,
    Region,
    ReviewDecision,
    Round,
)
from assessments.signals import assessment_changed
from indicators.models import Framework, Item
from indicators.specs import framework_spec
from scoring.engine import AnswerError, score, validate_answer, validate_answers

# --- regions and communities -------------------------------------------------------------


def region_placement_problem(*, level: str, parent: Region | None) -> str | None:
    """Why a region of ``level`` cannot sit under ``parent`` (None when it can)."""
    if (parent is None) != (level == RegionLevel.PROVINCE):
        return _("Only a province has no parent region.")
    if parent is not None and REGION_LEVEL_DEPTH[RegionLevel(level)] != (
        REGION_LEVEL_DEPTH[RegionLevel(parent.level)] + 1
    ):
        return _("A region must be one level below its parent.")
    return None


@transaction.atomic
def region_create(
    *, code: str, name_zh: str, name_en: str = "", level: str, parent: Region | None
) -> Region:
    """Create a region, or update the one with this code (idempotent); its path and its
    city and district links are derived here."""
    problem = region_placement_problem(level=level, parent=parent)
    if problem:
        raise WorkflowError(problem)
    region, _created = Region.objects.update_or_create(
        code=code,
        defaults={
            "name_zh": name_zh,
            "name_en": name_en,
            "level": level,
            "parent": parent,
            "path": f"{parent.path if parent else ''}{code}/",
            "city": parent.city if parent and level != RegionLevel.CITY else None,
            "district": parent.district if parent and level == RegionLevel.STREET else None,
        },
    )
    updates: dict[str, Region] = {}
    if level == RegionLevel.CITY:
        updates["city"] = region
    elif level == RegionLevel.DISTRICT:
        updates["district"] = region
    if updates:
        Region.objects.filter(pk=region.pk).update(**updates)
        for field, value in updates.items():
            setattr(region, field, value)
    return region


@transaction.atomic
def community_create(
    *,
    name: str,
    region: Region,
    households: int,
    residents: int,
    address: str = "",
    area_type: str = AreaType.URBAN,
    contact_name: str = "",
    contact_phone: str = "",
) -> Community:
    """Create a community, or update the one of that name in that region (idempotent)."""
    if residents < households:
        raise WorkflowError(_("A community cannot have fewer residents than households."))
    community, _created = Community.objects.update_or_create(
        region=region,
        name=name,
        defaults={
            "households": households,
            "residents": residents,
            "address": address,
            "area_type": area_type,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
        },
    )
    return community


# --- rounds and assessments --------------------------------------------------------------


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
) -> Round:
    if period_end < period_start:
        raise WorkflowError(_("The period must end after it starts."))
    if review_deadline < submission_deadline:
        raise WorkflowError(_("The review deadline must not be before the submission deadline."))
    round_, _created = Round.objects.get_or_create(
        name=name,
        defaults={
            "framework": framework,
            "period_start": period_start,
            "period_end": period_end,
            "submission_deadline": submission_deadline,
            "review_deadline": review_deadline,
            "status": status,
            "evidence_required": evidence_required,
        },
    )
    return round_


@transaction.atomic
def assessment_create(
    *, round: Round, community: Community, assessors: Iterable[Any] = ()
) -> Assessment:
    """The assessment of a community in a round (idempotent), with its assessors."""
    assessment, _created = Assessment.objects.get_or_create(round=round, community=community)
    assessors = list(assessors)
    if assessors:
        assessment.assessors.add(*assessors)
    return assessment


# --- answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerChange:
    """A change to one item: ``value`` as in scoring.md section 3, ``{"na": true}`` for not
    applicable, or None to clear the answer. ``note`` None leaves the note as it is."""

    value: Any
    note: str | None = None


def _lock_editable(actor: Any, assessment: Assessment, expected_version: int | None) -> Assessment:
    if not permissions.can_edit_assessment(actor, assessment):
        raise NotAllowedError()
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


def _bump(assessment: Assessment) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    assessment.refresh_from_db(fields=["version", "updated_at", "status"])
    transaction.on_commit(lambda: assessment_changed.send(Assessment, assessment_id=assessment.pk))


def current_engine_answers(assessment: Assessment) -> dict[str, Any]:
    """The stored answers keyed by item code, as the scoring engine reads them."""
    return {
        code: ({"na": True} if na else value)
        for code, value, na in assessment.answers.values_list(
            "item__code", "value", "not_applicable"
        )
    }


@transaction.atomic
def answers_save(
    *,
    actor: Any,
    assessment: Assessment,
    changes: Mapping[str, AnswerChange],
    expected_version: int | None = None,
) -> Assessment:
    """Save several answers at once: all are validated first, and either all are stored or
    none (InvalidAnswersError lists every problem, naming each item)."""
    locked = _lock_editable(actor, assessment, expected_version)
    if not changes:
        return locked
    spec = framework_spec(locked.round.framework)
    errors: list[AnswerError] = []
    for code, change in changes.items():
        item_spec = spec.items.get(code)
        if item_spec is None:
            errors.append(AnswerError(code, "unknown_item", f"{code}: unknown item code"))
        elif change.value is not None:
            errors.extend(validate_answer(item_spec, change.value))
    if not errors:
        merged = current_engine_answers(locked)
        for code, change in changes.items():
            if change.value is None:
                merged.pop(code, None)
            else:
                merged[code] = change.value
        errors = validate_answers(spec, merged)
    if errors:
        raise InvalidAnswersError(errors)

    items = dict(
        Item.objects.filter(framework=locked.round.framework, code__in=list(changes)).values_list(
            "code", "pk"
        )
    )
    cleared = [items[code] for code, change in changes.items() if change.value is None]
    if cleared:
        Answer.objects.filter(assessment=locked, item_id__in=cleared).delete()
    notes = dict(locked.answers.filter(item_id__in=items.values()).values_list("item_id", "note"))
    rows = [
        Answer(
            assessment=locked,
            item_id=items[code],
            value=None if _is_na(change.value) else change.value,
            not_applicable=_is_na(change.value),
            note=change.note if change.note is not None else notes.get(items[code], ""),
            updated_by=actor,
        )
        for code, change in changes.items()
        if change.value is not None
    ]
    Answer.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["assessment", "item"],
        update_fields=["value", "not_applicable", "note", "updated_by", "updated_at"],
    )
    _bump(locked)
    return locked


def _is_na(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get("na") is True


# --- workflow --------------------------------------------------------------------------


def _record(
    assessment: Assessment, actor: Any, action: str, to_status: str, comment: str = ""
) -> None:
    ReviewDecision.objects.create(
        assessment=assessment,
        action=action,
        from_status=assessment.status,
        to_status=to_status,
        comment=comment,
        actor=actor,
    )
    assessment.status = to_status


def submission_problems(assessment: Assessment) -> list[str]:
    """Why the assessment cannot be submitted yet (empty when it can)."""
    spec = framework_spec(assessment.round.framework)
    answers = current_engine_answers(assessment)
    problems = [
        _("%(item)s has no answer.") % {"item": code} for code in spec.items if code not in answers
    ]
    if assessment.round.evidence_required:
        with_evidence = set(assessment.evidence.values_list("item__code", flat=True))
        result = score(spec, answers)
        problems.extend(
            _("%(item)s scores above zero but has no evidence.") % {"item": item.code}
            for indicator in result.indicators
            for item in indicator.items
            if item.s and item.code not in with_evidence
        )
    return problems


@transaction.atomic
def assessment_submit(
    *, actor: Any, assessment: Assessment, expected_version: int | None = None
) -> Assessment:
    locked = _lock_editable(actor, assessment, expected_version)
    problems = submission_problems(locked)
    if problems:
        raise WorkflowError(*problems)
    _record(locked, actor, ReviewAction.SUBMIT, AssessmentStatus.SUBMITTED)
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at"])
    _bump(locked)
    return locked


def _lock_for_review(actor: Any, assessment: Assessment, *expected: str) -> Assessment:
    if not permissions.can_review_assessment(actor, assessment):
        raise NotAllowedError()
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status not in expected:
        raise WorkflowError(
            _("This assessment is %(status)s; the action is not possible now.")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def assessment_return(*, actor: Any, assessment: Assessment, comment: str) -> Assessment:
    """Send a submitted assessment back to its assessors, with the reason."""
    if not comment.strip():
        raise WorkflowError(_("Say what needs correcting when returning an assessment."))
    locked = _lock_for_review(actor, assessment, AssessmentStatus.SUBMITTED)
    _record(locked, actor, ReviewAction.RETURN, AssessmentStatus.RETURNED, comment.strip())
    locked.save(update_fields=["status"])
    _bump(locked)
    return locked


@transaction.atomic
def assessment_approve(*, actor: Any, assessment: Assessment, comment: str = "") -> Assessment:
    locked = _lock_for_review(actor, assessment, AssessmentStatus.SUBMITTED)
    _record(locked, actor, ReviewAction.APPROVE, AssessmentStatus.APPROVED, comment.strip())
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_at"])
    _bump(locked)
    return locked


@transaction.atomic
def assessment_reopen(*, actor: Any, assessment: Assessment, comment: str) -> Assessment:
    """Take an approved assessment back to 'returned' (for example after an appeal)."""
    if not comment.strip():
        raise WorkflowError(_("Give a reason for reopening an approved assessment."))
    locked = _lock_for_review(actor, assessment, AssessmentStatus.APPROVED)
    _record(locked, actor, ReviewAction.REOPEN, AssessmentStatus.RETURNED, comment.strip())
    locked.approved_at = None
    locked.save(update_fields=["status", "approved_at"])
    _bump(locked)
    return locked


@transaction.atomic
def item_review_set(
    *, actor: Any, assessment: Assessment, item_code: str, status: str, comment: str = ""
) -> ItemReview:
    """Accept or reject the evidence of one item of a submitted assessment."""
    locked = _lock_for_review(actor, assessment, AssessmentStatus.SUBMITTED)
    if status == ItemReviewStatus.REJECTED and not comment.strip():
        raise WorkflowError(_("Say why the evidence is rejected."))
    item = Item.objects.filter(framework_id=locked.round.framework_id, code=item_code).first()
    if item is None:
        raise WorkflowError(_("Unknown item %(item)s.") % {"item": item_code})
    review, _created = ItemReview.objects.update_or_create(
        assessment=locked,
        item=item,
        defaults={"status": status, "comment": comment.strip(), "reviewer": actor},
    )
    _bump(locked)
    return review


# --- evidence --------------------------------------------------------------------------

ALLOWED_EVIDENCE_SUFFIXES = (
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".txt",
)


def _evidence_item(assessment: Assessment, item_code: str) -> Item:
    item = Item.objects.filter(framework_id=assessment.round.framework_id, code=item_code).first()
    if item is None:
        raise EvidenceError(_("Unknown item %(item)s.") % {"item": item_code})
    return item


@transaction.atomic
def evidence_add_link(
    *, actor: Any, assessment: Assessment, item_code: str, url: str, description: str = ""
) -> Evidence:
    locked = _lock_editable(actor, assessment, None)
    if not url.startswith(("https://", "http://")):
        raise EvidenceError(_("A link must start with http:// or https://."))
    evidence = Evidence.objects.create(
        assessment=locked,
        item=_evidence_item(locked, item_code),
        url=url,
        description=description,
        uploaded_by=actor,
    )
    _bump(locked)
    return evidence


@transaction.atomic
def evidence_add_file(
    *,
    actor: Any,
    assessment: Assessment,
    item_code: str,
    upload: UploadedFile,
    description: str = "",
) -> Evidence:
    """Store an uploaded file privately with its SHA-256; the size is capped before reading."""
    locked = _lock_editable(actor, assessment, None)
    item = _evidence_item(locked, item_code)
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    if not name.lower().endswith(ALLOWED_EVIDENCE_SUFFIXES):
        raise EvidenceError(
            _("Files of this type cannot be attached; use one of: %(types)s.")
            % {"types": " ".join(ALLOWED_EVIDENCE_SUFFIXES)}
        )
    if upload.size is None or upload.size > settings.UPLOAD_MAX_BYTES:
        raise EvidenceError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20}
        )
    if upload.size == 0:
        raise EvidenceError(_("The file is empty."))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        assessment=locked,
        item=item,
        original_name=name,
        description=description,
        sha256=digest.hexdigest(),
        size=upload.size,
        content_type=(upload.content_type or "application/octet-stream")[:100],
        uploaded_by=actor,
    )
    evidence.file.save(name, upload, save=False)
    try:
        evidence.save()
        _bump(locked)
    except Exception:
        evidence.file.storage.delete(evidence.file.name)  # no file without its row
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, actor: Any, evidence: Evidence) -> None:
    locked = _lock_editable(actor, evidence.assessment, None)
    stored = evidence.file.name
    evidence.delete()
    if stored:
        storage = evidence.file.storage
        transaction.on_commit(lambda: storage.delete(stored))
    _bump(locked)


@dataclass(frozen=True)
class EvidenceLink:
    item_code: str
    url: str
    description: str = ""


@transaction.atomic
def evidence_add_links(
    *, actor: Any, assessment: Assessment, links: Iterable[EvidenceLink]
) -> list[Evidence]:
    """Attach several links at once (one check, one version step), e.g. from an import."""
    locked = _lock_editable(actor, assessment, None)
    links = list(links)
    bad = [link.url for link in links if not link.url.startswith(("https://", "http://"))]
    if bad:
        raise EvidenceError(
            *(_("A link must start with http:// or https://: %(url)s") % {"url": u} for u in bad)
        )
    items = dict(
        Item.objects.filter(
            framework_id=locked.round.framework_id, code__in={link.item_code for link in links}
        ).values_list("code", "pk")
    )
    unknown = sorted({link.item_code for link in links} - set(items))
    if unknown:
        raise EvidenceError(*(_("Unknown item %(item)s.") % {"item": code} for code in unknown))
    created = Evidence.objects.bulk_create(
        Evidence(
            assessment=locked,
            item_id=items[link.item_code],
            url=link.url,
            description=link.description,
            uploaded_by=actor,
        )
        for link in links
    )
    _bump(locked)
    return created
