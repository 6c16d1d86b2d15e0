"""Rates for machines: anonymous clients by address, token clients by token. Over the
rate, DRF answers 429 with Retry-After (through common.api.errors, in the error shape).
Browsers signed in with a session are limited by the login throttle, not here."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    scope = "anon"


class TokenThrottle(SimpleRateThrottle):
    """One budget per API token (all clients sharing a token share it). The token is the
    request's ``auth`` and names itself by ``throttle_ident``."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        ident = getattr(getattr(request, "auth", None), "throttle_ident", None)
        if ident is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}
