"""Verification codes of printed scorecards.

A code is a keyed hash (HMAC with the portal's secret key) of the figures a scorecard
certifies: the assessment, its total, grade and 24 indicator scores, the framework and its
edition, and the approval (which decision, when). Only approved scorecards get one. The
code is stored when it is first printed (``IssuedCode``), so the public verification page
can tell a code that was never issued (mistyped or altered) from one that was issued for
figures that are no longer current (the assessment was reopened or its scores changed).

Codes are 16 characters of Crockford's base 32 (80 bits), printed in groups of four.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from assessments.choices import AssessmentStatus, ReviewAction
from assessments.models import Assessment, ReviewDecision
from reports.models import IssuedCode
from scoring.models import ScoreCard

CODE_LENGTH = 16
_SALT = "reports.verification.scorecard"
# RFC 4648 base 32 turned into Crockford's alphabet (no I, L, O, U: nothing to misread).
_RFC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TO_CROCKFORD = str.maketrans(_RFC, _CROCKFORD)
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def certified_figures(assessment: Assessment, card: ScoreCard) -> dict[str, Any] | None:
    """What the code of an approved scorecard certifies (None unless approved)."""
    if assessment.status != AssessmentStatus.APPROVED:
        return None
    approval = (
        ReviewDecision.objects.filter(assessment=assessment, action=ReviewAction.APPROVE)
        .order_by("-created_at", "-pk")
        .values("pk", "created_at")
        .first()
    )
    if approval is None:
        return None
    framework = assessment.round.framework
    indicators = dict(
        card.indicators.order_by("indicator__order").values_list("indicator__code", "score")
    )
    return {
        "assessment": assessment.pk,
        "community": assessment.community_id,
        "round": assessment.round_id,
        "framework": framework.code,
        "edition": framework.version,
        "total": _decimal(card.total),
        "grade": card.grade,
        "indicators": {code: _decimal(score) for code, score in indicators.items()},
        "approval": {"decision": approval["pk"], "at": _instant(approval["created_at"])},
    }


def code_of(figures: dict[str, Any]) -> str:
    text = json.dumps(figures, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = salted_hmac(_SALT, text, algorithm="sha256").digest()
    return base64.b32encode(digest[:10]).decode("ascii").translate(_TO_CROCKFORD)


def issue_code(assessment: Assessment, card: ScoreCard) -> IssuedCode | None:
    """The code of the assessment's approved scorecard, stored the first time it is asked
    for (None while the assessment is not approved)."""
    figures = certified_figures(assessment, card)
    if figures is None:
        return None
    code = code_of(figures)
    found = IssuedCode.objects.filter(code=code).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return IssuedCode.objects.create(code=code, assessment=assessment, figures=figures)
    except IntegrityError:  # issued at the same moment by another request or worker
        return IssuedCode.objects.get(code=code)


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize_code(text: str) -> str | None:
    """A typed or scanned code in stored form (None when it cannot be one): spaces and
    dashes dropped, case ignored, letters easily misread taken for the digits they look
    like."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t").translate(_READ_AS)
    if len(cleaned) != CODE_LENGTH or any(ch not in _CROCKFORD for ch in cleaned):
        return None
    return cleaned


class Verdict:
    VALID = "valid"  # a current approved scorecard
    STALE = "stale"  # issued, but the assessment was reopened or its figures changed
    UNKNOWN = "unknown"  # never issued: mistyped, or the document was altered


@dataclass(frozen=True)
class Verification:
    verdict: str
    issued: IssuedCode | None = None
    current_total: Decimal | None = None

    @property
    def community(self) -> str:
        return self.issued.assessment.community.name if self.issued else ""

    @property
    def round(self) -> str:
        return self.issued.assessment.round.name if self.issued else ""

    @property
    def total(self) -> str:
        return str(self.issued.figures["total"]) if self.issued else ""

    @property
    def grade(self) -> str:
        return str(self.issued.figures["grade"]) if self.issued else ""


def verify_code(code: str) -> Verification:
    """Whether ``code`` (in stored form) certifies the current approved scorecard."""
    issued = (
        IssuedCode.objects.select_related(
            "assessment__community", "assessment__round__framework", "assessment__scorecard"
        )
        .filter(code=code)
        .first()
    )
    if issued is None:
        return Verification(Verdict.UNKNOWN)
    assessment = issued.assessment
    card = getattr(assessment, "scorecard", None)
    figures = certified_figures(assessment, card) if card is not None else None
    if figures is not None and code_of(figures) == code:
        return Verification(Verdict.VALID, issued)
    return Verification(Verdict.STALE, issued, card.total if card is not None else None)


def _decimal(value: Any) -> str:
    return f"{Decimal(str(value)):.2f}"


def _instant(value: datetime) -> str:
    return value.isoformat(timespec="microseconds")
