"""The REST API: ``/api/v1/`` (each app's ``api.urls``), its OpenAPI document and the
Swagger UI served from the installed package (no CDN)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

#: The collections the root links to, by URL name.
ROOT_LINKS = {
    "frameworks": "api:framework-list",
    "regions": "api:region-list",
    "communities": "api:community-list",
    "rounds": "api:round-list",
    "assessments": "api:assessment-list",
    "rankings": "api:ranking",
    "dashboard": "api:dashboard-overview",
    "imports": "api:answers-import",
    "schema": "api:schema",
    "docs": "api:docs",
}


@extend_schema(
    summary="Links to the API's collections",
    tags=["root"],
    responses=inline_serializer("ApiRoot", {name: serializers.URLField() for name in ROOT_LINKS}),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request: Request) -> Response:
    return Response({name: reverse(url, request=request) for name, url in ROOT_LINKS.items()})


v1: list[URLPattern | URLResolver] = [
    path("", api_root, name="root"),
    path("", include("indicators.api.urls")),
    path("", include("assessments.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("accounts.api.urls")),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
