"""Pages of the assessments app. Thin: parse the request, call a selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments import selectors
from assessments.choices import AssessmentStatus

PAGE_SIZE = 50


def _int_or_none(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's assessments: assigned ones for assessors, the visible scope for others."""
    rounds = list(selectors.round_list(user=request.user))
    round_id = _int_or_none(request.GET.get("round"))
    if round_id is None and rounds:
        round_id = rounds[0].pk
    status = request.GET.get("status") or None
    if status not in AssessmentStatus.values:
        status = None
    search = (request.GET.get("q") or "").strip()[:100] or None
    assessments = selectors.assessment_list(
        user=request.user, round_id=round_id, status=status, search=search
    )
    counts = selectors.assessment_status_counts(user=request.user, round_id=round_id)
    page = Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/home.html",
        {
            "rounds": rounds,
            "round_id": round_id,
            "status": status,
            "search": search or "",
            "statuses": AssessmentStatus.choices,
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in AssessmentStatus.choices
            ],
            "page": page,
        },
    )
