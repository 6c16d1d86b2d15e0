"""Dashboard: an area's results across rounds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reports.scope import dashboard_scope
from reports.selectors import trends as selectors


@login_required
def trends(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    region = selectors.trends_region(scope, request.GET.get("region"))
    return render(
        request,
        "reports/dashboard/trends.html",
        {"scope": scope, "tab": "trends", "data": selectors.trends(scope, region)},
    )
