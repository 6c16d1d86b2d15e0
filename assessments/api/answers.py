"""An assessment's answers and notes: read them, change some of them (guarded by the
version, as the assessment page is), and the live scores from the same engine as the
page's preview, for the stored answers or with changes that are not saved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
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

from assessments import selectors, services
from assessments.answers import CLEAR, merge_answers
from assessments.api.serializers import (
    AnswersField,
    HistoryEventSerializer,
    NotesField,
    VersionField,
    assessment_notes,
)
from assessments.choices import ItemReviewStatus
from assessments.errors import InvalidAnswersError, StaleVersionError
from assessments.models import Assessment
from assessments.preview import Preview, compute
from common.api.errors import domain_error_response
from common.api.schema import ErrorSerializer, PortalAutoSchema
from indicators.specs import framework_catalog
from scoring.engine import validate_answers
from scoring.engine.results import MISSING, NOT_APPLICABLE, REJECTED, SCORED

#: Answers of four item types, as a client sends them (codes and options of the framework).
EXAMPLE_ANSWERS = {
    "L1P8.1": {"numerator": 480, "denominator": 1000},
    "L1P1.2": {"value": True},
    "L1P2.2": {"checked": ["a", "b", "c"]},
    "L4P1.1": {"level": 3},
}


def changes_from(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers as sent (null clears an item) as the services' changes."""
    return {code: CLEAR if value is None else value for code, value in answers.items()}


def rejected_items(assessment: Assessment) -> frozenset[str]:
    """The items whose evidence the reviewer rejected (they score 0 until accepted)."""
    return frozenset(
        assessment.item_reviews.filter(status=ItemReviewStatus.REJECTED).values_list(
            "item__code", flat=True
        )
    )


def preview_of(
    assessment: Assessment, changes: Mapping[str, Any], stored: Mapping[str, Any] | None = None
) -> Preview:
    """The scores of the stored answers (read here unless the caller has them) with
    ``changes`` applied, as the page's preview computes them; InvalidAnswersError when the
    changes break the scoring rules."""
    catalog = framework_catalog(assessment.round.framework)
    stored = services.current_engine_answers(assessment) if stored is None else stored
    errors = validate_answers(catalog.spec, merge_answers(stored, changes))
    if errors:
        raise InvalidAnswersError(errors)
    return compute(
        catalog=catalog,
        items=catalog.items,
        stored=stored,
        changes=changes,
        rejected=rejected_items(assessment),
        grade_bands=assessment.round.grade_bands,
    )


def preview_data(preview: Preview) -> dict[str, Any]:
    return {
        "total": preview.total,
        "grade": preview.grade,
        "answered": preview.answered,
        "item_count": preview.item_count,
        "primaries": preview.primaries,
        "indicators": {
            code: {"score": score, "met": met} for code, (score, met) in preview.indicators.items()
        },
        "items": {code: asdict(item) for code, item in preview.items.items()},
    }


class ItemPreviewSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.ChoiceField(
        choices=(SCORED, MISSING, NOT_APPLICABLE, REJECTED),
        help_text=_("rejected: the evidence was rejected, so the item scores 0"),
    )
    s = serializers.CharField(help_text=_('item score, 4 decimals ("0.8000"); "" when none'))
    achievement = serializers.CharField(help_text=_('as people read it: "48.00%"'))
    target = serializers.CharField(help_text=_('the requirement: "≥ 60%"'))
    met = serializers.BooleanField(allow_null=True)
    missing = serializers.CharField(help_text=_('what it still needs to be met ("" when met)'))
    points = serializers.CharField(help_text=_("what it adds to its indicator, 2 decimals"))


class IndicatorPreviewSerializer(serializers.Serializer):
    score = serializers.CharField(help_text=_("2 decimals"))
    met = serializers.BooleanField()


class PreviewSerializer(serializers.Serializer):
    total = serializers.CharField(help_text=_('the total score, 2 decimals ("73.25")'))
    grade = serializers.CharField(help_text=_("the grade's name in the request's language"))
    answered = serializers.IntegerField()
    item_count = serializers.IntegerField()
    primaries = serializers.DictField(
        child=serializers.CharField(), help_text=_("score by primary indicator code")
    )
    indicators = serializers.DictField(
        child=IndicatorPreviewSerializer(), help_text=_("by indicator code")
    )
    items = serializers.DictField(child=ItemPreviewSerializer(), help_text=_("by item code"))


class AnswersSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    answers = AnswersField()
    notes = NotesField()


class SavedAnswersSerializer(AnswersSerializer):
    preview = PreviewSerializer(help_text=_("the scores with the answers as saved"))


class StaleVersionErrorSerializer(ErrorSerializer):
    current = AnswersSerializer(
        required=False, help_text=_("with stale_version: what is stored now")
    )
    changes = HistoryEventSerializer(
        many=True, required=False, help_text=_("with stale_version: the saves not seen")
    )


