"""Bulk import of answers: many communities' answers and notes in one request, all or
nothing, through the same service as the Excel import. A refused request names every
problem, each with its community and, where it has one, its item and field."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import services
from assessments.api.answers import EXAMPLE_ANSWERS, changes_from
from assessments.api.serializers import AnswersField, NotesField, VersionField
from common.api.schema import ErrorSerializer, error_response
from common.params import MAX_ID

MAX_ENTRIES = 2_000


@extend_schema_serializer(component_name="AnswersImportEntry")
class _Entry(serializers.Serializer):
    community = serializers.CharField(
        max_length=32, help_text=gettext_lazy("the community's registry code")
    )
    version = VersionField(
        required=False,
        help_text=gettext_lazy(
            "the version the answers were based on; refused (409) when someone saved since"
        ),
    )
    answers = AnswersField(required=False, default=dict)
    notes = NotesField(required=False, default=dict)


@extend_schema_serializer(component_name="AnswersImportOutcome")
class _Outcome(serializers.Serializer):
    community = serializers.CharField()
    id = serializers.IntegerField(help_text=gettext_lazy("the assessment's id"))
    version = serializers.IntegerField(
        help_text=gettext_lazy("the assessment's version after the import")
    )


class AnswersImportView(APIView):
    @extend_schema_serializer(component_name="AnswersImport")
    class InputSerializer(serializers.Serializer):
        round = serializers.IntegerField(
            min_value=1, max_value=MAX_ID, help_text=gettext_lazy("the round's id")
        )
        dry_run = serializers.BooleanField(
            default=False,
            help_text=gettext_lazy("check everything as a real run would, but save nothing"),
        )
        assessments = serializers.ListField(
            child=_Entry(), allow_empty=False, max_length=MAX_ENTRIES
        )

    @extend_schema_serializer(component_name="AnswersImportResult")
    class OutputSerializer(serializers.Serializer):
        changed = serializers.IntegerField(help_text=gettext_lazy("assessments changed"))
        unchanged = serializers.IntegerField(
            help_text=gettext_lazy("assessments whose answers and notes were already so")
        )
        dry_run = serializers.BooleanField()
        assessments = _Outcome(many=True)

    @extend_schema(
        summary="Import answers and notes of many communities at once",
        description=(
            f"Up to {MAX_ENTRIES} communities of one round, by registry code. All or nothing: "
            "every answer is validated as the assessment page validates it, every assessment "
            "must be editable by the user now (and unchanged since its version, when given). "
            "A refused import answers with every problem, each naming its community and, "
            "where it has one, its item and field; nothing is saved. With dry_run the import "
            "is checked and reported exactly as a real run, and nothing is saved."
        ),
        tags=["imports"],
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            413: error_response(413),
            409: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "An assessment that cannot change now (submitted, approved, round "
                    "closed) or changed since its version; every problem in details."
                ),
            ),
        },
        examples=[
            OpenApiExample(
                "two communities",
                value={
                    "round": 3,
                    "dry_run": False,
                    "assessments": [
                        {
                            "community": "370102001001",
                            "version": 4,
                            "answers": EXAMPLE_ANSWERS,
                            "notes": {"L1P8": "路灯改造台账见附件"},
                        },
                        {
                            "community": "370102001002",
                            "answers": {"L1P8.1": {"numerator": 350, "denominator": 400}},
                        },
                    ],
                },
                request_only=True,
            ),
            OpenApiExample(
                "every problem",
                value={
                    "code": "invalid",
                    "message": "The request was refused; see details.",
                    "details": [
                        {
                            "message": "370102001009: no community has this registry code.",
                            "field": "assessments.1.community",
                            "community": "370102001009",
                        },
                        {
                            "message": "370102001001: L1P8.1：分母必须大于 0。",
                            "item": "L1P8.1",
                            "field": "denominator",
                            "community": "370102001001",
                        },
                    ],
                },
                status_codes=["400"],
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        outcome = services.answers_import_by_code(
            actor=request.user,
            round_id=data["round"],
            entries=[
                services.CommunityAnswers(
                    community=entry["community"],
                    answers=changes_from(entry["answers"]),
                    notes=dict(entry["notes"]),
                    version=entry.get("version"),
                )
                for entry in data["assessments"]
            ],
            dry_run=data["dry_run"],
            entries_field="assessments",
        )
        return Response(
            self.OutputSerializer(
                {
                    "changed": outcome.changed,
                    "unchanged": len(outcome.assessments) - outcome.changed,
                    "dry_run": data["dry_run"],
                    "assessments": [
                        {"community": code, "id": pk, "version": version}
                        for code, (pk, version) in outcome.assessments.items()
                    ],
                }
            ).data
        )


urlpatterns = [
    path("imports/answers/", AnswersImportView.as_view(), name="answers-import"),
]
