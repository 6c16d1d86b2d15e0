"""Reads of the framework tables."""

from __future__ import annotations

from django.db.models import QuerySet

from indicators.models import Framework, PrimaryIndicator


def framework_tree(*, framework: Framework) -> QuerySet[PrimaryIndicator]:
    """Primaries with their indicators, items and options, in four queries."""
    return framework.primaries.order_by("order").prefetch_related("indicators__items__options")
