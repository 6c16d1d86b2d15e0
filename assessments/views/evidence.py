"""Evidence: uploads and links, deletion, and downloads that check permission."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.models import Evidence
from assessments.page_data import PageData, page_data
from common.errors import DomainError
from common.htmx import is_htmx
from common.params import text_param
from indicators.specs import framework_catalog

MAX_FILES_AT_ONCE = 20


def _item_block(
    request: HttpRequest, data: PageData, item_code: str, errors: list[str]
) -> HttpResponse:
    """The item's evidence list and upload controls, with the forms and progress that
    change with them (htmx); the page itself without JavaScript."""
    if not is_htmx(request):
        for message in errors:
            messages.error(request, message)
        if not errors:
            messages.success(request, _("Evidence updated."))
        return redirect(
            reverse("assessments:page", args=[data.assessment.pk]) + f"#item-{item_code}"
        )
    indicator = data.indicator(data.catalog.indicator_of_item[item_code])
    row = next(r for r in indicator.items if r.item.code == item_code) if indicator else None
    if row is None:
        raise Http404
    return render(
        request,
        "assessments/_evidence_block.html",
        {"data": data, "assessment": data.assessment, "ind": indicator, "row": row,
         "evidence_errors": errors, "p": data.preview},
    )  # fmt: skip


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the files (one or several) and/or the link posted for one item. Each file is
    checked and stored on its own; a refused file is named, the others are kept."""
    assessment, access = selectors.assessment_for_user(user=request.user, pk=pk)
    item_code = text_param(request.POST.get("item"), max_length=24) or ""
    if item_code not in framework_catalog(assessment.round.framework).items:
        return HttpResponseBadRequest(_("Say which item the evidence is for."))
    files = request.FILES.getlist("file")[:MAX_FILES_AT_ONCE]
    url = (request.POST.get("url") or "").strip()
    description = (request.POST.get("description") or "").strip()
    errors: list[str] = []
    if not files and not url:
        errors.append(_("Choose a file or enter a link."))
    for upload in files:
        try:
            services.evidence_add_file(
                actor=request.user,
                assessment=assessment,
                item_code=item_code,
                upload=upload,
                description=description,
            )
        except DomainError as error:
            errors.extend(f"{upload.name}: {message}" for message in error.messages)
    if url:
        try:
            services.evidence_add_link(
                actor=request.user,
                assessment=assessment,
                item_code=item_code,
                url=url,
                description=description,
            )
        except DomainError as error:
            errors.extend(error.messages)
    assessment, access = selectors.assessment_for_user(user=request.user, pk=pk)
    return _item_block(request, page_data(request, assessment, access), item_code, errors)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    assessment, _access = selectors.assessment_for_user(user=request.user, pk=pk)
    evidence = Evidence.objects.filter(pk=evidence_id, assessment=assessment).first()
    if evidence is None:
        raise Http404
    item_code = evidence.item.code
    errors: list[str] = []
    try:
        services.evidence_delete(actor=request.user, evidence=evidence)
    except DomainError as error:
        errors.extend(error.messages)
    assessment, access = selectors.assessment_for_user(user=request.user, pk=pk)
    return _item_block(request, page_data(request, assessment, access), item_code, errors)


def evidence_with_file(*, user: Any, evidence_id: int) -> Evidence:
    """The evidence, when it is a file and ``user`` may see its assessment (404 otherwise)."""
    evidence, _access = selectors.evidence_for_user(user=user, evidence_id=evidence_id)
    if not evidence.file:
        raise Http404
    return evidence


def _private(response: FileResponse, *, sandbox: bool = True) -> FileResponse:
    """Never cached by proxies, never sniffed as another type; nothing in it can run
    (a PDF is left to the browser's own viewer, which a sandbox would block)."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0, no-store"
    if sandbox:
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    """Download an evidence file (PDF and images open in the browser)."""
    return evidence_file_response(evidence_with_file(user=request.user, evidence_id=evidence_id))


def evidence_file_response(evidence: Evidence) -> FileResponse:
    """The stored file of ``evidence`` (which the caller has checked the user may see)."""
    inline = evidence.content_type in {"application/pdf", "image/jpeg", "image/png"}
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=not inline,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    return _private(response, sandbox=evidence.content_type != "application/pdf")


@login_required
def evidence_thumbnail(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = evidence_with_file(user=request.user, evidence_id=evidence_id)
    if not evidence.thumbnail:
        raise Http404
    return _private(FileResponse(evidence.thumbnail.open("rb"), content_type="image/jpeg"))
