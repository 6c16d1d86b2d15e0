"""Regions (public reference data for every signed-in user), communities (scoped like the
assessments) and rounds (those the user can see assessments of), read only."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import permissions, selectors
from assessments.api.catalogue_serializers import (
    CommunitySerializer,
    RegionDetailSerializer,
    RegionSerializer,
    RegionTreeNodeSerializer,
    RoundSerializer,
)
from assessments.api.filters import SEARCH_MAX_LENGTH, IdFilter
from assessments.choices import REGION_LEVEL_DEPTH, AreaType, RegionLevel
from assessments.models import Community, Region, Round
from common.params import MAX_ID, text_param
from common.search import contains

#: How far the tree reaches by default: results stop at districts.
TREE_DEFAULT_LEVEL = RegionLevel.DISTRICT
CODE_LENGTH = 32  # Community.code


def _search(queryset: QuerySet, fields: tuple[str, ...], value: str) -> QuerySet:
    text = text_param(value, max_length=SEARCH_MAX_LENGTH)
    if not text:
        return queryset
    condition = Q()
    for field in fields:
        condition |= contains(field, text)
    return queryset.filter(condition)


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices)
    parent = IdFilter(field_name="parent", help_text="Regions directly under this one.")
    city = IdFilter(field_name="city", help_text="Regions in this city (and the city itself).")
    q = django_filters.CharFilter(
        method="filter_q", max_length=SEARCH_MAX_LENGTH, help_text="Part of a name or code."
    )

    class Meta:
        model = Region
        fields = ("level", "parent", "city", "q")

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _search(queryset, ("name_zh", "name_en", "code"), value)


@extend_schema_view(get=extend_schema(summary="Regions", tags=["regions"]))
class RegionListView(generics.ListAPIView):
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    queryset = Region.objects.order_by("path")


@extend_schema_view(
    get=extend_schema(summary="A region with its ancestors and children", tags=["regions"])
)
class RegionDetailView(generics.RetrieveAPIView):
    serializer_class = RegionDetailSerializer
    queryset = Region.objects.all()


class RegionTreeView(APIView):
    """The administrative tree in one answer, nested, in code order; two queries at most
    whatever its size."""

    class QuerySerializer(serializers.Serializer):
        root = serializers.IntegerField(  # type: ignore[assignment]  # the parameter's name
            required=False,
            min_value=1,
            max_value=MAX_ID,
            help_text="The id of the region to start from (default: the province).",
        )
        depth = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=len(REGION_LEVEL_DEPTH),
            help_text="How many levels to give, the root's included (default: down to districts).",
        )

    @extend_schema(
        summary="The region tree",
        tags=["regions"],
        parameters=[QuerySerializer],
        responses=RegionTreeNodeSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params = self.QuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        regions = Region.objects.all()
        top = 0
        root_id = params.validated_data.get("root")
        if root_id is not None:
            root = Region.objects.filter(pk=root_id).first()
            if root is None:
                raise ValidationError({"root": [_("There is no region with this id.")]})
            regions = regions.filter(path__startswith=root.path)
            top = REGION_LEVEL_DEPTH[RegionLevel(root.level)]
        depth = params.validated_data.get("depth")
        deepest = top + depth - 1 if depth else max(top, REGION_LEVEL_DEPTH[TREE_DEFAULT_LEVEL])
        levels = [level for level, d in REGION_LEVEL_DEPTH.items() if top <= d <= deepest]
        rows = regions.filter(level__in=levels).order_by("path")
        return Response(RegionTreeNodeSerializer(_nest(rows), many=True).data)


def _nest(rows: QuerySet[Region]) -> list[dict[str, Any]]:
    """The regions as nested nodes; those whose parent is not among them are the roots."""
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for region in rows.values("id", "code", "name_zh", "name_en", "level", "parent_id"):
        node = nodes[region["id"]] = {
            "id": region["id"],
            "code": region["code"],
            "name_zh": region["name_zh"],
            "name_en": region["name_en"],
            "level": region["level"],
            "children": [],
        }
        parent_id = region["parent_id"]
        parent = nodes.get(parent_id) if parent_id is not None else None
        (parent["children"] if parent is not None else roots).append(node)
    return roots


class CommunityFilter(django_filters.FilterSet):
    city = IdFilter(field_name="city")
    district = IdFilter(field_name="district")
    region = IdFilter(method="filter_region", help_text="Communities in this region's subtree.")
    code = django_filters.CharFilter(
        field_name="code", max_length=CODE_LENGTH, help_text="Registry code."
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Part of a name, code or address.",
    )
    area_type = django_filters.ChoiceFilter(choices=AreaType.choices)
    active = django_filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = Community
        fields = ("city", "district", "region", "code", "q", "area_type", "active")

    def filter_region(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        region_path = Region.objects.filter(pk=value).values_list("path", flat=True).first()
        if region_path is None:
            return queryset.none()
        return queryset.filter(region__path__startswith=region_path)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _search(queryset, ("name", "code", "address"), value)


class _CommunityScope(generics.GenericAPIView):
    """Administrators see every community, officials their region's, assessors those
    of their assessments; any other is 404."""

    def get_queryset(self) -> QuerySet[Community]:
        return (
            permissions.communities_visible_to(self.request.user)
            .select_related("region", "city", "district")
            .order_by("region__path", "name", "pk")
        )


@extend_schema_view(get=extend_schema(summary="Communities", tags=["communities"]))
class CommunityListView(_CommunityScope, generics.ListAPIView):
    serializer_class = CommunitySerializer
    filterset_class = CommunityFilter


@extend_schema_view(get=extend_schema(summary="A community", tags=["communities"]))
class CommunityDetailView(_CommunityScope, generics.RetrieveAPIView):
    serializer_class = CommunitySerializer


@extend_schema_view(
    get=extend_schema(
        summary="A community by its registry code",
        tags=["communities"],
        parameters=[
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Registry code."
            )
        ],
    )
)
class CommunityByCodeView(_CommunityScope, generics.RetrieveAPIView):
    serializer_class = CommunitySerializer
    lookup_field = "code"

    def get_object(self) -> Community:
        code = self.kwargs["code"]
        if len(code) > CODE_LENGTH or not code.isprintable():
            raise Http404
        return super().get_object()


class _RoundScope(generics.GenericAPIView):
    """The rounds in which the user can see an assessment; any other is 404."""

    def get_queryset(self) -> QuerySet[Round]:
        return selectors.round_list(user=self.request.user)


@extend_schema_view(
    get=extend_schema(
        summary="Rounds",
        description="The rounds in which the user can see at least one assessment (all of "
        "them for administrators), newest first.",
        tags=["rounds"],
    )
)
class RoundListView(_RoundScope, generics.ListAPIView):
    serializer_class = RoundSerializer


@extend_schema_view(get=extend_schema(summary="A round", tags=["rounds"]))
class RoundDetailView(_RoundScope, generics.RetrieveAPIView):
    serializer_class = RoundSerializer


urlpatterns = [
    path("regions/", RegionListView.as_view(), name="region-list"),
    path("regions/tree/", RegionTreeView.as_view(), name="region-tree"),
    path("regions/<int:pk>/", RegionDetailView.as_view(), name="region-detail"),
    path("communities/", CommunityListView.as_view(), name="community-list"),
    path("communities/<int:pk>/", CommunityDetailView.as_view(), name="community-detail"),
    path(
        "communities/by-code/<str:code>/",
        CommunityByCodeView.as_view(),
        name="community-by-code",
    ),
    path("rounds/", RoundListView.as_view(), name="round-list"),
    path("rounds/<int:pk>/", RoundDetailView.as_view(), name="round-detail"),
]
