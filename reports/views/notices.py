"""Public notices (公示). The public pages need no login: the current notices, a notice and
its PDF (a withdrawn or unknown notice is a 404). Administrators publish and withdraw
notices from the dashboard; everyone else gets 403 there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments import permissions
from assessments import selectors as assessment_selectors
from common.errors import ConflictError, DomainError
from common.forms import add_domain_error
from common.params import int_param
from reports.models import PublicNotice
from reports.notices import selectors, services
from reports.notices.forms import NoticePublishForm, NoticeWithdrawForm
from reports.pdf.documents import short_language
from reports.pdf.notice import notice_document
from reports.scope import Scope
from reports.views.pdfs import serve_pdf

PAGE_SIZE = 50


def _page(request: HttpRequest, notices: QuerySet[PublicNotice]) -> Page[PublicNotice]:
    return Paginator(notices, PAGE_SIZE).get_page(int_param(request.GET.get("page")) or 1)


# -- public ----------------------------------------------------------------------------------


def notice_list(request: HttpRequest) -> HttpResponse:
    """The notices published and not withdrawn, newest first."""
    page = _page(request, selectors.current_notices())
    return render(
        request,
        "reports/notices/list.html",
        {"page": page, "notices": page.object_list, "today": timezone.localdate()},
    )


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.published_notice(pk)
    return render(
        request,
        "reports/notices/detail.html",
        {"notice": notice, "content": selectors.notice_content(notice)},
    )


def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    document = notice_document(notice_id=pk, language=short_language(get_language()))
    return serve_pdf(request, document, back_url=reverse("notices:detail", args=[pk]))


# -- administrators --------------------------------------------------------------------------


def _admin_scope(request: HttpRequest) -> Scope:
    """The dashboard's frame for an administrator (the whole province, the round of
    ``?round=`` or the newest); 403 for everyone else."""
    user: Any = request.user
    if not permissions.is_admin(user):
        raise PermissionDenied
    rounds, chosen = assessment_selectors.round_choice(
        user=user, round_id=int_param(request.GET.get("round"))
    )
    return Scope(user=user, region=None, rounds=rounds, round=chosen, standings=None)


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    """Every notice of every round, published or withdrawn."""
    scope = _admin_scope(request)
    page = _page(request, selectors.all_notices())
    return render(
        request,
        "reports/dashboard/notices.html",
        {"scope": scope, "tab": "notices", "page": page, "notices": page.object_list},
    )


@login_required
def notice_new(request: HttpRequest) -> HttpResponse:
    scope = _admin_scope(request)
    if request.method == "POST":
        form = NoticePublishForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = services.notice_publish(
                    actor=request.user,
                    round=data["round"],
                    region=data["region"],
                    title=data["title"],
                    preamble=data["preamble"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    contact=data["contact"],
                    issuer=data["issuer"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request, _("The notice “%(title)s” is published.") % {"title": notice.title}
                )
                return HttpResponseRedirect(reverse("dashboard:notices"))
    else:
        form = NoticePublishForm(round=scope.round)
    return render(
        request,
        "reports/dashboard/notice_form.html",
        {"scope": scope, "tab": "notices", "form": form},
    )


@login_required
def notice_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for the reason, POST withdraws the notice."""
    scope = _admin_scope(request)
    notice = get_object_or_404(PublicNotice.objects.select_related("round", "region"), pk=pk)
    status = 200
    if request.method == "POST" and not notice.is_withdrawn:
        form = NoticeWithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.notice_withdraw(
                    actor=request.user, notice=notice, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = 409 if isinstance(error, ConflictError) else 200
            else:
                messages.success(
                    request, _("The notice “%(title)s” is withdrawn.") % {"title": notice.title}
                )
                return HttpResponseRedirect(reverse("dashboard:notices"))
    else:
        form = NoticeWithdrawForm()
        if request.method == "POST":  # withdrawn already
            status = 409
    return render(
        request,
        "reports/dashboard/notice_withdraw.html",
        {"scope": scope, "tab": "notices", "notice": notice, "form": form},
        status=status,
    )
