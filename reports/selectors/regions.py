"""Drill-down by region: province, city, district, then the district's communities.

Each level reads the stored statistics of the area and of its child areas (one row each),
never aggregating scorecards at page time; a district's communities are paginated on ids
first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.choices import RegionLevel
from assessments.models import Region
from common.params import int_param
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
from reports.selectors.attainment import Group, indicator_groups
from scoring.models import AreaStats, ScoreCard

PAGE_SIZE = 50
CHILD_LEVEL: dict[str, str] = {
    RegionLevel.PROVINCE: RegionLevel.CITY,
    RegionLevel.CITY: RegionLevel.DISTRICT,
}


def region_in_scope(scope: Scope, pk: int) -> Region:
    """The region, or Http404 when it does not exist or lies outside the scope."""
    found = Region.objects.select_related("city", "district").filter(pk=pk).first()
    if found is None or not scope.contains(found):
        raise Http404
    return found


def area_in_scope(scope: Scope, raw: str | None) -> Region | None:
    """The area a page or document is asked for (``?region=``): a city or district in
    the reader's scope, None for the whole province; the reader's own area when none is
    named. Anything else named (outside the scope, a street, not a number) is a 404."""
    if raw is None or raw == "":
        return scope.region
    pk = int_param(raw)
    if pk is None:
        raise Http404
    found = region_in_scope(scope, pk)
    if found.level == RegionLevel.PROVINCE:
        return None
    if found.level not in (RegionLevel.CITY, RegionLevel.DISTRICT):
        raise Http404
    return found


def region_url(scope: Scope, region: Region | None) -> str:
    """The drill-down page of an area (the province for None), in the scope's round."""
    path = reverse("dashboard:region", args=[region.pk]) if region else reverse("dashboard:regions")
    return f"{path}?{scope.query()}"


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str


@dataclass(frozen=True)
class ChildRow:
    """A child area with its stored figures (None where it has no scorecards)."""

    region: Region
    url: str
    stats: AreaStats | None
    grades: list[int]  # counts in the round's band order
    primaries: list[Decimal | None]  # mean % of each primary's weight


@dataclass(frozen=True)
class CommunityRow:
    card: ScoreCard
    url: str
    grade: str
    tone: int


@dataclass(frozen=True)
class RegionPage:
    region: Region | None  # None: the whole province
    label: str
    level: str
    crumbs: list[Crumb]
    stats: AreaStats | None
    grades: list[GradeCount]
    primaries: list[PrimaryMean]
    groups: list[Group]
    child_level: str | None  # "city", "district", or None at a district
    children: list[ChildRow]
    communities: list[CommunityRow]
    page: Page | None
    charts: list[Chart]
    heatmap_url: str  # the communities' heat map filtered to this area
    ranking_url: str  # the ranking filtered to this area
    trends_url: str

    @property
    def figure_span(self) -> int:
        """Columns of a child row after its count: median and mean, grades, primaries."""
        return 2 + len(self.grades) + len(self.groups)


def region_page(scope: Scope, region: Region | None, page: str | None) -> RegionPage:
    """Everything the drill-down page of ``region`` shows, in a fixed number of queries."""
    level = region.level if region is not None else RegionLevel.PROVINCE
    area_id = region.pk if region is not None else None
    stats = scope.stats_of(region)
    groups = indicator_groups(scope)
    filters = _area_filters(region)
    grades = grade_counts(scope, stats, **filters)
    child_level = CHILD_LEVEL.get(level)
    children = _children(scope, region, child_level, groups) if child_level else []
    communities: list[CommunityRow] = []
    chosen = None
    if level == RegionLevel.DISTRICT and region is not None:
        chosen, communities = _communities(scope, region, page)
    charts = []
    if stats is not None:
        charts.append(grade_chart("grades", _("Grade distribution"), grades))
    if any(child.stats is not None for child in children):
        charts.append(_children_chart(children))
    return RegionPage(
        region=region,
        label=region.name if region is not None else _("Whole province"),
        level=level,
        crumbs=_crumbs(scope, region),
        stats=stats,
        grades=grades,
        primaries=primary_means(groups, stats),
        groups=groups,
        child_level=child_level,
        children=children,
        communities=communities,
        page=chosen,
        charts=charts,
        heatmap_url=f"{reverse('dashboard:heatmap')}?{scope.query(**filters)}",
        ranking_url=f"{reverse('dashboard:ranking')}?{scope.query(**filters)}",
        trends_url=f"{reverse('dashboard:trends')}?{scope.query(region=area_id)}",
    )


