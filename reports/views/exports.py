"""Dashboard: the ranking and the indicator scores as .xlsx or .csv files.

Small exports are answered at once. A larger one is described on a page that starts it by a
POST (a link or a prefetch never queues work); it becomes a job written in the background,
followed on a status page and downloaded by its owner only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods

from common.errors import ConflictError
from common.params import choice_param
from reports.exports import services
from reports.exports.tables import ExportTable
from reports.exports.writers import CONTENT_TYPES, export_bytes
from reports.models import ExportJob
from reports.scope import dashboard_scope
from reports.selectors.ranking import ranking_filters
from reports.views.downloads import attachment, file_download


@login_required
@require_http_methods(["GET", "POST"])
def ranking_export(request: HttpRequest) -> HttpResponse:
    return _export(request, ExportJob.Kind.RANKING)


@login_required
@require_http_methods(["GET", "POST"])
def matrix_export(request: HttpRequest) -> HttpResponse:
    return _export(request, ExportJob.Kind.MATRIX)


def _export(request: HttpRequest, kind: str) -> HttpResponse:
    scope = dashboard_scope(request)
    if scope.round is None:
        raise Http404
    fmt = choice_param(request.GET.get("format"), ExportJob.Format.values) or "xlsx"
    filters, _regions = ranking_filters(scope, request.GET)
    table = ExportTable(kind=kind, scope=scope, filters=filters)
    inline = settings.EXPORT_INLINE_ROWS
    ids = table.card_ids(limit=inline + 1)
    if len(ids) <= inline:
        response = HttpResponse(export_bytes(table, fmt, ids), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = attachment(table.file_name(fmt))
        return response
    error = None
    if request.method == "POST":
        try:
            job = services.export_job_create(
                owner=request.user,
                kind=kind,
                fmt=fmt,
                params={
                    "round": str(scope.round.pk),
                    **filters.params(),
                    "language": translation.get_language() or settings.LANGUAGE_CODE,
                },
                download_name=table.file_name(fmt),
            )
        except ConflictError as exc:
            error = exc.messages[0]
        else:
            return redirect(f"{reverse('dashboard:export-status', args=[job.pk])}?{scope.query()}")
    context = {
        "scope": scope,
        "tab": "ranking",
        "table": table,
        "format_label": ExportJob.Format(fmt).label,
        "rows": table.count(),
        "error": error,
        "recent": services.recent_jobs(request.user),
    }
    return render(
        request, "reports/dashboard/export_confirm.html", context, status=409 if error else 200
    )


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress; htmx asks for the fragment every 2 s until the job ends."""
    scope = dashboard_scope(request)
    job = get_object_or_404(ExportJob, pk=pk, owner=request.user)
    context = {
        "scope": scope,
        "tab": "ranking",
        "job": job,
        "polling": job.status in (ExportJob.Status.PENDING, ExportJob.Status.RUNNING),
        "percent": round(100 * job.done / job.total) if job.total else 0,
    }
    if request.headers.get("HX-Request"):
        return render(request, "reports/dashboard/_export_status.html", context)
    return render(request, "reports/dashboard/export_status.html", context)


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    dashboard_scope(request)
    job = get_object_or_404(ExportJob, pk=pk, owner=request.user, status=ExportJob.Status.DONE)
    path = services.export_path(job)
    if not path.is_file():
        raise Http404
    return file_download(path, CONTENT_TYPES[job.format], job.download_name)
