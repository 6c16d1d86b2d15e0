"""Dashboard: ranking stability. How far each community's rank moves when the indicator
weights move a little, for the reader's scope; administrators start new runs here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import permissions
from common.errors import ConflictError, DomainError
from common.forms import add_domain_error
from common.params import int_param
from reports.charts.stability import CORE_SHARE, level_where, ranges_chart
from reports.forms import StabilityRunForm
from reports.scope import Scope, dashboard_scope
from reports.selectors import stability as selectors
from scoring.models import StabilityRun
from scoring.services import stability_run_start

PAGE_SIZE = 50
CHART_SIZE = 30


@login_required
def stability(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    return _render(request, scope, StabilityRunForm())


@login_required
@require_POST
def stability_run(request: HttpRequest) -> HttpResponse:
    """Start a run for the round of ``?round=`` (administrators only). Without a broker
    the run is computed before the answer, so the page shows its results at once."""
    scope = dashboard_scope(request)
    if not permissions.is_admin(request.user):
        raise PermissionDenied
    if scope.round is None:
        raise Http404
    form = StabilityRunForm(request.POST)
    if form.is_valid():
        try:
            run = stability_run_start(
                round=scope.round,
                draws=form.cleaned_data["draws"],
                spread=form.cleaned_data["spread"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            return _render(
                request, scope, form, status=409 if isinstance(error, ConflictError) else 400
            )
        run.refresh_from_db()
        if run.status == StabilityRun.Status.FINISHED:
            messages.success(request, _("Ranking stability was computed again."))
        else:
            messages.success(
                request, _("A new run has started; its results replace these when it finishes.")
            )
        return HttpResponseRedirect(f"{reverse('dashboard:stability')}?{scope.query()}")
    return _render(request, scope, form, status=400)


def _render(
    request: HttpRequest, scope: Scope, form: StabilityRunForm, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {"scope": scope, "tab": "stability"}
    if scope.round is not None:
        level = selectors.level_of(scope)
        runs = selectors.runs(scope)
        page, rows = selectors.page(scope, level, int_param(request.GET.get("page")), PAGE_SIZE)
        context.update(
            level=level,
            runs=runs,
            summary=selectors.summary(scope, level, runs.finished),
            chart=ranges_chart(scope, level, selectors.top(scope, level, CHART_SIZE)),
            where=level_where(level),
            share=CORE_SHARE,
            page=page,
            rows=rows,
            form=form if permissions.is_admin(request.user) else None,
        )
    return render(request, "reports/dashboard/stability.html", context, status=status)
