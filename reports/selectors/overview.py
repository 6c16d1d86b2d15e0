"""The dashboard's overview of a reader's scope in one round.

Status and coverage are counted live from the assessments (one grouped query, by area and
status); every score figure comes from the stored area statistics, so the page costs the
same at 100 communities as at 100,000.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.choices import AssessmentStatus, RegionLevel
from assessments.models import Region
from indicators.specs import framework_catalog
from reports.attainment import percent
from reports.charts import Chart, bar_chart, number
from reports.scope import Scope
from reports.selectors.areas import (
    GradeCount,
    PrimaryMean,
    grade_chart,
    grade_counts,
    primary_means,
)
from reports.selectors.attainment import Group, indicator_groups, plain
from scoring.models import AreaStats

WEAKEST = 5
DONE = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    count: int
    url: str  # the assessment list filtered by this status


@dataclass(frozen=True)
class Coverage:
    """How far an area's assessments have come."""

    region: Region | None
    url: str  # the area's drill-down page
    assessments: int
    done: int  # submitted or approved
    done_share: Decimal | None
    evidenced_share: Decimal | None  # items with evidence of all items, in percent


@dataclass(frozen=True)
class WeakIndicator:
    code: str
    name: str
    primary: str
    mean: Decimal
    weight: Decimal
    share: Decimal | None  # of the weight, in percent
    met: Decimal | None  # communities meeting it, in percent
    url: str  # the heat map sorted by this indicator, worst first


@dataclass(frozen=True)
class Overview:
    statuses: list[StatusCount]
    assessments: int
    done: int
    done_share: Decimal | None
    stats: AreaStats | None
    province: AreaStats | None  # for comparison, when the scope is narrower
    grades: list[GradeCount]
    primaries: list[PrimaryMean]
    weakest: list[WeakIndicator]
    coverage: list[Coverage]
    coverage_level: str  # "city" or "district": what the coverage rows are
    charts: list[Chart]


def overview(scope: Scope) -> Overview:
    """Everything the overview shows, in a fixed number of queries."""
    by_area, coverage_level = _counts_by_area_and_status(scope)
    totals: dict[str, int] = defaultdict(int)
    for counts in by_area.values():
        for status, (n, _evidenced) in counts.items():
            totals[status] += n
    home = reverse("home")
    statuses = [
        StatusCount(value=value, label=str(label), count=totals.get(value, 0),
                    url=f"{home}?{scope.query(status=value)}")
        for value, label in AssessmentStatus.choices
    ]  # fmt: skip
    assessments = sum(totals.values())
    done = sum(totals.get(status, 0) for status in DONE)
    stats = scope.own_stats()
    groups = indicator_groups(scope)
    grades = grade_counts(scope, stats)
    primaries = primary_means(groups, stats)
    return Overview(
        statuses=statuses,
        assessments=assessments,
        done=done,
        done_share=percent(done, assessments, 1) if assessments else None,
        stats=stats,
        province=scope.stats_of(None) if scope.is_limited else None,
        grades=grades,
        primaries=primaries,
        weakest=_weakest(scope, groups, stats),
        coverage=_coverage(scope, by_area),
        coverage_level=coverage_level,
        charts=[
            grade_chart("grades", _("Grade distribution"), grades),
            _primary_chart(primaries),
        ]
        if stats is not None
        else [],
    )


AreaCounts = dict[int | None, dict[str, tuple[int, int]]]  # area -> status -> (n, evidenced)


def _counts_by_area_and_status(scope: Scope) -> tuple[AreaCounts, str]:
    """Assessments and items with evidence per area and status, in one grouped query.
    Areas are cities for the whole province, else districts."""
    level = RegionLevel.CITY if scope.region is None else RegionLevel.DISTRICT
    key = f"community__{level}_id"
    rows = (
        scope.assessments()
        .order_by()
        .values_list(key, "status")
        .annotate(n=Count("pk"), evidenced=Sum("evidenced_count"))
    )
    found: AreaCounts = defaultdict(dict)
    for area, status, n, evidenced in rows:
        found[area][status] = (n, evidenced or 0)
    return found, level


def _coverage(scope: Scope, by_area: AreaCounts) -> list[Coverage]:
    if scope.round is None or not by_area:
        return []
    items = len(framework_catalog(scope.round.framework).spec.items)
    regions = Region.objects.in_bulk([pk for pk in by_area if pk is not None])
    rows = []
    for pk, counts in by_area.items():
        n = sum(count for count, _evidenced in counts.values())
        evidenced = sum(e for _count, e in counts.values())
        done = sum(counts.get(status, (0, 0))[0] for status in DONE)
        region = regions.get(pk) if pk is not None else None
        rows.append(
            Coverage(
                region=region,
                url=f"{reverse('dashboard:region', args=[pk])}?{scope.query()}" if region else "",
                assessments=n,
                done=done,
                done_share=percent(done, n, 1),
                evidenced_share=percent(evidenced, n * items, 1) if items else None,
            )
        )
    return sorted(rows, key=lambda row: row.region.path if row.region else "~")


def _weakest(scope: Scope, groups: list[Group], stats: AreaStats | None) -> list[WeakIndicator]:
    """The indicators with the lowest mean attainment in the scope (ties in the
    framework's order)."""
    if stats is None:
        return []
    heatmap = reverse("dashboard:heatmap")
    found = []
    for group in groups:
        for column in group.columns:
            mean = stats.indicator_means.get(column.code)
            if mean is None:
                continue
            met = stats.indicator_met.get(column.code)
            found.append(
                WeakIndicator(
                    code=column.code,
                    name=column.name,
                    primary=group.name,
                    mean=Decimal(mean),
                    weight=column.weight,
                    share=percent(mean, column.weight, 1),
                    met=percent(met, 1, 0) if met is not None else None,
                    url=f"{heatmap}?{scope.query(sort=column.code, dir='asc')}",
                )
            )
    # Sorted on the exact ratio; the rounded percentage is only what is shown.
    return sorted(found, key=lambda ind: ind.mean / ind.weight)[:WEAKEST]


def _primary_chart(primaries: list[PrimaryMean]) -> Chart:
    return Chart(
        id="primaries",
        title=_("Mean score per primary indicator as a share of its weight"),
        option=bar_chart(
            categories=[p.name for p in primaries],
            series=[{
                "name": _("Share of weight attained"),
                "data": [number(p.share) if p.share is not None else None for p in primaries],
            }],
            max_value=100,
            unit="%",
        ),
        headers=(
            _("Primary indicator"), _("Mean score"), _("Weight"), _("Share of weight attained")
        ),
        rows=[(p.name, p.mean if p.mean is not None else "–", plain(p.weight),
               p.share if p.share is not None else "–") for p in primaries],
    )  # fmt: skip
