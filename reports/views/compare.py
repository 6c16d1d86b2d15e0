"""Dashboard: communities side by side."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from common.params import text_param
from reports.scope import dashboard_scope
from reports.selectors.compare import MAX_CHOSEN, MIN_CHOSEN, compare_page


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    page = compare_page(
        scope=scope, values=request.GET.getlist("c"), search=text_param(request.GET.get("q"))
    )
    return render(
        request,
        "reports/dashboard/compare.html",
        {
            "scope": scope,
            "tab": "compare",
            "page": page,
            "min_chosen": MIN_CHOSEN,
            "max_chosen": MAX_CHOSEN,
        },
    )
