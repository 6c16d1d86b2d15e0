"""The Excel round-trip: download an assessment (or a round's) as .xlsx, upload it back.

Who may do what:
- one assessment's workbook: whoever may see the assessment (404 outside their scope);
- a round's workbook: an assessor gets the assessments assigned to them; administrators
  and officials get those in their scope, narrowed by ``?assessor=<username>``, and are
  asked to narrow it when it would hold more than ``MAX_ROUND_ASSESSMENTS``; officials'
  workbooks are read-only, as officials change nothing;
- uploading: administrators and assessors (403 for everyone else).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from assessments import excel, permissions, selectors
from assessments.models import Assessment
from common.params import MAX_ID, int_param, text_param

MAX_ROUND_ASSESSMENTS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _may_upload(user: Any) -> bool:
    return permissions.is_admin(user) or permissions.is_assessor(user)


def _workbook_response(
    request: HttpRequest, assessments: list[Assessment], name: str
) -> HttpResponse:
    content = excel.workbook_bytes(
        assessments,
        language=get_language() or "zh-hans",
        read_only=not _may_upload(request.user),
        upload_url=request.build_absolute_uri(reverse("assessments:excel-upload")),
    )
    filename = _UNSAFE_IN_FILENAME.sub("_", name).strip() or "assessments"
    return HttpResponse(
        content,
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(True, f"{filename}.xlsx")},
    )


@never_cache
@login_required
@require_GET
def assessment_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    """One assessment as a workbook, named ``<community code>-<round>.xlsx``."""
    if pk > MAX_ID:
        raise Http404
    assessment, _access = selectors.assessment_for_user(user=request.user, pk=pk)
    name = f"{assessment.community.code}-{assessment.round.name}"
    return _workbook_response(request, [assessment], name)


def _refuse(request: HttpRequest, message: str) -> HttpResponse:
    """A download that cannot be made as asked: the Excel page saying why (400)."""
    return render(
        request,
        "assessments/excel_upload.html",
        {**_page_context(request), "problems": [excel.SheetProblem(message)]},
        status=400,
    )


@never_cache
@login_required
@require_GET
def round_workbook(request: HttpRequest) -> HttpResponse:
    """The assessments of a round the user may see, as one workbook (see the module's
    docstring for who gets which)."""
    user = request.user
    round_id = int_param(request.GET.get("round"))
    if round_id is None:
        return _refuse(request, _("Choose a round to download."))
    round_ = selectors.round_list(user=user).filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    assessments = selectors.assessment_list(user=user, round_id=round_.pk)
    assessor = None
    if not permissions.is_assessor(user):  # an assessor's scope is their own assessments
        assessor = text_param(request.GET.get("assessor"), max_length=150)
    if assessor:
        assessments = assessments.filter(assessors__username=assessor)
    count = assessments.count()
    if count == 0:
        raise Http404
    if count > MAX_ROUND_ASSESSMENTS:
        return _refuse(
            request,
            _(
                "This round has %(count)d assessments in your scope; a workbook holds at most "
                "%(max)d. Download the assessments of one assessor at a time."
            )
            % {"count": count, "max": MAX_ROUND_ASSESSMENTS},
        )
    rows = list(
        assessments.select_related(
            "round__framework", "community__region", "community__city", "community__district"
        )
    )
    owner = assessor or (request.user.get_username() if permissions.is_assessor(user) else "")
    name = f"{round_.name}-{owner}" if owner else round_.name
    return _workbook_response(request, rows, name)


def _page_context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "rounds": list(selectors.round_list(user=user)),
        "can_upload": _may_upload(user),
        "by_assessor": not permissions.is_assessor(user),
        "max_round": MAX_ROUND_ASSESSMENTS,
        "max_mb": excel.MAX_UPLOAD_BYTES // (1024 * 1024),
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """The upload page (GET) and the upload (POST): every sheet saved, or nothing and
    every problem listed with its sheet and cell."""
    if not _may_upload(request.user):
        raise PermissionDenied
    problems: list[excel.SheetProblem] = []
    if request.method == "POST":
        upload_file = request.FILES.get("file")
        if upload_file is None:
            problems = [excel.SheetProblem(_("Choose a workbook (.xlsx) to upload."))]
        elif upload_file.size is not None and upload_file.size > excel.MAX_UPLOAD_BYTES:
            problems = [excel.SheetProblem(
                _("The file is larger than %(mb)d MB. A workbook from the portal is much "
                  "smaller; upload that workbook.")
                % {"mb": excel.MAX_UPLOAD_BYTES // (1024 * 1024)}
            )]  # fmt: skip
        else:
            try:
                outcome = excel.workbook_import(upload_file, user=request.user)
            except excel.WorkbookRejected as rejected:
                problems = rejected.problems
            else:
                return _accepted(request, outcome)
    return render(
        request,
        "assessments/excel_upload.html",
        {**_page_context(request), "problems": problems, "posted": request.method == "POST"},
    )


def _names(assessments: list[Assessment]) -> str:
    return ", ".join(f"{a.community.name} ({a.community.code})" for a in assessments)


def _accepted(request: HttpRequest, outcome: excel.ImportOutcome) -> HttpResponse:
    """Say what was saved, then go to the assessment (one sheet) or home (several)."""
    if outcome.changed:
        messages.success(
            request,
            _("Saved from the workbook: %(names)s.") % {"names": _names(outcome.changed)},
        )
    if outcome.unchanged:
        messages.info(
            request,
            _("No changes for: %(names)s.") % {"names": _names(outcome.unchanged)},
        )
    if outcome.skipped:
        messages.info(
            request,
            _("Read-only sheets skipped: %(names)s.") % {"names": ", ".join(outcome.skipped)},
        )
    saved = [*outcome.changed, *outcome.unchanged]
    if len(saved) == 1:
        return redirect("assessments:page", pk=saved[0].pk)
    return redirect("home")
