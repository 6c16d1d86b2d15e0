"""``GET assessments/<pk>/scorecard/``: an assessment's stored scorecard, explained point
by point. It reads what the dashboard's community page and the printed scorecard read
(``community_page_of``): nothing is scored again here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.api.serializers import RoundRefSerializer
from assessments.selectors import assessment_for_user
from reports.api.serializers import (
    CommunityRefSerializer,
    percent_field,
    score_field,
    weight_field,
)
from reports.selectors.community import CommunityInScope, scorecard_of
from reports.selectors.scorecard import CommunityPage, community_page_of
from scoring.services import standings_for_page

EXAMPLE = {
    "assessment": {"id": 41, "status": "approved", "version": 7},
    "community": {"id": 12, "code": "370102001001", "name": "甲社区"},
    "round": {"id": 3, "name": "2026年度评估"},
    "total": "78.42",
    "grade": "good",
    "grade_name": "良好",
    "complete": True,
    "frozen": True,
    "computed_at": "2026-06-30T09:12:44+08:00",
    "engine_version": "1.4.0",
    "inputs_hash": "9c1e0f6b2d6c4f5aa0f3b1d7e2c84a19b3d5e6f708192a3b4c5d6e7f8091a2b3",
    "assessment_version": 7,
    "ranks": {"province": 12, "city": 3, "district": 1, "peer_group": 2},
    "peer_group": {"code": "urban-m", "name": "城镇 · 1,000–2,999户"},
    "placings": [
        {"label": "全省排名", "rank": 12, "of": 180, "low": 10, "high": 15, "note": ""},
        {"label": "济南市内排名", "rank": 3, "of": 40, "low": None, "high": None, "note": ""},
    ],
    "primaries": {"L1": "24.10", "L2": "21.32", "L3": "18.00", "L4": "15.00"},
    "indicators": [
        {
            "code": "L1P8",
            "primary": "L1",
            "name_zh": "智慧能源",
            "name_en": "Smart energy",
            "weight": "4.000",
            "score": "3.88",
            "percent": "97.0",
            "met": False,
            "items": [
                {
                    "code": "L1P8.1",
                    "type": "ratio",
                    "name_zh": "智能电表覆盖率",
                    "name_en": "Smart meter coverage",
                    "status": "scored",
                    "s": "0.9600",
                    "share": "2.00",
                    "points": "1.92",
                    "achievement": "96.0%",
                    "target": "≥ 100%",
                    "met": False,
                    "review": {"status": "accepted", "comment": ""},
                }
            ],
        }
    ],
}


class ScorecardReviewSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="accepted or rejected (a rejected item scores 0)")
    comment = serializers.CharField()


class ScorecardItemSerializer(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    type = serializers.CharField(source="item.type")
    name_zh = serializers.CharField(source="item.name_zh")
    name_en = serializers.CharField(source="item.name_en")
    status = serializers.CharField(help_text="the engine's: scored, missing, na or rejected")
    s = serializers.SerializerMethodField(help_text="the item's score from 0 to 1, as stored")
    share = score_field(
        allow_null=True,
        help_text="the item's share of the indicator's weight; null when not applicable",
    )
    points = score_field(
        allow_null=True,
        help_text="share × s, rounded so that the indicator's items add up to its score",
    )
    achievement = serializers.CharField(help_text="what was achieved, as the pages word it")
    target = serializers.CharField(help_text="what the standard asks for")
    met = serializers.BooleanField(allow_null=True)
    review = ScorecardReviewSerializer(
        allow_null=True, help_text="the reviewer's verdict on evidence"
    )

    def get_s(self, line: Any) -> str | None:
        return line.s or None


class ScorecardIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    primary = serializers.CharField(source="indicator.primary.code")
    name_zh = serializers.CharField(source="indicator.name_zh")
    name_en = serializers.CharField(source="indicator.name_en")
    weight = weight_field()
    score = score_field()
    percent = percent_field(help_text="score as a percentage of the weight")
    met = serializers.BooleanField()
    items = ScorecardItemSerializer(many=True)


class ScorecardPlacingSerializer(serializers.Serializer):
    # A field named like Field.label: the serializer's metaclass takes it out of the class.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="the area, in the request's language"
    )
    rank = serializers.IntegerField(allow_null=True)
    of = serializers.IntegerField(allow_null=True, help_text="scored communities in the area")
    low = serializers.IntegerField(allow_null=True, help_text="best rank of the stability run")
    high = serializers.IntegerField(allow_null=True, help_text="worst rank of the stability run")
    note = serializers.CharField(help_text="the peer group, for the peer group's rank")


class ScorecardRanksSerializer(serializers.Serializer):
    province = serializers.IntegerField(source="rank", allow_null=True)
    city = serializers.IntegerField(source="rank_in_city", allow_null=True)
    district = serializers.IntegerField(source="rank_in_district", allow_null=True)
    peer_group = serializers.IntegerField(source="rank_in_peer_group", allow_null=True)


class ScorecardPeerGroupSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="area type and size band, e.g. urban-m")
    name = serializers.CharField()


class ScorecardAssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    version = serializers.IntegerField(help_text="the assessment's current version")


class AssessmentScorecardView(APIView):
    @extend_schema_serializer(component_name="Scorecard")
    class OutputSerializer(serializers.Serializer):
        assessment = ScorecardAssessmentSerializer()
        community = CommunityRefSerializer()
        round = RoundRefSerializer()
        total = score_field(source="card.total")
        grade = serializers.CharField(source="card.grade", help_text="grade band code")
        grade_name = serializers.CharField(source="grade")
        complete = serializers.BooleanField(
            source="card.complete", help_text="every item answered or not applicable"
        )
        frozen = serializers.BooleanField(
            source="card.frozen", help_text="kept as approved: rescoring leaves it alone"
        )
        computed_at = serializers.DateTimeField(source="card.computed_at")
        engine_version = serializers.CharField(source="card.engine_version")
        inputs_hash = serializers.CharField(source="card.inputs_hash")
        assessment_version = serializers.IntegerField(
            source="card.assessment_version",
            help_text="the assessment version scored; below the current version, a rescore is due",
        )
        ranks = ScorecardRanksSerializer(source="card")
        peer_group = serializers.SerializerMethodField()
        placings = ScorecardPlacingSerializer(many=True)
        primaries = serializers.DictField(
            source="card.primaries", child=score_field(), help_text="score per primary code"
        )
        indicators = serializers.SerializerMethodField()

        @extend_schema_field(ScorecardPeerGroupSerializer(allow_null=True))
        def get_peer_group(self, page: CommunityPage) -> dict[str, str] | None:
            card = page.card
            if card is None or not card.peer_group:
                return None
            return {"code": card.peer_group, "name": page.peer_group}

        @extend_schema_field(ScorecardIndicatorSerializer(many=True))
        def get_indicators(self, page: CommunityPage) -> list[dict[str, Any]]:
            lines = [line for primary in page.primaries for line in primary.indicators]
            return list(ScorecardIndicatorSerializer(lines, many=True).data)

    @extend_schema(
        summary="An assessment's scorecard, explained item by item",
        description=(
            "The stored scorecard (not computed again): total, grade, ranks and, per "
            "indicator and item, how every point was earned (points = share × s). For "
            "administrators, the assessment's assessors and officials of its region; "
            "404 outside the reader's scope or before the assessment is scored."
        ),
        tags=["scorecards"],
        responses={200: OutputSerializer},
        examples=[OpenApiExample("a scorecard", value=EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment, _access = assessment_for_user(user=request.user, pk=pk)
        # Ranks as the dashboard shows them: brought up to date with the totals first.
        standings_for_page(
            round_id=assessment.round_id,
            max_lag=timedelta(seconds=settings.STANDINGS_MAX_LAG_SECONDS),
        )
        if scorecard_of(assessment) is None:
            raise NotFound(
                _("This assessment has no scorecard yet: it is scored once answers are saved.")
            )
        found = CommunityInScope(assessment.community, [assessment], assessment)
        page = community_page_of(found, assessment.round)
        return Response(self.OutputSerializer(page).data)


urlpatterns = [
    path(
        "assessments/<int:pk>/scorecard/",
        AssessmentScorecardView.as_view(),
        name="assessment-scorecard",
    ),
]
