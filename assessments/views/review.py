"""Reviewing a submitted assessment: judging each item's evidence, returning it with the
indicators to correct, approving it, reopening an approved one; and approving many at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import permissions, selectors, services
from assessments.choices import ReviewAction
from assessments.history import submission_diff
from assessments.models import Assessment
from assessments.page_data import page_data
from common.errors import DomainError
from common.htmx import is_htmx
from common.params import int_param, text_param

COMMENT_LENGTH = 2_000


def _reviewable(request: HttpRequest, pk: int) -> tuple[Assessment, selectors.Access]:
    assessment, access = selectors.assessment_for_user(user=request.user, pk=pk)
    if not access.review:
        raise PermissionDenied
    return assessment, access


def _comment(request: HttpRequest, name: str = "comment") -> str:
    return (request.POST.get(name) or "").strip()[:COMMENT_LENGTH]


@login_required
def review_page(request: HttpRequest, pk: int, problems: list[str] | None = None) -> HttpResponse:
    """The assessment as a reviewer sees it: answers in words, evidence to judge, what
    changed since the previous submission, and the decision."""
    assessment, access = _reviewable(request, pk)
    data = page_data(request, assessment, access)
    submissions = list(assessment.submissions.order_by("-number")[:2])
    diff = (
        submission_diff(submissions[1] if len(submissions) > 1 else None, submissions[0],
                        data.catalog)
        if submissions
        else []
    )  # fmt: skip
    return render(
        request,
        "assessments/review.html",
        {
            **data.context(),
            "submission": submissions[0] if submissions else None,
            "previous": submissions[1] if len(submissions) > 1 else None,
            "diff": diff,
            "problems": problems or [],
            "return_reasons": {
                code: request.POST.get(f"reason-{code}", "")
                for code in data.catalog.indicator_ids
                if request.method == "POST"
            },
        },
    )


@login_required
@require_POST
def item_review(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Accept or reject one item's evidence, with a comment (required to reject)."""
    assessment, access = _reviewable(request, pk)
    status = text_param(request.POST.get("status"), max_length=16) or ""
    errors: list[str] = []
    try:
        services.item_review_set(
            actor=request.user,
            assessment=assessment,
            item_code=code,
            status=status,
            comment=_comment(request),
        )
    except DomainError as error:
        errors = error.messages
    if not is_htmx(request):
        for message in errors:
            messages.error(request, message)
        return redirect(reverse("assessments:review", args=[pk]) + f"#item-{code}")
    assessment, access = _reviewable(request, pk)
    data = page_data(request, assessment, access)
    row = next(
        (r for p in data.primaries for i in p.indicators for r in i.items if r.item.code == code),
        None,
    )
    return render(
        request,
        "assessments/_item_review.html",
        {"data": data, "assessment": assessment, "row": row, "review_errors": errors},
    )


@login_required
@require_POST
def return_for_correction(request: HttpRequest, pk: int) -> HttpResponse:
    """Return with the indicators ticked, each with its reason."""
    assessment, _access = _reviewable(request, pk)
    codes = request.POST.getlist("indicators")
    reasons = {code: _comment(request, f"reason-{code}") for code in codes[:50]}
    try:
        services.assessment_return(
            actor=request.user, assessment=assessment, reasons=reasons, comment=_comment(request)
        )
    except DomainError as error:
        return review_page(request, pk, problems=error.messages)
    messages.success(
        request,
        _("%(community)s was returned for correction.") % {"community": assessment.community.name},
    )
    return redirect("review-queue")


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, _access = _reviewable(request, pk)
    try:
        services.assessment_approve(
            actor=request.user, assessment=assessment, comment=_comment(request)
        )
    except DomainError as error:
        return review_page(request, pk, problems=error.messages)
    messages.success(
        request, _("%(community)s was approved.") % {"community": assessment.community.name}
    )
    return redirect("review-queue")


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, _access = _reviewable(request, pk)
    try:
        services.assessment_reopen(
            actor=request.user, assessment=assessment, comment=_comment(request)
        )
    except DomainError as error:
        return review_page(request, pk, problems=error.messages)
    messages.success(
        request, _("%(community)s was reopened.") % {"community": assessment.community.name}
    )
    return redirect("assessments:review", pk=pk)


@login_required
@require_POST
def bulk_approve(request: HttpRequest) -> HttpResponse:
    """Approve the chosen submitted assessments in one step, after a confirmation page
    that lists them."""
    if not permissions.is_admin(request.user):
        raise PermissionDenied
    ids = sorted({pk for pk in (int_param(v) for v in request.POST.getlist("ids")) if pk})[:2000]
    chosen = list(
        selectors.assessment_list(user=request.user)
        .filter(pk__in=ids)
        .select_related("community", "round")
    )
    if not chosen:
        messages.error(request, _("Choose the submitted assessments to approve."))
        return redirect("review-queue")
    refused = [
        a for a in chosen if ReviewAction.APPROVE not in services.available_actions(request.user, a)
    ]
    if refused:
        messages.error(
            request,
            _("These can no longer be approved from the queue (reload it to see why): %(names)s")
            % {"names": "、".join(a.community.name for a in refused)},
        )
        return redirect("review-queue")
    if request.POST.get("confirm") != "yes":
        return render(request, "assessments/bulk_approve.html", {"chosen": chosen})
    try:
        count = services.assessments_transition_bulk(
            actor=request.user,
            assessment_ids=[a.pk for a in chosen],
            action=ReviewAction.APPROVE,
            comment=_comment(request),
        )
    except DomainError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("review-queue")
    messages.success(request, _("%(n)d assessments were approved.") % {"n": count})
    return redirect("review-queue")
