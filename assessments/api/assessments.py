"""The assessments a user may see: a filtered, paginated list and one assessment in full.
Scoping is the selectors': an assessment outside the user's scope is 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import selectors
from assessments.api.filters import AssessmentFilter
from assessments.api.serializers import AssessmentDetailSerializer, AssessmentSerializer
from assessments.models import Assessment


@extend_schema(
    summary="Assessments the user may see",
    description=(
        "Administrators see every assessment, assessors those assigned to them, officials "
        "those of their region. In region order, paginated."
    ),
    tags=["assessments"],
)
class AssessmentListView(generics.ListAPIView):
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self) -> QuerySet[Assessment]:
        return (
            selectors.assessment_list(user=self.request.user)
            .select_related("round__framework", "community__city", "community__district")
            .prefetch_related("assessors")
        )


class AssessmentDetailView(APIView):
    @extend_schema(
        summary="One assessment with its answers, notes and the actions open to the user",
        tags=["assessments"],
        responses=AssessmentDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment, access = selectors.assessment_for_user(user=request.user, pk=pk)
        serializer = AssessmentDetailSerializer(
            assessment, context={"request": request, "access": access}
        )
        return Response(serializer.data)


urlpatterns = [
    path("assessments/", AssessmentListView.as_view(), name="assessment-list"),
    path("assessments/<int:pk>/", AssessmentDetailView.as_view(), name="assessment-detail"),
]
