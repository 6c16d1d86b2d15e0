"""Login throttling around django-axes: the client's address behind proxies, the lockout
page, and a log line for every failed login."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

#: Session key holding when the user signed in (seconds since the epoch).
SESSION_STARTED_KEY = "portal_signed_in_at"

log = logging.getLogger("portal.security")


def client_ip(request: HttpRequest) -> str:
    """The client's address: the connection's, or with PROXY_COUNT proxies in front, the
    address the outermost of them saw (the last ones in X-Forwarded-For are theirs)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    if settings.PROXY_COUNT <= 0:
        return remote
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    hops = [h for h in hops if h]
    return hops[-settings.PROXY_COUNT] if len(hops) >= settings.PROXY_COUNT else remote


#: What the login records keep of a user name (django-axes stores at most 255 characters).
RECORDED_USERNAME_LENGTH = 150


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The user name a login attempt gave, as the login records keep it: cut to the length
    of a user name. Django's login form does not check the length before authenticating,
    so a megabyte typed into the field reached the records, which PostgreSQL refused with a
    server error."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")  # axes' default
    raw = (credentials or {}).get(field) if credentials else request.POST.get(field)
    return str(raw or "")[:RECORDED_USERNAME_LENGTH]


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked.html", {"cooloff_minutes": minutes}, status=429)


def log_failed_login(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    """One warning per failed login, naming the user name and the address."""
    address = client_ip(request) if request is not None else "-"
    name = str(credentials.get("username", ""))[:RECORDED_USERNAME_LENGTH]
    log.warning("failed login for %r from %s", name, address)


def mark_sign_in(sender: Any, request: Any = None, user: Any = None, **kw: Any) -> None:
    """Remember when the session began, for the absolute session lifetime."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = int(time.time())
