"""Dashboard: every approved scorecard of a round in one area, as a ZIP of PDFs.

The page describes the batch for the reader's round and scope and starts it by a POST; the
batch is built in the background, followed on a status page and downloaded by its owner
only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.choices import RegionLevel
from assessments.models import Region
from common.errors import DomainError
from common.params import choice_param
from reports.models import PdfBatch
from reports.pdf import batches
from reports.pdf.documents import LANGUAGES, short_language
from reports.scope import Scope, dashboard_scope
from reports.selectors.regions import area_in_scope
from reports.views.downloads import file_download


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request: HttpRequest) -> HttpResponse:
    """What a batch of the round would hold, with a picker of the reader's areas; a POST
    queues it and sends the reader to its status page."""
    scope = dashboard_scope(request)
    data = request.POST if request.method == "POST" else request.GET
    area = area_in_scope(scope, data.get("region"))
    language = choice_param(data.get("language"), LANGUAGES) or short_language(
        translation.get_language()
    )
    error = None
    if request.method == "POST":
        try:
            batch = batches.pdf_batch_create(
                owner=request.user, scope=scope, region=area, language=language
            )
        except DomainError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(f"{reverse('dashboard:batch-status', args=[batch.pk])}?{scope.query()}")
    count = batches.batch_cards(scope, area).count() if scope.round is not None else 0
    context = {
        "scope": scope,
        "tab": "ranking",
        "area": area,
        "areas": _areas(scope),
        "language": language,
        "languages": [("zh", _("Chinese")), ("en", _("English"))],
        "count": count,
        "error": error,
        "recent": batches.recent_batches(request.user),
    }
    return render(request, "reports/dashboard/batches.html", context, status=409 if error else 200)


def _areas(scope: Scope) -> list[tuple[Region, int]]:
    """The cities and districts in the reader's scope, each with its depth (0: city)."""
    found = Region.objects.filter(level__in=(RegionLevel.CITY, RegionLevel.DISTRICT))
    if scope.region is not None:
        found = found.filter(path__startswith=scope.region.path)
    return [
        (region, 0 if region.level == RegionLevel.CITY else 1) for region in found.order_by("path")
    ]


@login_required
def batch_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch's progress; htmx asks for the fragment every 2 s until the batch ends."""
    scope = dashboard_scope(request)
    batch = get_object_or_404(PdfBatch, pk=pk, owner=request.user)
    context = {
        "scope": scope,
        "tab": "ranking",
        "batch": batch,
        "polling": batch.status in (PdfBatch.Status.PENDING, PdfBatch.Status.RUNNING),
        "percent": round(100 * batch.done / batch.total) if batch.total else 0,
    }
    if request.headers.get("HX-Request"):
        return render(request, "reports/dashboard/_batch_status.html", context)
    return render(request, "reports/dashboard/batch_status.html", context)


@login_required
def batch_download(request: HttpRequest, pk: int) -> FileResponse:
    dashboard_scope(request)
    batch = get_object_or_404(PdfBatch, pk=pk, owner=request.user, status=PdfBatch.Status.DONE)
    path = batches.batch_path(batch)
    if not batch.file_name or not path.is_file():
        raise Http404
    return file_download(path, "application/zip", batch.download_name)
