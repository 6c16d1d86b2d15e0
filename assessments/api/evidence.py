"""Evidence (佐证材料) of an assessment: listed, uploaded as a file (multipart) or added as a
link (JSON), read, deleted and downloaded, through the services and the scoping of the
pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from assessments import permissions, selectors, services
from assessments.api.serializers import UserRefSerializer
from assessments.choices import ItemReviewStatus
from assessments.errors import forbidden
from assessments.models import Assessment, Evidence
from assessments.uploads import ALLOWED_TYPES
from assessments.views.evidence import evidence_file_response, evidence_with_file
from common.api.errors import error_body
from common.api.schema import ErrorSerializer

EXAMPLE_ITEM = "L1P8.1"


class EvidenceSerializer(serializers.ModelSerializer):
    """One piece of evidence; the context holds ``reviews`` (item id -> verdict)."""

    item = serializers.CharField(source="item.code", read_only=True)
    url = serializers.CharField(read_only=True, help_text="A link's address; empty for files.")
    kind = serializers.SerializerMethodField()
    uploaded_by = UserRefSerializer(read_only=True, allow_null=True)
    review = serializers.SerializerMethodField(
        help_text="The reviewer's verdict on the evidence of this item, if any."
    )
    download_url = serializers.SerializerMethodField(help_text="Files only.")

    class Meta:
        model = Evidence
        fields = (
            "id",
            "item",
            "kind",
            "original_name",
            "url",
            "description",
            "size",
            "content_type",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "review",
            "download_url",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["file", "link"]))
    def get_kind(self, evidence: Evidence) -> str:
        return "file" if evidence.file else "link"

    @extend_schema_field(serializers.ChoiceField(choices=ItemReviewStatus.choices, allow_null=True))
    def get_review(self, evidence: Evidence) -> str | None:
        return self.context["reviews"].get(evidence.item_id)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, evidence: Evidence) -> str | None:
        if not evidence.file:
            return None
        return reverse(
            "api:evidence-file",
            kwargs={"evidence_id": evidence.pk},
            request=self.context.get("request"),
        )


def _output(request: Request, assessment: Assessment, evidence: Evidence) -> dict[str, Any]:
    reviews = selectors.item_review_statuses(assessment=assessment)
    return EvidenceSerializer(evidence, context={"request": request, "reviews": reviews}).data


def _too_large() -> Response:
    message = _("The file is larger than %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20}
    body = error_body("file_too_large", message, [{"message": message, "field": "file"}])
    return Response(body, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)


class AssessmentEvidenceView(generics.GenericAPIView):
    """The evidence of an assessment the user may view; adding needs the right to edit it
    (checked before the body is read; the service checks it again with the state)."""

    serializer_class = EvidenceSerializer
    queryset = Evidence.objects.none()  # for the schema only; get() reads through the selector
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema_serializer(component_name="EvidenceFileInput")
    class FileInputSerializer(serializers.Serializer):
        item = serializers.CharField(max_length=24, help_text="The item code, e.g. L1P8.1.")
        file = serializers.FileField(
            allow_empty_file=True,
            help_text="PDF, JPEG, PNG, Word (.docx) or Excel (.xlsx), recognised from its content.",
        )
        description = serializers.CharField(
            required=False, allow_blank=True, max_length=300, default=""
        )

    @extend_schema_serializer(component_name="EvidenceLinkInput")
    class LinkInputSerializer(serializers.Serializer):
        item = serializers.CharField(max_length=24, help_text="The item code, e.g. L1P8.1.")
        url = serializers.CharField(help_text="http:// or https://, at most 500 characters.")
        description = serializers.CharField(
            required=False, allow_blank=True, max_length=300, default=""
        )

    def _assessment(self) -> Assessment:
        assessment, _access = selectors.assessment_for_user(
            user=self.request.user, pk=self.kwargs["pk"]
        )
        return assessment

    @extend_schema(
        summary="The evidence of an assessment",
        tags=["evidence"],
        responses=EvidenceSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment = self._assessment()
        page = self.paginate_queryset(selectors.assessment_evidence(assessment=assessment))
        context = {
            **self.get_serializer_context(),
            "reviews": selectors.item_review_statuses(assessment=assessment),
        }
        return self.get_paginated_response(
            EvidenceSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        summary="Attach a file (multipart) or a link (JSON) to an item",
        tags=["evidence"],
        request={
            "multipart/form-data": FileInputSerializer,
            "application/json": LinkInputSerializer,
        },
        responses={
            201: EvidenceSerializer,
            413: OpenApiResponse(
                ErrorSerializer, description="The file is larger than the portal accepts."
            ),
        },
        examples=[
            OpenApiExample(
                "a file",
                value={
                    "item": EXAMPLE_ITEM,
                    "file": "(binary)",
                    "description": "智能照明改造验收报告",
                },
                media_type="multipart/form-data",
                request_only=True,
            ),
            OpenApiExample(
                "a link",
                value={
                    "item": EXAMPLE_ITEM,
                    "url": "https://zhsq.jinan.gov.cn/lighting/2026-report",
                    "description": "智能照明平台截图",
                },
                media_type="application/json",
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = self._assessment()
        if not permissions.can_edit_assessment(request.user, assessment):
            raise forbidden()  # before reading the body; the service checks the state
        if (request.content_type or "").startswith("multipart/"):
            upload = self.FileInputSerializer(data=request.data)
            upload.is_valid(raise_exception=True)
            data = upload.validated_data
            if data["file"].size > settings.UPLOAD_MAX_BYTES:
                return _too_large()
            evidence = services.evidence_add_file(
                actor=request.user,
                assessment=assessment,
                item_code=data["item"],
                upload=data["file"],
                description=data["description"],
            )
        else:
            link = self.LinkInputSerializer(data=request.data)
            link.is_valid(raise_exception=True)
            data = link.validated_data
            evidence = services.evidence_add_link(
                actor=request.user,
                assessment=assessment,
                item_code=data["item"],
                url=data["url"],
                description=data["description"],
            )
        evidence = selectors.assessment_evidence(assessment=assessment).get(pk=evidence.pk)
        return Response(_output(request, assessment, evidence), status=status.HTTP_201_CREATED)


class EvidenceDetailView(APIView):
    @extend_schema(summary="A piece of evidence", tags=["evidence"], responses=EvidenceSerializer)
    def get(self, request: Request, evidence_id: int) -> Response:
        evidence, _access = selectors.evidence_for_user(user=request.user, evidence_id=evidence_id)
        return Response(_output(request, evidence.assessment, evidence))

    @extend_schema(
        summary="Remove a piece of evidence",
        description="While the assessment may be changed; recorded in its history.",
        tags=["evidence"],
        responses={204: OpenApiResponse(description="Removed.")},
    )
    def delete(self, request: Request, evidence_id: int) -> Response:
        evidence, _access = selectors.evidence_for_user(user=request.user, evidence_id=evidence_id)
        services.evidence_delete(actor=request.user, evidence=evidence)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EvidenceFileView(APIView):
    """The stored file, with the page's permission and headers; a link has no file (404)."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The file has its own type whatever the Accept header asks; errors answer JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="Download an evidence file",
        tags=["evidence"],
        responses={
            **{
                (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
                for media_type in (*ALLOWED_TYPES, "application/octet-stream")
            },
        },
    )
    def get(self, request: Request, evidence_id: int) -> FileResponse:
        return evidence_file_response(
            evidence_with_file(user=request.user, evidence_id=evidence_id)
        )


urlpatterns = [
    path(
        "assessments/<int:pk>/evidence/",
        AssessmentEvidenceView.as_view(),
        name="assessment-evidence",
    ),
    path("evidence/<int:evidence_id>/", EvidenceDetailView.as_view(), name="evidence-detail"),
    path("evidence/<int:evidence_id>/file/", EvidenceFileView.as_view(), name="evidence-file"),
]
