"""Workflow actions: submit, return with per-indicator reasons, approve, reopen, judge an
item's evidence, approve many at once. The workflow services decide who may and when; a
refusal because of the state or what is missing is 409 with every problem."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import selectors, services
from assessments.choices import AssessmentStatus, ItemReviewStatus, ReviewAction
from assessments.errors import forbidden
from assessments.models import Assessment
from assessments.views.review import COMMENT_LENGTH
from common.params import MAX_ID

#: At most this many assessments in one bulk step (the review queue's limit).
BULK_LIMIT = 2_000
#: More than the framework has indicators; a longer list is not a real request.
REASONS_LIMIT = 100


class ActionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AssessmentStatus.choices)
    version = serializers.IntegerField(help_text="Send it with the next change.")
    available_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=ReviewAction.choices),
        help_text="What the user may do next.",
    )


def _result(user: Any, assessment: Assessment) -> dict[str, Any]:
    return ActionResultSerializer(
        {
            "id": assessment.pk,
            "status": assessment.status,
            "version": assessment.version,
            "available_actions": services.available_actions(user, assessment),
        }
    ).data


def _reviewable(user: Any, pk: int) -> Assessment:
    """The assessment when ``user`` may review it: 404 out of scope, 403 otherwise (as the
    review pages)."""
    assessment, access = selectors.assessment_for_user(user=user, pk=pk)
    if not access.review:
        raise forbidden()
    return assessment


def _comment(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=COMMENT_LENGTH, allow_blank=True, trim_whitespace=True, **kwargs
    )


class SubmitView(APIView):
    @extend_schema_serializer(component_name="SubmitInput")
    class InputSerializer(serializers.Serializer):
        version = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=MAX_ID,
            help_text="The version the client last read; a newer one answers 409.",
        )

    @extend_schema(
        summary="Submit an assessment for review",
        description="Every item must be answered and, where the round asks, every item that "
        "scores above zero must have evidence; otherwise 409 names each item.",
        tags=["workflow"],
        request=InputSerializer,
        responses=ActionResultSerializer,
        examples=[OpenApiExample("with the version read", value={"version": 12})],
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment, _access = selectors.assessment_for_user(user=request.user, pk=pk)
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = services.assessment_submit(
            actor=request.user,
            assessment=assessment,
            expected_version=body.validated_data.get("version"),
        )
        return Response(_result(request.user, assessment))


class ReturnView(APIView):
    @extend_schema_serializer(component_name="ReturnInput")
    class InputSerializer(serializers.Serializer):
        reasons = serializers.DictField(
            child=serializers.CharField(max_length=COMMENT_LENGTH, allow_blank=True),
            help_text="The indicators to correct, each with what to correct; the assessor may "
            "then change only those.",
        )
        comment = _comment(required=False, default="")

        def validate_reasons(self, reasons: dict[str, str]) -> dict[str, str]:
            if len(reasons) > REASONS_LIMIT:
                raise serializers.ValidationError(
                    _("Name at most %(n)d indicators.") % {"n": REASONS_LIMIT}
                )
            return reasons

    @extend_schema(
        summary="Return a submitted assessment for correction",
        tags=["workflow"],
        request=InputSerializer,
        responses=ActionResultSerializer,
        examples=[
            OpenApiExample(
                "two indicators to correct",
                value={
                    "reasons": {
                        "L1P8": "智能照明安装率的分母应为公共照明设备总数。",
                        "L2P1": "请补充平台运行记录。",
                    },
                    "comment": "",
                },
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = _reviewable(request.user, pk)
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = services.assessment_return(
            actor=request.user,
            assessment=assessment,
            reasons=body.validated_data["reasons"],
            comment=body.validated_data["comment"],
        )
        return Response(_result(request.user, assessment))


class ApproveView(APIView):
    @extend_schema_serializer(component_name="ApproveInput")
    class InputSerializer(serializers.Serializer):
        comment = _comment(required=False, default="")

    @extend_schema(
        summary="Approve a submitted assessment",
        tags=["workflow"],
        request=InputSerializer,
        responses=ActionResultSerializer,
        examples=[OpenApiExample("approve", value={"comment": "材料齐全，同意通过。"})],
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = _reviewable(request.user, pk)
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = services.assessment_approve(
            actor=request.user, assessment=assessment, comment=body.validated_data["comment"]
        )
        return Response(_result(request.user, assessment))


class ReopenView(APIView):
    @extend_schema_serializer(component_name="ReopenInput")
    class InputSerializer(serializers.Serializer):
        comment = _comment(help_text="Why the approved assessment is reopened (required).")

    @extend_schema(
        summary="Reopen an approved assessment",
        description="It goes back to returned, and every indicator may change again.",
        tags=["workflow"],
        request=InputSerializer,
        responses=ActionResultSerializer,
        examples=[OpenApiExample("reopen", value={"comment": "L1P8.1 的数据来源需重新核实。"})],
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = _reviewable(request.user, pk)
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = services.assessment_reopen(
            actor=request.user, assessment=assessment, comment=body.validated_data["comment"]
        )
        return Response(_result(request.user, assessment))


class ItemReviewView(APIView):
    @extend_schema_serializer(component_name="ItemReviewInput")
    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ItemReviewStatus.choices)
        comment = _comment(
            required=False, default="", help_text="Required to reject: what is wrong."
        )

    @extend_schema_serializer(component_name="ItemReviewResult")
    class OutputSerializer(serializers.Serializer):
        item = serializers.CharField()
        status = serializers.ChoiceField(choices=ItemReviewStatus.choices)
        comment = serializers.CharField()
        version = serializers.IntegerField(help_text="The assessment's version now.")

    @extend_schema(
        summary="Accept or reject the evidence of one item",
        description="On a submitted assessment; a rejected item scores 0 until accepted.",
        tags=["workflow"],
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="Item code.")],
        request=InputSerializer,
        responses=OutputSerializer,
        examples=[
            OpenApiExample("accept", value={"status": "accepted", "comment": ""}),
            OpenApiExample(
                "reject",
                value={"status": "rejected", "comment": "验收报告未盖章。"},
            ),
        ],
    )
    def put(self, request: Request, pk: int, code: str) -> Response:
        assessment = _reviewable(request.user, pk)
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = services.item_review_set(
            actor=request.user,
            assessment=assessment,
            item_code=code,
            status=body.validated_data["status"],
            comment=body.validated_data["comment"],
        )
        return Response(
            self.OutputSerializer(
                {
                    "item": code,
                    "status": review.status,
                    "comment": review.comment,
                    "version": review.assessment.version,
                }
            ).data
        )


class BulkApproveView(APIView):
    @extend_schema_serializer(component_name="BulkApproveInput")
    class InputSerializer(serializers.Serializer):
        ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
            min_length=1,
            max_length=BULK_LIMIT,
            help_text="The submitted assessments to approve.",
        )
        comment = _comment(required=False, default="")

    @extend_schema_serializer(component_name="BulkApproveResult")
    class OutputSerializer(serializers.Serializer):
        approved = serializers.IntegerField()
        assessments = ActionResultSerializer(many=True)

    @extend_schema(
        summary="Approve many submitted assessments at once",
        description="All or nothing: when one cannot be approved, none is, and 409 names "
        "every problem with its community.",
        tags=["workflow"],
        request=InputSerializer,
        responses=OutputSerializer,
        examples=[OpenApiExample("three", value={"ids": [101, 102, 117], "comment": ""})],
    )
    def post(self, request: Request) -> Response:
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = sorted(set(body.validated_data["ids"]))
        visible = set(
            selectors.assessment_list(user=request.user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        missing = [pk for pk in ids if pk not in visible]
        if missing:
            raise _not_found(missing)
        count = services.assessments_transition_bulk(
            actor=request.user,
            assessment_ids=ids,
            action=ReviewAction.APPROVE,
            comment=body.validated_data["comment"],
        )
        approved = selectors.assessment_list(user=request.user).filter(pk__in=ids)
        return Response(
            self.OutputSerializer(
                {"approved": count, "assessments": [_result(request.user, a) for a in approved]}
            ).data
        )


def _not_found(ids: list[int]) -> NotFound:
    return NotFound(
        _("No assessment with these ids, or not yours: %(ids)s")
        % {"ids": ", ".join(str(pk) for pk in ids[:20])}
    )


urlpatterns = [
    path("assessments/<int:pk>/submit/", SubmitView.as_view(), name="assessment-submit"),
    path("assessments/<int:pk>/return/", ReturnView.as_view(), name="assessment-return"),
    path("assessments/<int:pk>/approve/", ApproveView.as_view(), name="assessment-approve"),
    path("assessments/<int:pk>/reopen/", ReopenView.as_view(), name="assessment-reopen"),
    path(
        "assessments/<int:pk>/item-reviews/<str:code>/",
        ItemReviewView.as_view(),
        name="assessment-item-review",
    ),
    path("assessments/bulk-approve/", BulkApproveView.as_view(), name="assessments-bulk-approve"),
]
