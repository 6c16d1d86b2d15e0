"""Dashboard: heat maps of attainment per indicator, by community and by area."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reports.attainment import legend
from reports.scope import dashboard_scope
from reports.selectors import heatmap as selectors


@login_required
def heatmap(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    return render(
        request,
        "reports/dashboard/heatmap.html",
        {
            "scope": scope,
            "tab": "heatmap",
            "map": selectors.community_map(scope, request.GET),
            "legend": legend(),
        },
    )


@login_required
def heatmap_regions(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    return render(
        request,
        "reports/dashboard/heatmap_regions.html",
        {
            "scope": scope,
            "tab": "heatmap",
            "map": selectors.area_map(scope, request.GET),
            "legend": legend(),
        },
    )
