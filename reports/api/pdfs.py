"""The PDFs the dashboard serves, for machines: an assessment's printed scorecard and the
round summary of an area.

Each answers the stored file when it is current (200, application/pdf). Otherwise the
render task is asked for it and the answer is 202 ``{"status": "rendering"}`` with
``Retry-After``: ask again then. Where tasks run in process (tests, the quick start), the
file is rendered before the first answer. Who may download is decided as on the dashboard:
administrators and officials, within their region.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.selectors import assessment_for_user
from reports.api.scope import results_scope
from reports.api.serializers import RoundQuerySerializer, id_field
from reports.pdf.documents import LANGUAGES, DocumentUnavailable, PdfDocument, short_language
from reports.pdf.scorecard import scorecard_document
from reports.pdf.services import pdf_request
from reports.pdf.store import pdf_path
from reports.pdf.summary import summary_document
from reports.scope import user_scope
from reports.selectors.regions import area_in_scope
from reports.views.downloads import file_download

RETRY_AFTER_SECONDS = 2


class AnyAcceptNegotiation(DefaultContentNegotiation):
    """The file is a PDF whatever the client accepts, and the other answers (202, errors)
    are JSON: ``Accept: application/pdf`` must not be refused with 406."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class LanguageQuerySerializer(serializers.Serializer):
    lang = serializers.ChoiceField(
        required=False,
        choices=list(LANGUAGES),
        help_text=_("The document's language; the request's language when left out."),
    )


class PdfRenderingSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='always "rendering"')


def _language(data: dict[str, Any]) -> str:
    return str(data.get("lang") or short_language(translation.get_language()))


def pdf_answer(document: PdfDocument) -> FileResponse | Response:
    """The stored PDF of the document, or 202 after asking the task to render it."""
    stored = pdf_request(document)
    if stored is None:
        response = Response({"status": "rendering"}, status=status.HTTP_202_ACCEPTED)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return file_download(pdf_path(stored), "application/pdf", document.download_name)


PDF_RESPONSES = {
    (200, "application/pdf"): OpenApiResponse(
        OpenApiTypes.BINARY, description="The PDF, as a download named in Content-Disposition."
    ),
    202: OpenApiResponse(
        PdfRenderingSerializer,
        description="Being rendered: ask again after Retry-After seconds.",
        examples=[
            OpenApiExample("being rendered", value={"status": "rendering"}, status_codes=["202"])
        ],
    ),
}
PDF_HEADERS = [
    OpenApiParameter(
        "Content-Disposition",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="attachment; filename=…; filename*=UTF-8''… (the Chinese name)",
        response=[200],
    ),
    OpenApiParameter(
        "Retry-After",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        description="seconds to wait before asking again",
        response=[202],
    ),
]


class AssessmentScorecardPdfView(APIView):
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        summary="An assessment's printed scorecard (PDF)",
        operation_id="assessments_scorecard_pdf_retrieve",
        description=(
            "The scorecard the dashboard serves, in Chinese or English. Administrators and "
            "officials of the assessment's region; its assessors are refused (403); 404 "
            "outside the reader's scope or before the assessment is scored."
        ),
        tags=["pdfs"],
        parameters=[LanguageQuerySerializer, *PDF_HEADERS],
        responses=PDF_RESPONSES,
    )
    def get(self, request: Request, pk: int) -> FileResponse | Response:
        query = LanguageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        assessment, _access = assessment_for_user(user=request.user, pk=pk)
        # The dashboard's readers only (PermissionDenied for others), with the round's
        # ranks brought up to date as the dashboard does before printing them.
        user_scope(request.user, assessment.round_id)
        try:
            document = scorecard_document(
                assessment_id=assessment.pk, language=_language(query.validated_data)
            )
        except DocumentUnavailable as error:
            raise NotFound(str(error)) from error
        return pdf_answer(document)


class SummaryPdfView(APIView):
    content_negotiation_class = AnyAcceptNegotiation

    class InputSerializer(RoundQuerySerializer, LanguageQuerySerializer):
        region = id_field(
            required=False,
            help_text=_(
                "A city or district within your scope; your own area when left out "
                "(the whole province for administrators)."
            ),
        )

    @extend_schema(
        summary="The round summary of an area (PDF)",
        description=(
            "The summary the dashboard serves: one area's results in a round. "
            "Administrators and officials; a region outside the reader's scope, or that "
            "is not a city or district, is a 404."
        ),
        tags=["pdfs"],
        parameters=[InputSerializer, *PDF_HEADERS],
        responses=PDF_RESPONSES,
    )
    def get(self, request: Request) -> FileResponse | Response:
        query = self.InputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        scope = results_scope(request.user, data.get("round"))
        if scope.round is None:
            raise NotFound(_("There is no round with results in your scope."))
        region = data.get("region")
        area = area_in_scope(scope, str(region) if region is not None else None)
        document = summary_document(
            round_id=scope.round.pk,
            region_id=area.pk if area is not None else None,
            language=_language(data),
        )
        return pdf_answer(document)


urlpatterns = [
    path(
        "assessments/<int:pk>/scorecard.pdf",
        AssessmentScorecardPdfView.as_view(),
        name="assessment-scorecard-pdf",
    ),
    path("summaries/pdf/", SummaryPdfView.as_view(), name="summary-pdf"),
]
