"""An assessment's history: every change, newest first, as the history page lists it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from assessments import selectors
from assessments.api.serializers import HistoryEventSerializer
from assessments.models import Assessment, AssessmentEvent
from indicators.specs import framework_catalog


@extend_schema(
    summary="An assessment's history, newest first",
    description=(
        "Each entry: what changed (kind; target: the item or indicator code), the value "
        "before and after, who and when, the version it made, and the entry in words."
    ),
    tags=["assessments"],
)
class AssessmentHistoryView(generics.ListAPIView):
    serializer_class = HistoryEventSerializer
    filter_backends: list[Any] = []
    assessment: Assessment | None = None

    def get_queryset(self) -> QuerySet[AssessmentEvent]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator's call
            return AssessmentEvent.objects.none()
        self.assessment, _access = selectors.assessment_for_user(
            user=self.request.user, pk=self.kwargs["pk"]
        )
        return selectors.assessment_history(assessment=self.assessment)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self.assessment is not None:
            context["catalog"] = framework_catalog(self.assessment.round.framework)
        return context


urlpatterns = [
    path(
        "assessments/<int:pk>/history/",
        AssessmentHistoryView.as_view(),
        name="assessment-history",
    ),
]
