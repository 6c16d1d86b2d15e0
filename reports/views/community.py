"""Dashboard: one community's scorecard, and its path to the next grade."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments import permissions
from reports.scope import dashboard_scope
from reports.selectors.next_grade import next_grade_page
from reports.selectors.scorecard import community_page


@login_required
def community(request: HttpRequest, pk: int) -> HttpResponse:
    scope = dashboard_scope(request)
    page = community_page(scope=scope, pk=pk)
    return render(
        request,
        "reports/dashboard/community.html",
        {
            "scope": scope,
            "tab": "ranking",
            "page": page,
            "can_review": permissions.is_admin(request.user),
        },
    )


@login_required
def next_grade(request: HttpRequest, pk: int) -> HttpResponse:
    scope = dashboard_scope(request)
    page = next_grade_page(scope=scope, pk=pk)
    return render(
        request,
        "reports/dashboard/next_grade.html",
        {"scope": scope, "tab": "ranking", "page": page},
    )
