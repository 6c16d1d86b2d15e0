"""``GET /api/v1/me/``: whom the request is authenticated as, and how."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken, Role

EXAMPLE = OpenApiExample(
    "token of a city platform",
    value={
        "id": 42,
        "username": "jinan-platform",
        "display_name": "济南市平台",
        "role": "official",
        "region": {"id": 3, "code": "370100", "name": "济南市"},
        "auth": "token",
        "token": {
            "name": "Jinan city platform",
            "prefix": "scp_Xy3kQ9aB",
            "expires_at": "2027-01-31T09:00:00+08:00",
        },
    },
    response_only=True,
)


class MeView(APIView):
    @extend_schema_serializer(component_name="Me")
    class OutputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="MeRegion")
        class RegionSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            code = serializers.CharField()
            name = serializers.CharField(help_text="in the request's language")

        @extend_schema_serializer(component_name="MeToken")
        class TokenSerializer(serializers.Serializer):
            name = serializers.CharField()
            prefix = serializers.CharField(help_text="the secret's first characters")
            expires_at = serializers.DateTimeField(allow_null=True, help_text="null: never")

        id = serializers.IntegerField()
        username = serializers.CharField()
        display_name = serializers.CharField()
        role = serializers.ChoiceField(choices=Role.choices)
        region = RegionSerializer(
            allow_null=True, help_text="an official's region; null: the whole province, or "
            "not an official"
        )  # fmt: skip
        auth = serializers.ChoiceField(
            choices=("token", "session"),
            help_text="token: Authorization: Bearer; session: the browser's login",
        )
        token = TokenSerializer(allow_null=True, help_text="the token used; null for a session")

    @extend_schema(
        summary="Who the request is authenticated as",
        tags=["accounts"],
        responses=OutputSerializer,
        examples=[EXAMPLE],
    )
    def get(self, request: Request) -> Response:
        user = request.user
        token = request.auth if isinstance(request.auth, ApiToken) else None
        output = self.OutputSerializer(
            {
                "id": user.pk,
                "username": user.get_username(),
                "display_name": user.display_name,  # type: ignore[union-attr]
                "role": user.role,  # type: ignore[union-attr]
                "region": user.region,  # type: ignore[union-attr]
                "auth": "token" if token is not None else "session",
                "token": token,
            }
        )
        return Response(output.data)
