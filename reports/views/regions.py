"""Dashboard: results by region, from the reader's own area down to communities."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments.choices import RegionLevel
from assessments.models import Region
from reports.scope import Scope, dashboard_scope
from reports.selectors import regions as selectors


@login_required
def province(request: HttpRequest) -> HttpResponse:
    """The top of the reader's drill-down: the province, or an official's own area."""
    scope = dashboard_scope(request)
    return _render(request, scope, scope.region)


@login_required
def region(request: HttpRequest, pk: int) -> HttpResponse:
    scope = dashboard_scope(request)
    found = selectors.region_in_scope(scope, pk)
    if found.level == RegionLevel.PROVINCE:
        return redirect(f"{reverse('dashboard:regions')}?{scope.query()}")
    if found.level == RegionLevel.STREET:
        # Results stop at districts: a street's page is its district's.
        if found.district is None:
            raise Http404
        return redirect(selectors.region_url(scope, found.district))
    return _render(request, scope, found)


def _render(request: HttpRequest, scope: Scope, area: Region | None) -> HttpResponse:
    return render(
        request,
        "reports/dashboard/region.html",
        {
            "scope": scope,
            "tab": "regions",
            "data": selectors.region_page(scope, area, request.GET.get("page")),
        },
    )
