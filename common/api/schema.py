"""The OpenAPI document's conventions: every operation documents the error shape under
each status it can answer with, so clients (and the schema fuzz test) can rely on it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    message = serializers.CharField()
    field = serializers.CharField(required=False, help_text="request field or answer field")
    item = serializers.CharField(required=False, help_text="assessment item code, e.g. L1P8.1")
    indicator = serializers.CharField(required=False, help_text="indicator code, e.g. L1P8")
    community = serializers.CharField(required=False, help_text="community registry code")
    code = serializers.CharField(required=False)


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="stable, for machines: invalid, not_found, …")
    message = serializers.CharField(help_text="for people, in the request's language")
    details = ErrorDetailSerializer(many=True)


EXAMPLE_INVALID = OpenApiExample(
    "invalid answers",
    value={
        "code": "invalid_answers",
        "message": "L1P8.1：分母必须大于 0。",
        "details": [
            {"message": "L1P8.1：分母必须大于 0。", "item": "L1P8.1", "field": "denominator"}
        ],
    },
    status_codes=["400"],
    response_only=True,
)

_DESCRIPTIONS = {
    400: "Invalid input: every problem in details.",
    401: "No credentials, or an unknown, expired or revoked token.",
    403: "Not allowed for this user.",
    404: "Not found, or outside the user's scope.",
    406: "The Accept header asks for a format the endpoint cannot give.",
    409: "Conflicts with the current state (a stale version, a wrong status).",
    413: "The upload is larger than the portal accepts.",
    415: "The request body has a media type the endpoint does not read.",
    429: "Too many requests: wait the seconds of Retry-After.",
}
_ALWAYS = (400, 401, 403, 404, 406, 429)
_WRITES = (409, 415)


def error_response(status_code: int) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer,
        description=_DESCRIPTIONS[status_code],
        examples=[EXAMPLE_INVALID] if status_code == 400 else [],
    )


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema with the portal's error answers added to every operation
    (an endpoint's own ``extend_schema(responses=...)`` keeps precedence)."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        codes = list(_ALWAYS)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.extend(_WRITES)
        for code in sorted(codes):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    error_response(code), str(code), direction=direction
                )
        return responses
