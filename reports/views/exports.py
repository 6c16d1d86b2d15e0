"""Dashboard: exports (to be built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from reports.scope import dashboard_scope


@login_required
def ranking_export(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    return render(request, "reports/dashboard/base.html", {"scope": scope, "tab": "exports"})


@login_required
def matrix_export(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    return render(request, "reports/dashboard/base.html", {"scope": scope, "tab": "exports"})


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    dashboard_scope(request)
    raise Http404


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    dashboard_scope(request)
    raise Http404
