"""Dashboard: the overview of the reader's scope in the chosen round."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reports.scope import dashboard_scope
from reports.selectors.overview import overview as overview_of


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    return render(
        request,
        "reports/dashboard/overview.html",
        {"scope": scope, "tab": "overview", "data": overview_of(scope)},
    )
