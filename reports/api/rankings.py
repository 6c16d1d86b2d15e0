"""``GET rankings/``: a round's ranking table as the dashboard's ranking page shows it, with
the same filters and sort keys (reports.selectors.ranking), one page at a time.

Unlike the page, the endpoint refuses malformed parameters (400): a value that is not a
number, a status, area type or peer group that does not exist, a grade or sort key the
round does not have, a page size outside 1..500. Well-formed city and district ids
outside the reader's scope are dropped as on the page; ``filters`` in the answer says
which filters were applied. A round the reader may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.api.serializers import RoundRefSerializer
from assessments.choices import AreaType, AssessmentStatus
from common.api.pagination import PagePagination
from reports.api.scope import results_scope
from reports.api.serializers import (
    CommunityRefSerializer,
    RegionRefSerializer,
    RoundQuerySerializer,
    id_field,
    score_field,
)
from reports.scope import Scope
from reports.selectors.ranking import (
    RANK_FIELDS,
    RANK_LABELS,
    SORT_KEYS,
    RankingRow,
    primary_codes,
    ranking_cards,
    ranking_columns,
    ranking_filters,
    ranking_rows,
)
from scoring.peers import peer_group_choices

#: The query parameters that name the table's filters (the selector's own names).
FILTERS = ("city", "district", "grade", "status", "area", "peer", "q", "sort")

EXAMPLE_ROW = {
    "rank": 3,
    "rank_range": [2, 5],
    "assessment": 41,
    "community": {"id": 12, "code": "370102001001", "name": "甲社区"},
    "city": {"id": 2, "code": "3701", "name": "济南市", "level": "city"},
    "district": {"id": 5, "code": "370102", "name": "历下区", "level": "district"},
    "total": "78.42",
    "grade": "good",
    "grade_name": "良好",
    "primaries": {"L1": "24.10", "L2": "21.32", "L3": "18.00", "L4": "15.00"},
    "status": "approved",
    "answered_items": 46,
    "evidenced_items": 30,
    "thin_evidence": False,
}


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(
        allow_null=True, help_text="the rank of the table's kind (see rank_kind)"
    )
    rank_range = serializers.ListField(
        child=serializers.IntegerField(),
        min_length=2,
        max_length=2,
        allow_null=True,
        help_text="[best, worst] rank of the latest ranking-stability run, where there is one",
    )
    assessment = serializers.IntegerField(source="card.assessment_id", help_text="assessment id")
    community = CommunityRefSerializer()
    city = RegionRefSerializer(source="card.city", allow_null=True)
    district = RegionRefSerializer(source="card.district", allow_null=True)
    total = score_field(source="card.total")
    grade = serializers.CharField(source="card.grade", help_text="grade band code")
    grade_name = serializers.CharField()
    primaries = serializers.SerializerMethodField()
    status = serializers.ChoiceField(source="assessment.status", choices=AssessmentStatus.choices)
    answered_items = serializers.IntegerField(source="assessment.answered_count")
    evidenced_items = serializers.IntegerField(source="assessment.evidenced_count")
    thin_evidence = serializers.BooleanField(
        help_text="a high score (the good grade or better) with evidence on fewer than half "
        "of the answered items"
    )

    @extend_schema_field(serializers.DictField(child=score_field(allow_null=True)))
    def get_primaries(self, row: RankingRow) -> dict[str, str | None]:
        return {
            primary.code: None if score is None else f"{score:.2f}"
            for primary, score in row.primary_scores
        }


class RankingView(APIView):
    class InputSerializer(RoundQuerySerializer):
        city = id_field(required=False, help_text=_("City id (ignored outside your scope)."))
        district = id_field(
            required=False,
            help_text=_("District id within the chosen city (ignored outside your scope)."),
        )
        grade = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=32,
            help_text=_("Grade band code, e.g. good."),
        )
        status = serializers.ChoiceField(
            required=False, allow_blank=True, choices=AssessmentStatus.choices
        )
        area = serializers.ChoiceField(required=False, allow_blank=True, choices=AreaType.choices)
        peer = serializers.ChoiceField(
            required=False,
            allow_blank=True,
            choices=[key for key, _label in peer_group_choices()],
            help_text=_("Peer group: area type and size band."),
        )
        q = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=100,
            help_text=_("Part of the community's name, or the start of its code."),
        )
        sort = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=16,
            help_text=_(
                "rank (the default), name, coverage or a primary code (L1..L4); "
                "a leading - reverses the order."
            ),
        )
        page = id_field(required=False, help_text=_("Page number, from 1."))
        page_size = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=PagePagination.max_page_size,
            help_text=_("Rows per page (50 unless given)."),
        )

    @extend_schema_serializer(component_name="RankingPage")
    class OutputSerializer(serializers.Serializer):
        round = RoundRefSerializer(allow_null=True, help_text="null when no round is visible")
        rank_kind = serializers.ChoiceField(
            choices=list(RANK_FIELDS),
            help_text="which rank the rows show: in the province, or within the city, district "
            "or peer group the table is filtered to",
        )
        rank_label = serializers.CharField()
        filters = serializers.DictField(
            child=serializers.CharField(), help_text="the filters applied, by parameter"
        )
        count = serializers.IntegerField(help_text="rows over all pages")
        next = serializers.URLField(allow_null=True)
        previous = serializers.URLField(allow_null=True)
        results = RankingRowSerializer(many=True)

    @extend_schema(
        summary="The ranking table of a round",
        description=(
            "Scorecards of the reader's scope in the round, filtered and sorted as on the "
            "dashboard's ranking page. Administrators and officials (their region) only. "
            "Malformed parameters are a 400; city and district ids outside the scope are "
            "dropped (see filters in the answer)."
        ),
        tags=["rankings"],
        parameters=[InputSerializer],
        responses={200: OutputSerializer},
        examples=[
            OpenApiExample(
                "a page of the ranking",
                value={
                    "round": {"id": 3, "name": "2026年度评估"},
                    "rank_kind": "city",
                    "rank_label": "市内排名",
                    "filters": {"city": "2"},
                    "count": 40,
                    "next": "https://portal.example/api/v1/rankings/?city=2&page=2",
                    "previous": None,
                    "results": [EXAMPLE_ROW],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        query = self.InputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        scope = results_scope(request.user, data.get("round"))
        if scope.round is None:
            return Response(self._empty())
        _check_round_values(scope, data)
        params = {key: str(data[key]) for key in FILTERS if data.get(key)}
        filters, _regions = ranking_filters(scope, params)
        columns = ranking_columns(scope, filters)
        paginator = PagePagination()
        ids = paginator.paginate_queryset(
            ranking_cards(scope, filters).values_list("pk", flat=True), request, view=self
        )
        rows = ranking_rows(scope, columns, list(ids or []))
        page = paginator.page
        body = {
            "round": scope.round,
            "rank_kind": filters.rank_kind,
            "rank_label": str(RANK_LABELS[filters.rank_kind]),
            "filters": filters.params(),
            "count": page.paginator.count if page is not None else 0,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": rows,
        }
        return Response(self.OutputSerializer(body).data)

    @staticmethod
    def _empty() -> dict[str, Any]:
        return {
            "round": None,
            "rank_kind": "overall",
            "rank_label": str(RANK_LABELS["overall"]),
            "filters": {},
            "count": 0,
            "next": None,
            "previous": None,
            "results": [],
        }


def _check_round_values(scope: Scope, data: dict[str, Any]) -> None:
    """The grade and sort key must be ones of the round (its grade bands, its primaries);
    blank values name no filter, as from a form."""
    errors: dict[str, list[str]] = {}
    grades = [str(band.get("code")) for band in scope.grade_bands]
    if data.get("grade") and data["grade"] not in grades:
        errors["grade"] = [
            _("Unknown grade; one of: %(choices)s.") % {"choices": ", ".join(grades)}
        ]
    keys = (*SORT_KEYS, *primary_codes(scope))
    if data.get("sort") and data["sort"].removeprefix("-") not in keys:
        errors["sort"] = [
            _("Unknown sort key; one of: %(choices)s, each may start with -.")
            % {"choices": ", ".join(keys)}
        ]
    if errors:
        raise serializers.ValidationError(errors)


urlpatterns = [
    path("rankings/", RankingView.as_view(), name="ranking"),
]
