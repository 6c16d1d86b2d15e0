"""Dashboard: regions (to be built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from assessments.models import Region
from reports.scope import dashboard_scope


@login_required
def province(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    return render(request, "reports/dashboard/base.html", {"scope": scope, "tab": "regions"})


@login_required
def region(request: HttpRequest, pk: int) -> HttpResponse:
    scope = dashboard_scope(request)
    found = get_object_or_404(Region, pk=pk)
    if not scope.contains(found):
        raise Http404
    return render(request, "reports/dashboard/base.html", {"scope": scope, "tab": "regions"})
