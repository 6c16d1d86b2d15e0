"""``Authorization: Bearer <token>`` for machines (sessions serve the browser)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import ApiToken
from accounts.security import client_ip
from accounts.tokens import token_authenticate
from common.ratelimit import over_limit, reached

#: Refused tokens are counted per client address in windows of this many seconds.
FAILURE_WINDOW = 60


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A token made by an administrator; an unknown, expired or revoked one is refused
    with 401 (never treated as anonymous). DRF throttles run after authentication, so
    refused tokens are counted here: after ``API_TOKEN_FAILURES_PER_MINUTE`` of them from
    one address, that address gets 429 without a look-up until the minute is over."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        failures = f"api-token-failures:{client_ip(request._request)}"
        limit = settings.API_TOKEN_FAILURES_PER_MINUTE
        if reached(failures, limit=limit, window=FAILURE_WINDOW):
            raise exceptions.Throttled(wait=FAILURE_WINDOW)
        try:
            return self._authenticate(header)
        except exceptions.AuthenticationFailed:
            over_limit(failures, limit=limit, window=FAILURE_WINDOW)
            raise

    def _authenticate(self, header: list[bytes]) -> tuple[Any, ApiToken]:
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as: Authorization: Bearer <token>.")
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from error
        token = token_authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from an administrator (portal or create_api_token).",
        }
