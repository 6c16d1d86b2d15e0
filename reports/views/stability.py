"""Dashboard: stability (to be built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from reports.scope import dashboard_scope


@login_required
def stability(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    return render(request, "reports/dashboard/base.html", {"scope": scope, "tab": "stability"})


@login_required
@require_POST
def stability_run(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    return render(request, "reports/dashboard/base.html", {"scope": scope, "tab": "stability"})
