"""Dashboard: community (to be built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from assessments.models import Community
from reports.scope import Scope, dashboard_scope


@login_required
def community(request: HttpRequest, pk: int) -> HttpResponse:
    scope = dashboard_scope(request)
    get_object_or_404(Community, pk=pk, **scope_filter(scope))
    return render(request, "reports/dashboard/base.html", {"scope": scope, "tab": "ranking"})


@login_required
def next_grade(request: HttpRequest, pk: int) -> HttpResponse:
    scope = dashboard_scope(request)
    get_object_or_404(Community, pk=pk, **scope_filter(scope))
    return render(request, "reports/dashboard/base.html", {"scope": scope, "tab": "ranking"})


def scope_filter(scope: Scope) -> dict[str, object]:
    return {"region__path__startswith": scope.region.path} if scope.region else {}
