"""Dashboard: the round summary of an area as a PDF (the reader's own area, or a city or
district within it named by ``?region=``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation

from reports.pdf.documents import short_language
from reports.pdf.summary import summary_document
from reports.scope import dashboard_scope
from reports.selectors.regions import area_in_scope, region_url
from reports.views.pdfs import serve_pdf


@login_required
def summary_pdf(request: HttpRequest) -> HttpResponse | FileResponse:
    scope = dashboard_scope(request)
    if scope.round is None:
        raise Http404
    area = area_in_scope(scope, request.GET.get("region"))
    document = summary_document(
        round_id=scope.round.pk,
        region_id=area.pk if area is not None else None,
        language=short_language(translation.get_language()),
    )
    back = (
        region_url(scope, area)
        if area is not None
        else f"{reverse('dashboard:overview')}?{scope.query()}"
    )
    return serve_pdf(request, document, back_url=back)
