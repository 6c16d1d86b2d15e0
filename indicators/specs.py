"""Build the scoring engine's frozen specs from a framework file or from the database.

``scoring.engine`` is a pure library at the bottom of the dependency graph (it imports
nothing of the project), so every layer may use its vocabulary of item types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from scoring.engine import (
    Comparator,
    FrameworkSpec,
    GradeBand,
    IndicatorSpec,
    ItemSpec,
    ItemType,
    PrimarySpec,
)

if TYPE_CHECKING:
    from indicators.framework_file import FrameworkDefinition
    from indicators.models import Framework


def _fraction(value: Any) -> Fraction:
    return Fraction(Decimal(str(value)))


def item_spec(
    *, code: str, type: str, weight: Any, params: Mapping[str, Any], option_codes: Iterable[str]
) -> ItemSpec:
    """One item's spec; ``params`` is Item.params (strings for exact numbers)."""
    target = params.get("target")
    comparator = params.get("comparator")
    record_choices = params.get("record_choices")
    return ItemSpec(
        code=code,
        type=ItemType(type),
        weight=_fraction(weight),
        target=_fraction(target) if target is not None else None,
        comparator=Comparator(comparator) if comparator is not None else None,
        bounded=bool(params.get("bounded", False)),
        options=tuple(option_codes),
        min_required=params.get("min_required"),
        na_options=bool(params.get("na_options", False)),
        max_level=params.get("max_level"),
        conditional=bool(params.get("conditional", False)),
        record_choices=(
            {field: tuple(c["code"] for c in entries) for field, entries in record_choices.items()}
            if record_choices
            else None
        ),
    )


def grade_band_specs(bands: Iterable[Mapping[str, Any]]) -> tuple[GradeBand, ...]:
    return tuple(GradeBand(code=b["code"], minimum=_fraction(b["minimum"])) for b in bands)


def _children(node: Any, name: str) -> Iterable[Any]:
    """A node's children: a tuple on a parsed definition, a (prefetched) manager on a model."""
    children = getattr(node, name)
    return children if isinstance(children, tuple) else children.all()


def _build(*, code: str, version: str, primaries: Iterable[Any], bands: Any) -> FrameworkSpec:
    """One tree walk for both sources: parsed definitions and stored models."""
    return FrameworkSpec(
        code=code,
        version=version,
        primaries=tuple(
            PrimarySpec(
                code=p.code,
                weight=_fraction(p.weight),
                indicators=tuple(
                    IndicatorSpec(
                        code=ind.code,
                        weight=_fraction(ind.weight),
                        items=tuple(
                            item_spec(
                                code=item.code,
                                type=item.type,
                                weight=item.weight,
                                params=item.params,
                                option_codes=[o.code for o in _children(item, "options")],
                            )
                            for item in _children(ind, "items")
                        ),
                    )
                    for ind in _children(p, "indicators")
                ),
            )
            for p in primaries
        ),
        grade_bands=grade_band_specs(bands),
    )


def spec_from_definition(definition: FrameworkDefinition) -> FrameworkSpec:
    """The spec of a parsed (not yet stored) framework file."""
    return _build(
        code=definition.code,
        version=definition.version,
        primaries=definition.primaries,
        bands=definition.grade_bands,
    )


@dataclass(frozen=True)
class FrameworkCatalog:
    """A stored framework as the other layers use it: the engine's spec, the ids of its
    indicators and items by code and back, and the rows themselves (primaries with their
    indicators, items and options, for pages that show them: read-only, never saved)."""

    framework: Framework
    spec: FrameworkSpec
    primaries: tuple[Any, ...]
    items: Mapping[str, Any]
    item_ids: Mapping[str, int]
    item_codes: Mapping[int, str]
    indicator_ids: Mapping[str, int]
    indicator_codes: Mapping[int, str]
    indicator_of_item: Mapping[str, str]


_CATALOGS: dict[tuple[int, str], FrameworkCatalog] = {}


def framework_catalog(framework: Framework) -> FrameworkCatalog:
    """The catalog of a stored framework, cached by id and content hash: a framework never
    changes while a round uses it, and a reload in place changes the hash. The one cache of
    framework structure in the portal."""
    key = (framework.pk, framework.content_hash)
    cached = _CATALOGS.get(key)
    if cached is None:
        primaries = list(
            framework.primaries.order_by("order").prefetch_related("indicators__items__options")
        )
        indicators = [ind for p in primaries for ind in p.indicators.all()]
        items = [item for ind in indicators for item in ind.items.all()]
        cached = _CATALOGS[key] = FrameworkCatalog(
            framework=framework,
            spec=_build(
                code=framework.code,
                version=framework.version,
                primaries=primaries,
                bands=framework.grade_bands,
            ),
            primaries=tuple(primaries),
            items={item.code: item for item in items},
            item_ids={item.code: item.pk for item in items},
            item_codes={item.pk: item.code for item in items},
            indicator_ids={ind.code: ind.pk for ind in indicators},
            indicator_codes={ind.pk: ind.code for ind in indicators},
            indicator_of_item={
                item.code: ind.code for ind in indicators for item in ind.items.all()
            },
        )
    return cached


def framework_spec(framework: Framework) -> FrameworkSpec:
    """The engine's spec of a stored framework (from the catalog cache)."""
    return framework_catalog(framework).spec
