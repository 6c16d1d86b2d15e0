"""Lists: each role's home and the review queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments import permissions
from assessments import selectors as assessment_selectors
from assessments.choices import EDITABLE_STATUSES, AssessmentStatus
from assessments.models import Assessment
from common.params import choice_param, int_param, text_param
from indicators.grades import grade_name
from indicators.specs import framework_catalog
from reports.selectors import lists as selectors

PAGE_SIZE = 50


@dataclass(frozen=True)
class _Row:
    """An assessment in a list, with its stored score as people read it."""

    assessment: Assessment
    card: Any
    grade: str
    score_pending: bool
    days_left: int | None  # until the submission deadline, while it can still change
    rejected: int = 0

    @classmethod
    def of(cls, assessment: Assessment, bands: list[dict[str, Any]], rejected: int = 0) -> _Row:
        card = getattr(assessment, "scorecard", None)
        editable = assessment.status in EDITABLE_STATUSES
        return cls(
            assessment=assessment,
            card=card,
            grade=grade_name(bands, card.grade) if card else "",
            # The score of the last change is still being computed (or its task is queued).
            score_pending=card is None or card.assessment_version < assessment.version,
            days_left=(assessment.round.submission_deadline - timezone.localdate()).days
            if editable
            else None,
            rejected=rejected,
        )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's assessments: assigned ones for assessors, the visible scope for others,
    with progress and the current score."""
    rounds, chosen = assessment_selectors.round_choice(
        user=request.user, round_id=int_param(request.GET.get("round"))
    )
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
            "rows": [_Row.of(assessment, bands) for assessment in assessments],
            "is_reviewer": permissions.is_admin(request.user),
        },
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Administrators work through a round: submitted assessments oldest first, the
    overdue, the returned and the approved, by city and district; approve many at once."""
    if not permissions.is_admin(request.user):
        raise PermissionDenied
    rounds, chosen = assessment_selectors.round_choice(
        user=request.user, round_id=int_param(request.GET.get("round"))
    )
    tab = choice_param(request.GET.get("tab"), selectors.QUEUE_TABS) or "due"
    city = int_param(request.GET.get("city"))
    district = int_param(request.GET.get("district"))
    search = text_param(request.GET.get("q"))
    queue = selectors.review_queue(
        user=request.user,
        round_id=chosen.pk if chosen else None,
        tab=tab,
        city_id=city,
        district_id=district if city else None,
        search=search,
    )
    page, assessments = selectors.page_of(queue, request.GET.get("page"), PAGE_SIZE)
    rejected = selectors.with_rejections(assessments)
    bands = (chosen.grade_bands or chosen.framework.grade_bands) if chosen else []
    cities, districts = assessment_selectors.city_and_district_choices(city_id=city)
    return render(
        request,
        "reports/review_queue.html",
        {
            "rounds": rounds,
            "round": chosen,
            "tab": tab,
            "tabs": QUEUE_TAB_LABELS,
            "city": city,
            "district": district,
            "cities": cities,
            "districts": districts,
            "search": search or "",
            "page": page,
            "rows": [_Row.of(a, bands, rejected.get(a.pk, 0)) for a in assessments],
            "approvable": selectors.approvable_ids(queue) if tab == "due" else [],
        },
    )


QUEUE_TAB_LABELS = (
    ("due", _("Waiting for review")),
    ("overdue", _("Overdue")),
    ("returned", _("Returned")),
    ("approved", _("Approved")),
    ("all", _("All")),
)
