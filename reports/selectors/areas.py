"""An area's stored statistics (AreaStats) as the pages show them: grade counts in band
order with their tones and links, and mean attainment per primary indicator."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from reports.attainment import percent
from reports.charts import GRADE_COLOURS, Chart, donut_chart
from reports.scope import Scope
from reports.selectors.attainment import Group
from scoring.models import AreaStats


@dataclass(frozen=True)
class GradeCount:
    code: str
    name: str
    tone: int  # 1 for the best grade (the CSS class grade-N and the chart colour follow it)
    count: int
    share: Decimal | None  # percentage of the area's scorecards, 1 decimal
    url: str  # the ranking filtered by this grade (and the area)


@dataclass(frozen=True)
class PrimaryMean:
    code: str
    name: str
    mean: Decimal | None
    weight: Decimal
    share: Decimal | None  # percentage of the weight, 1 decimal


def grade_counts(scope: Scope, stats: AreaStats | None, **ranking_filters: Any) -> list[GradeCount]:
    """Scorecards per grade of the round's bands (best first), each linking to the
    ranking filtered by the grade and ``ranking_filters`` (city=, district=)."""
    counts = stats.grades if stats is not None else {}
    scored = stats.scored if stats is not None else 0
    ranking = reverse("dashboard:ranking")
    rows = []
    for band in scope.grade_bands:
        code = band.get("code", "")
        n = int(counts.get(code, 0))
        rows.append(
            GradeCount(
                code=code,
                name=scope.grade_name(code),
                tone=scope.grade_tone(code),
                count=n,
                share=percent(n, scored, 1) if scored else None,
                url=f"{ranking}?{scope.query(grade=code, **ranking_filters)}",
            )
        )
    return rows


def primary_means(groups: list[Group], stats: AreaStats | None) -> list[PrimaryMean]:
    """Mean score per primary indicator and its share of the primary's weight."""
    means = stats.primary_means if stats is not None else {}
    return [
        PrimaryMean(
            code=group.code,
            name=group.name,
            mean=Decimal(means[group.code]) if group.code in means else None,
            weight=group.weight,
            share=percent(means.get(group.code), group.weight, 1),
        )
        for group in groups
    ]


def grade_chart(chart_id: str, title: str, grades: list[GradeCount]) -> Chart:
    """A donut of the grade counts; a slice opens the ranking of that grade."""
    entries = [
        {
            "name": g.name,
            "value": g.count,
            "url": g.url,
            "itemStyle": {"color": GRADE_COLOURS[min(g.tone, len(GRADE_COLOURS)) - 1]},
        }
        for g in grades
    ]
    return Chart(
        id=chart_id,
        title=title,
        option=donut_chart(entries=entries),
        headers=(_("Grade"), _("Communities"), _("Share")),
        rows=[(g.name, g.count, _share_text(g.share)) for g in grades],
    )


def _share_text(share: Decimal | None) -> str:
    return f"{share}%" if share is not None else "–"