def _answers_data(assessment: Assessment, version: int) -> dict[str, Any]:
    return {
        "version": version,
        "answers": services.current_engine_answers(assessment),
        "notes": assessment_notes(assessment),
    }


class _WholeBodySchema(PortalAutoSchema):
    """The PATCH body changes some answers, but is itself never partial (the version is
    required); drf-spectacular documents every PATCH body as partial, so this one is
    documented as a POST body is."""

    def _get_request_for_media_type(self, serializer: Any, direction: str = "request") -> Any:
        method, self.method = self.method, "POST"
        try:
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = method


class AssessmentAnswersView(APIView):
    schema = _WholeBodySchema()

    @extend_schema_serializer(component_name="AnswersChange")
    class InputSerializer(serializers.Serializer):
        version = VersionField(
            help_text=_(
                "the version the client last read; the save is refused (409) when someone "
                "changed any of the same items or notes since"
            )
        )
        answers = AnswersField(
            required=False,
            default=dict,
            help_text=_(
                "the answers to change, keyed by item code (each the JSON object of its item "
                "type); null clears an item's answer; items not named keep theirs"
            ),
        )
        notes = NotesField(
            required=False, default=dict, help_text=_('notes by indicator code; "" removes one')
        )

    @extend_schema(
        summary="An assessment's answers and notes",
        tags=["answers"],
        responses=AnswersSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment, _access = selectors.assessment_for_user(user=request.user, pk=pk)
        return Response(AnswersSerializer(_answers_data(assessment, assessment.version)).data)

    @extend_schema(
        summary="Change some answers and notes",
        description=(
            "Validated per item type exactly as the assessment page. All or nothing: invalid "
            "answers answer 400 with a detail per item and field. Only assigned assessors "
            "and administrators may write, while the assessment is a draft or returned (a "
            "returned one only in the indicators named by the reviewer) and its round is "
            "open."
        ),
        tags=["answers"],
        request=InputSerializer,
        responses={
            200: SavedAnswersSerializer,
            409: OpenApiResponse(
                StaleVersionErrorSerializer,
                description=(
                    "A stale version (code stale_version, with the current values and the "
                    "changes not seen), or an assessment or round that cannot change now "
                    "(code invalid_state)."
                ),
            ),
        },
        examples=[
            OpenApiExample(
                "four item types, one cleared, a note",
                value={
                    "version": 7,
                    "answers": {**EXAMPLE_ANSWERS, "L1P7.2": None},
                    "notes": {"L1P8": "路灯改造台账见附件"},
                },
                request_only=True,
            ),
        ],
    )
    def patch(self, request: Request, pk: int) -> Response:
        assessment, _access = selectors.assessment_for_user(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        values, notes = changes_from(data["answers"]), dict(data["notes"])
        try:
            saved = services.answers_save(
                actor=request.user,
                assessment=assessment,
                values=values,
                notes=notes,
                expected_version=data["version"],
                scope=services.Scope(items=frozenset(values), indicators=frozenset(notes)),
            )
        except StaleVersionError as error:
            catalog = framework_catalog(assessment.round.framework)
            return domain_error_response(
                error,
                {
                    "current": _answers_data(assessment, error.current),
                    "changes": HistoryEventSerializer(
                        error.changes, many=True, context={"catalog": catalog}
                    ).data,
                },
            )
        body = _answers_data(saved, saved.version)
        body["preview"] = preview_data(preview_of(saved, {}, stored=body["answers"]))
        return Response(SavedAnswersSerializer(body).data)


class AssessmentPreviewView(APIView):
    @extend_schema_serializer(component_name="PreviewChange")
    class InputSerializer(serializers.Serializer):
        answers = AnswersField(
            help_text=_("changes to score (null clears an item); nothing is saved")
        )

    @extend_schema(
        summary="The live scores of the stored answers",
        tags=["answers"],
        responses=PreviewSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment, _access = selectors.assessment_for_user(user=request.user, pk=pk)
        return Response(PreviewSerializer(preview_data(preview_of(assessment, {}))).data)

    @extend_schema(
        summary="The live scores with some answers changed, nothing saved",
        description=(
            "For anyone who may see the assessment. Invalid answers answer 400 with a detail "
            "per item and field."
        ),
        tags=["answers"],
        request=InputSerializer,
        responses={200: PreviewSerializer},
        examples=[
            OpenApiExample(
                "what if these were the answers",
                value={"answers": {**EXAMPLE_ANSWERS, "L1P7.2": None}},
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment, _access = selectors.assessment_for_user(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preview = preview_of(assessment, changes_from(serializer.validated_data["answers"]))
        return Response(PreviewSerializer(preview_data(preview)).data)


urlpatterns = [
    path(
        "assessments/<int:pk>/answers/", AssessmentAnswersView.as_view(), name="assessment-answers"
    ),
    path(
        "assessments/<int:pk>/preview/", AssessmentPreviewView.as_view(), name="assessment-preview"
    ),
]
