"""Dashboard: overview (to be built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reports.scope import dashboard_scope


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    return render(request, "reports/dashboard/base.html", {"scope": scope, "tab": "overview"})
