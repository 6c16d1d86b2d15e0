"""Reads of the framework tables."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from indicators.models import Framework, Indicator, Item, Option, PrimaryIndicator


def framework_tree(*, framework: Framework) -> QuerySet[PrimaryIndicator]:
    """Primaries with their indicators, items and options, in four queries."""
    return framework.primaries.order_by("order").prefetch_related("indicators__items__options")


def framework_list() -> QuerySet[Framework]:
    """Every loaded framework, newest edition of each code first."""
    return Framework.objects.order_by("code", "-version", "pk")


def frameworks_with_tree() -> QuerySet[Framework]:
    """Frameworks with their primaries, indicators, items and options (five queries,
    however many frameworks)."""
    return framework_list().prefetch_related(
        Prefetch("primaries", PrimaryIndicator.objects.order_by("order")),
        Prefetch("primaries__indicators", Indicator.objects.order_by("order")),
        Prefetch("primaries__indicators__items", Item.objects.order_by("order")),
        Prefetch("primaries__indicators__items__options", Option.objects.order_by("order")),
    )
