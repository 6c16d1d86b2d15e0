"""Dashboard: one community's scorecard, and its path to the next grade."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from assessments import permissions
from reports.pdf.documents import short_language
from reports.pdf.scorecard import scorecard_document
from reports.scope import dashboard_scope
from reports.selectors.community import community_in_scope
from reports.selectors.next_grade import next_grade_page
from reports.selectors.scorecard import community_page
from reports.views.pdfs import serve_pdf


@login_required
def community(request: HttpRequest, pk: int) -> HttpResponse:
    scope = dashboard_scope(request)
    page = community_page(scope=scope, pk=pk)
    return render(
        request,
        "reports/dashboard/community.html",
        {
            "scope": scope,
            "tab": "ranking",
            "page": page,
            "can_review": permissions.is_admin(request.user),
        },
    )


@login_required
def scorecard_pdf(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The community's printed scorecard in the scope's round, in the reader's language."""
    scope = dashboard_scope(request)
    found = community_in_scope(scope=scope, pk=pk)
    if found.assessment is None or found.card is None:
        raise Http404
    document = scorecard_document(
        assessment_id=found.assessment.pk, language=short_language(translation.get_language())
    )
    back = f"{reverse('dashboard:community', args=[pk])}?{scope.query()}"
    return serve_pdf(request, document, back_url=back)


@login_required
def next_grade(request: HttpRequest, pk: int) -> HttpResponse:
    scope = dashboard_scope(request)
    page = next_grade_page(scope=scope, pk=pk)
    return render(
        request,
        "reports/dashboard/next_grade.html",
        {"scope": scope, "tab": "ranking", "page": page},
    )
