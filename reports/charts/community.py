"""Charts of the community pages: the four primaries as a share of their weight (one
community against averages, or several side by side), and a community round by round."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from indicators.models import PrimaryIndicator
from reports.attainment import percent_of
from reports.charts import Chart, line_chart, number, radar_chart


def primary_shares(
    primaries: Sequence[PrimaryIndicator], scores: Mapping[str, Any]
) -> list[Decimal]:
    """Each primary's score (``scores`` by primary code) as a percentage of its weight."""
    return [percent_of(scores.get(p.code, "0"), p.weight) for p in primaries]


def primaries_radar(
    *,
    chart_id: str,
    primaries: Sequence[PrimaryIndicator],
    series: Sequence[tuple[str, Mapping[str, Any]]],
) -> Chart:
    """One polygon per (name, scores by primary code): each primary as % of its weight."""
    values = [primary_shares(primaries, scores) for _n, scores in series]
    return Chart(
        id=chart_id,
        title=_("Primary indicators, share of weight attained"),
        option=radar_chart(
            indicators=[(p.name, 100.0) for p in primaries],
            series=[
                {"name": name, "value": [number(v) for v in row]}
                for (name, _s), row in zip(series, values, strict=True)
            ],
        ),
        headers=[_("Primary indicator"), *(name for name, _s in series)],
        rows=[[p.name, *(f"{row[i]}%" for row in values)] for i, p in enumerate(primaries)],
        size="lg",
    )


@dataclass(frozen=True)
class RoundPoint:
    """A community's figures in one round, and the page that shows them."""

    name: str
    url: str
    total: Decimal
    primaries: Sequence[Decimal]  # % of weight, in the order of the chart's primaries


def history_trend(*, chart_id: str, names: Sequence[str], points: Sequence[RoundPoint]) -> Chart:
    """The total and each primary (``names``, as % of weight) round by round; a point
    opens its round."""

    def entry(value: Decimal, point: RoundPoint) -> dict[str, Any]:
        return {"value": number(value), "url": point.url}

    series: list[dict[str, Any]] = [
        {"name": _("Total"), "data": [entry(point.total, point) for point in points]},
        *(
            {
                "name": name,
                "data": [entry(point.primaries[i], point) for point in points],
                "lineStyle": {"type": "dashed"},
            }
            for i, name in enumerate(names)
        ),
    ]
    return Chart(
        id=chart_id,
        title=_("Round by round, share of weight attained"),
        option=line_chart(categories=[p.name for p in points], series=series, max_value=100),
        headers=[_("Round"), _("Total"), *names],
        rows=[[p.name, p.total, *(f"{value}%" for value in p.primaries)] for p in points],
        size="lg",
    )
