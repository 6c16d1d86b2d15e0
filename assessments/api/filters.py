"""Query filters of the assessment list. An invalid value (not a whole number, an unknown
status, text with control characters) answers 400, never 500."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assessments import selectors
from assessments.choices import AssessmentStatus
from assessments.models import Assessment
from common.params import MAX_ID

SEARCH_MAX_LENGTH = 100


class IdFilter(django_filters.Filter):
    """A positive whole number within the range of a database id."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class AssessmentFilter(django_filters.FilterSet):
    round = IdFilter(field_name="round_id", help_text=_("round id"))
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices)
    city = IdFilter(field_name="community__city_id", help_text=_("region id of a city"))
    district = IdFilter(
        field_name="community__district_id", help_text=_("region id of a district or county")
    )
    assessor = IdFilter(
        field_name="assessors", help_text=_("user id of an assessor assigned to the assessment")
    )
    community = django_filters.CharFilter(
        field_name="community__code", max_length=32, help_text=_("community registry code, exact")
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_(
            "search as the portal's lists do: community name, registry code, region name or address"
        ),
    )

    class Meta:
        model = Assessment
        fields = ("round", "status", "city", "district", "assessor", "community", "q")

    def search(self, queryset: QuerySet[Assessment], name: str, value: str) -> QuerySet[Assessment]:
        """The selector's search, so the API finds what the pages find."""
        if not value:
            return queryset
        found = selectors.assessment_list(user=self.request.user, search=value)
        return queryset.filter(pk__in=found.values("pk"))
