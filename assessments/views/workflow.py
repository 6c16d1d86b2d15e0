"""Submitting an assessment for review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.errors import WorkflowError
from assessments.page_data import page_data
from common.errors import DomainError


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit; when something is missing, the page lists it, each linked to its place."""
    assessment, access = selectors.assessment_for_user(user=request.user, pk=pk)
    try:
        services.assessment_submit(actor=request.user, assessment=assessment)
    except WorkflowError as error:
        data = page_data(request, assessment, access)
        context = {**data.context(), "submit_problems": error.problems}
        return render(request, "assessments/page.html", context, status=200)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:page", pk=pk)
    messages.success(request, _("Submitted for review. The answers are read-only now."))
    return redirect("assessments:page", pk=pk)
