"""Frameworks: a plain read-only catalogue, the same for every signed-in user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from indicators import selectors
from indicators.api.serializers import FrameworkDetailSerializer, FrameworkSerializer
from indicators.models import Framework


@extend_schema_view(
    list=extend_schema(summary="Frameworks", tags=["frameworks"]),
    retrieve=extend_schema(
        summary="A framework with its primaries, indicators, items and options",
        tags=["frameworks"],
    ),
)
class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = None  # a handful of editions

    def get_queryset(self) -> QuerySet[Framework]:
        if self.action == "retrieve":
            return selectors.frameworks_with_tree()
        return selectors.framework_list()

    def get_serializer_class(self) -> Any:
        return FrameworkDetailSerializer if self.action == "retrieve" else FrameworkSerializer
