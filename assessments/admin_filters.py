"""List filters the admin screens share."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from assessments.choices import RegionLevel
from assessments.models import Region
from common.params import int_param


def city_filter(field: str) -> type[admin.SimpleListFilter]:
    """A filter listing the cities (not every region), applied to ``field`` (a path to a
    city link, e.g. "community__city")."""

    class CityFilter(admin.SimpleListFilter):
        title = _("city")
        parameter_name = "city"

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
            return [
                (str(pk), name)
                for pk, name in Region.objects.filter(level=RegionLevel.CITY)
                .order_by("code")
                .values_list("pk", "name_zh")
            ]

        def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
            city = int_param(self.value())
            return queryset.filter(**{f"{field}_id": city}) if city else queryset

    return CityFilter