def _area_filters(region: Region | None) -> dict[str, Any]:
    """The ranking's and heat map's filters that select the area."""
    if region is None:
        return {}
    if region.level == RegionLevel.CITY:
        return {"city": region.pk}
    return {"city": region.city_id, "district": region.pk}


def _crumbs(scope: Scope, region: Region | None) -> list[Crumb]:
    """The areas above ``region``, starting at the reader's own area."""
    if region is None:
        return []
    above: list[Region | None] = [None]
    if region.level == RegionLevel.DISTRICT and region.city is not None:
        above.append(region.city)
    return [
        Crumb(area.name if area is not None else _("Whole province"), region_url(scope, area))
        for area in above
        if scope.contains(area)
    ]


def _children(
    scope: Scope, region: Region | None, level: str, groups: list[Group]
) -> list[ChildRow]:
    areas = Region.objects.filter(level=level).order_by("code")
    if region is not None:
        areas = areas.filter(city_id=region.pk)
    found = list(areas)
    stats: dict[int | None, AreaStats] = {}
    if scope.round is not None:
        stats = {
            s.region_id: s
            for s in AreaStats.objects.filter(
                round_id=scope.round.pk, region_id__in=[a.pk for a in found]
            )
        }
    codes = [band.get("code", "") for band in scope.grade_bands]
    rows = []
    for area in found:
        own = stats.get(area.pk)
        rows.append(
            ChildRow(
                region=area,
                url=region_url(scope, area),
                stats=own,
                grades=[int(own.grades.get(code, 0)) for code in codes] if own else [],
                primaries=[percent(own.primary_means.get(g.code), g.weight, 1) for g in groups]
                if own
                else [],
            )
        )
    return rows


def _communities(scope: Scope, district: Region, page: str | None) -> tuple[Page, list[Any]]:
    """One page of the district's communities by rank (ids first, then their rows)."""
    ordered = (
        scope.cards()
        .filter(district_id=district.pk)
        .order_by("-total", "pk")
        .values_list("pk", flat=True)
    )
    chosen = Paginator(ordered, PAGE_SIZE).get_page(page)
    ids = list(chosen.object_list)
    cards = ScoreCard.objects.select_related("assessment__community__region").in_bulk(ids)
    rows = []
    for pk in ids:
        card = cards.get(pk)
        if card is None:  # deleted since its id was read
            continue
        community = card.assessment.community
        rows.append(
            CommunityRow(
                card=card,
                url=f"{reverse('dashboard:community', args=[community.pk])}?{scope.query()}",
                grade=scope.grade_name(card.grade),
                tone=scope.grade_tone(card.grade),
            )
        )
    return chosen, rows


def _children_chart(children: list[ChildRow]) -> Chart:
    scored = [child for child in children if child.stats is not None]
    return Chart(
        id="children",
        title=_("Mean total by area"),
        option=bar_chart(
            categories=[child.region.name for child in scored],
            series=[{
                "name": _("Mean total"),
                "data": [{"value": number(child.stats.mean_total), "url": child.url}
                         for child in scored if child.stats is not None],
            }],
            max_value=100,
        ),
        headers=(_("Area"), _("Scored"), _("Mean total"), _("Median total")),
        rows=[(child.region.name, child.stats.scored, child.stats.mean_total,
               child.stats.median_total) for child in scored if child.stats is not None],
    )  # fmt: skip
