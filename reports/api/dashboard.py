"""``GET dashboard/overview/``: the figures of the dashboard's overview (status counts,
coverage, grades, means, the weakest indicators) as plain JSON, read by the same selector
(``reports.selectors.overview.overview``) in the reader's scope."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.api.serializers import RoundRefSerializer
from assessments.choices import AssessmentStatus
from reports.api.scope import results_scope
from reports.api.serializers import (
    RegionRefSerializer,
    RoundQuerySerializer,
    percent_field,
    score_field,
    weight_field,
)
from reports.selectors.overview import overview

EXAMPLE = {
    "round": {"id": 3, "name": "2026年度评估"},
    "rounds": [{"id": 3, "name": "2026年度评估"}, {"id": 2, "name": "2025年度评估"}],
    "scope": {
        "label": "济南市",
        "level": "city",
        "region": {"id": 2, "code": "3701", "name": "济南市", "level": "city"},
    },
    "standings": {"ranked_at": "2026-06-30T09:15:02+08:00", "stale": False},
    "assessments": 40,
    "done": 31,
    "done_share": "77.5",
    "statuses": [
        {"status": "draft", "label": "草稿", "count": 5},
        {"status": "submitted", "label": "已提交", "count": 11},
        {"status": "returned", "label": "已退回", "count": 4},
        {"status": "approved", "label": "已审定", "count": 20},
    ],
    "scored": 40,
    "mean_total": "71.36",
    "median_total": "72.05",
    "computed_at": "2026-06-30T09:15:02+08:00",
    "province": {"scored": 180, "mean_total": "68.90", "median_total": "69.40"},
    "grades": [
        {"code": "excellent", "name": "优秀", "count": 4, "share": "10.0"},
        {"code": "good", "name": "良好", "count": 15, "share": "37.5"},
    ],
    "primaries": [
        {"code": "L1", "name": "基础设施", "mean": "21.40", "weight": "29.000", "share": "73.8"}
    ],
    "weakest": [
        {
            "code": "L3P4",
            "name": "智慧养老",
            "primary": "智慧服务",
            "mean": "1.12",
            "weight": "4.000",
            "share": "28.0",
            "met": "10",
        }
    ],
    "coverage_level": "district",
    "coverage": [
        {
            "region": {"id": 5, "code": "370102", "name": "历下区", "level": "district"},
            "assessments": 12,
            "done": 10,
            "done_share": "83.3",
            "evidenced_share": "61.2",
        }
    ],
}


class OverviewScopeSerializer(serializers.Serializer):
    # A field named like Field.label: the serializer's metaclass takes it out of the class.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="the area, in the request's language"
    )
    level = serializers.CharField(help_text="province, city or district")
    region = RegionRefSerializer(allow_null=True, help_text="null for the whole province")


class OverviewStandingsSerializer(serializers.Serializer):
    ranked_at = serializers.DateTimeField(
        source="standings.ranked_at",
        allow_null=True,
        help_text="when ranks and area statistics were last computed",
    )
    stale = serializers.BooleanField(
        help_text="scores changed since; ranks and averages are being updated"
    )


class OverviewStatusCountSerializer(serializers.Serializer):
    status = serializers.ChoiceField(source="value", choices=AssessmentStatus.choices)
    # A field named like Field.label: the serializer's metaclass takes it out of the class.
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class OverviewAreaFiguresSerializer(serializers.Serializer):
    scored = serializers.IntegerField()
    mean_total = score_field()
    median_total = score_field()


class OverviewGradeCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    share = percent_field(allow_null=True, help_text="of the scored communities, in percent")


class OverviewPrimaryMeanSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    mean = score_field(allow_null=True)
    weight = weight_field()
    share = percent_field(allow_null=True, help_text="mean as a percentage of the weight")


class OverviewWeakIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    primary = serializers.CharField(help_text="the primary indicator's name")
    mean = score_field()
    weight = weight_field()
    share = percent_field(allow_null=True, help_text="mean as a percentage of the weight")
    met = serializers.DecimalField(
        max_digits=3,
        decimal_places=0,
        allow_null=True,
        help_text="communities meeting it, in whole percent",
    )


class OverviewCoverageSerializer(serializers.Serializer):
    region = RegionRefSerializer(allow_null=True, help_text="null for communities of no area")
    assessments = serializers.IntegerField()
    done = serializers.IntegerField(help_text="submitted or approved")
    done_share = percent_field(allow_null=True)
    evidenced_share = percent_field(
        allow_null=True, help_text="items with evidence of all items, in percent"
    )


class DashboardOverviewView(APIView):
    @extend_schema_serializer(component_name="DashboardOverview")
    class OutputSerializer(serializers.Serializer):
        round = RoundRefSerializer(
            source="scope.round", allow_null=True, help_text="null when no round is visible"
        )
        rounds = RoundRefSerializer(
            source="scope.rounds", many=True, help_text="the rounds the reader may choose"
        )
        scope = OverviewScopeSerializer()
        standings = OverviewStandingsSerializer(source="scope")
        assessments = serializers.IntegerField(
            source="data.assessments", help_text="assessments of the round in the scope"
        )
        done = serializers.IntegerField(source="data.done", help_text="submitted or approved")
        done_share = percent_field(source="data.done_share", allow_null=True)
        statuses = OverviewStatusCountSerializer(source="data.statuses", many=True)
        scored = serializers.SerializerMethodField(help_text="communities with a scorecard")
        mean_total = score_field(source="data.stats.mean_total", allow_null=True)
        median_total = score_field(source="data.stats.median_total", allow_null=True)
        computed_at = serializers.DateTimeField(
            source="data.stats.computed_at",
            allow_null=True,
            help_text="when the score figures were computed; null before any score",
        )
        province = OverviewAreaFiguresSerializer(
            source="data.province",
            allow_null=True,
            help_text="the whole province, for comparison, when the scope is narrower",
        )
        grades = OverviewGradeCountSerializer(source="data.grades", many=True)
        primaries = OverviewPrimaryMeanSerializer(source="data.primaries", many=True)
        weakest = OverviewWeakIndicatorSerializer(
            source="data.weakest",
            many=True,
            help_text="the indicators with the lowest mean attainment, weakest first",
        )
        coverage_level = serializers.CharField(
            source="data.coverage_level", help_text="city or district: what the rows are"
        )
        coverage = OverviewCoverageSerializer(source="data.coverage", many=True)

        def get_scored(self, instance: dict[str, Any]) -> int:
            stats = instance["data"].stats
            return stats.scored if stats is not None else 0

    @extend_schema(
        summary="The dashboard overview of a round",
        description=(
            "The figures the dashboard's overview shows for the reader's scope: status "
            "counts and coverage counted live, score figures as stored with the ranks. "
            "Administrators and officials (their region) only."
        ),
        tags=["dashboard"],
        parameters=[RoundQuerySerializer],
        responses={200: OutputSerializer},
        examples=[OpenApiExample("a city's overview", value=EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        query = RoundQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        scope = results_scope(request.user, query.validated_data.get("round"))
        return Response(self.OutputSerializer({"scope": scope, "data": overview(scope)}).data)


urlpatterns = [
    path("dashboard/overview/", DashboardOverviewView.as_view(), name="dashboard-overview"),
]
