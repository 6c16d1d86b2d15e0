"""API tokens in the portal, for administrators only (others get 403): the list of every
token, making one (its secret shown once, on the page that answers the form) and revoking
one. Every write goes through accounts.tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.forms import TokenCreateForm
from accounts.models import ApiToken
from accounts.tokens import (
    TokenStatus,
    api_token_create,
    api_token_revoke,
    may_manage_tokens,
    token_list,
    token_status,
)
from common.errors import DomainError
from common.forms import add_domain_error
from common.params import choice_param, int_param, text_param

PAGE_SIZE = 50


def _check(request: HttpRequest) -> None:
    if not may_manage_tokens(request.user):
        raise PermissionDenied


@login_required
def token_list_page(request: HttpRequest) -> HttpResponse:
    """Every token, newest first; ``?status=`` and ``?q=`` (part of the user's name)."""
    _check(request)
    status = choice_param(request.GET.get("status"), TokenStatus.values)
    search = text_param(request.GET.get("q"))
    tokens = token_list(status=status, search=search)
    page = Paginator(tokens, PAGE_SIZE).get_page(int_param(request.GET.get("page")) or 1)
    now = timezone.now()
    rows = [(token, token_status(token, now)) for token in page.object_list]
    query = urlencode({k: v for k, v in (("status", status), ("q", search)) if v})
    return render(
        request,
        "accounts/tokens/list.html",
        {
            "page": page,
            "rows": rows,
            "status": status or "",
            "search": search or "",
            "statuses": TokenStatus.choices,
            "query": query,
        },
    )


@never_cache
@login_required
def token_new(request: HttpRequest) -> HttpResponse:
    """The form; a valid one answers with the page that shows the secret (never stored,
    never cached, so it cannot be shown again)."""
    _check(request)
    if request.method == "POST":
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            try:
                token, secret = api_token_create(
                    actor=request.user,
                    user=form.cleaned_data["user"],
                    name=form.cleaned_data["name"],
                    expires_at=form.expiry(),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return render(
                    request,
                    "accounts/tokens/created.html",
                    {"token": token, "secret": secret, "site_url": settings.SITE_URL},
                )
    else:
        form = TokenCreateForm()
    return render(request, "accounts/tokens/form.html", {"form": form})


@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm, POST revokes (revoking a revoked token changes nothing)."""
    _check(request)
    token = get_object_or_404(ApiToken.objects.select_related("user", "revoked_by"), pk=pk)
    if request.method == "POST":
        try:
            token = api_token_revoke(actor=request.user, token=token)
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The token “%(name)s” of %(user)s is revoked.")
                % {"name": token.name, "user": token.user.display_name},
            )
        return HttpResponseRedirect(reverse("tokens:list"))
    context: dict[str, Any] = {"token": token, "status": token_status(token)}
    return render(request, "accounts/tokens/revoke.html", context)
