"""Result pages. Thin: parse the request, call a selector, render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments import selectors as assessment_selectors
from assessments.choices import AssessmentStatus
from assessments.models import Assessment
from common.params import choice_param, int_param, text_param
from indicators.grades import grade_name
from indicators.specs import framework_catalog
from reports import selectors

PAGE_SIZE = 50


@dataclass(frozen=True)
class _HomeRow:
    assessment: Assessment
    card: Any
    grade: str
    score_pending: bool

    @classmethod
    def of(cls, assessment: Assessment, bands: list[dict[str, Any]]) -> _HomeRow:
        card = getattr(assessment, "scorecard", None)
        return cls(
            assessment=assessment,
            card=card,
            grade=grade_name(bands, card.grade) if card else "",
            # The score of the last change is still being computed (or its task is queued).
            score_pending=card is None or card.assessment_version < assessment.version,
        )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's assessments: assigned ones for assessors, the visible scope for others,
    with progress and the current score."""
    rounds = list(assessment_selectors.round_list(user=request.user))
    wanted = int_param(request.GET.get("round"))
    chosen = next((r for r in rounds if r.pk == wanted), rounds[0] if rounds else None)
    status = choice_param(request.GET.get("status"), AssessmentStatus.values)
    search = text_param(request.GET.get("q"))
    page, assessments = selectors.home_page(
        user=request.user,
        round_id=chosen.pk if chosen else None,
        status=status,
        search=search,
        page=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    counts = assessment_selectors.assessment_status_counts(
        user=request.user, round_id=chosen.pk if chosen else None
    )
    bands = (chosen.grade_bands or chosen.framework.grade_bands) if chosen else []
    return render(
        request,
        "reports/home.html",
        {
            "rounds": rounds,
            "round": chosen,
            "status": status,
            "search": search or "",
            "statuses": AssessmentStatus.choices,
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in AssessmentStatus.choices
            ],
            "item_total": len(framework_catalog(chosen.framework).spec.items) if chosen else 0,
            "page": page,
            "rows": [_HomeRow.of(assessment, bands) for assessment in assessments],
        },
    )
