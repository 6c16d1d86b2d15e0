"""Heat maps: communities (or areas) by the 24 indicators, each cell the share of the
indicator's weight attained.

The communities' map is paginated on ids first. Sorted by an indicator, the page's
scorecards are chosen from the indicator rows through their (round, indicator, -score)
index, so a page of a round of 100,000 reads 50 ids, not 100,000 scorecards; then one query
reads the page's 50 x 24 cells. The areas' map reads the stored area statistics.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse

from assessments.choices import AreaType, RegionLevel
from assessments.models import Region
from common.params import choice_param, int_param, text_param
from common.search import contains
from reports.attainment import Cell
from reports.scope import Scope
from reports.selectors.attainment import (
    Column,
    Group,
    cells_from_means,
    columns_of,
    indicator_groups,
)
from scoring.models import AreaStats, IndicatorScore, ScoreCard
from scoring.peers import peer_group_choices

PAGE_SIZE = 50
SORT_TOTAL = "total"
SORT_NAME = "name"
ASCENDING = "asc"
DESCENDING = "desc"


@dataclass(frozen=True)
class Sorting:
    """What a map is sorted by: "total", "name" or an indicator code, and the direction."""

    key: str = SORT_TOTAL
    descending: bool = True

    @classmethod
    def parse(cls, params: QueryDict, codes: list[str]) -> Sorting:
        key = choice_param(params.get("sort"), [SORT_TOTAL, SORT_NAME, *codes]) or SORT_TOTAL
        direction = choice_param(params.get("dir"), [ASCENDING, DESCENDING])
        default_descending = key != SORT_NAME  # names A to Z, figures best first
        return cls(key, default_descending if direction is None else direction == DESCENDING)

    def params(self) -> dict[str, str]:
        return {"sort": self.key, "dir": DESCENDING if self.descending else ASCENDING}

    def toggled(self, key: str) -> Sorting:
        """The sorting a column heading links to: the other direction of the current key,
        or the key's natural direction."""
        if key == self.key:
            return Sorting(key, not self.descending)
        return Sorting(key, key != SORT_NAME)

    def aria(self, key: str) -> str:
        if key != self.key:
            return ""
        return "descending" if self.descending else "ascending"


@dataclass(frozen=True)
class Filters:
    """The communities' filters, with the ranking page's parameter names."""

    city: int | None = None
    district: int | None = None
    grade: str | None = None
    area: str | None = None  # urban or rural
    peer: str | None = None  # a peer group key ("urban-m")
    q: str | None = None

    @classmethod
    def parse(cls, params: QueryDict, scope: Scope) -> Filters:
        grades = [band.get("code", "") for band in scope.grade_bands]
        return cls(
            city=int_param(params.get("city")),
            district=int_param(params.get("district")),
            grade=choice_param(params.get("grade"), grades),
            area=choice_param(params.get("area"), AreaType.values),
            peer=choice_param(params.get("peer"), [key for key, _label in peer_group_choices()]),
            q=text_param(params.get("q")),
        )

    def params(self) -> dict[str, Any]:
        return {key: value for key, value in vars(self).items() if value is not None}

    def condition(self, prefix: str = "") -> Q:
        """The filters on scorecards, or on rows reaching them through ``prefix``."""
        found = Q()
        if self.city is not None:
            found &= Q(**{f"{prefix}city_id": self.city})
        if self.district is not None:
            found &= Q(**{f"{prefix}district_id": self.district})
        if self.grade is not None:
            found &= Q(**{f"{prefix}grade": self.grade})
        if self.peer is not None:
            found &= Q(**{f"{prefix}peer_group": self.peer})
        if self.area is not None:  # the peer group starts with the area type
            found &= Q(**{f"{prefix}peer_group__startswith": f"{self.area}-"})
        if self.q is not None:
            community = f"{prefix}assessment__community__"
            found &= contains(f"{community}name", self.q) | Q(**{f"{community}code": self.q})
        return found


@dataclass(frozen=True)
class Heading:
    """A sortable column heading: where it links and whether the map is sorted by it."""

    key: str
    title: str  # an indicator's code and name; empty for "name" and "total"
    url: str
    aria_sort: str


@dataclass(frozen=True)
class CommunityRow:
    card: ScoreCard
    url: str
    grade: str
    tone: int
    cells: list[Cell]


@dataclass
class Choices:
    cities: list[Region] = field(default_factory=list)
    districts: list[Region] = field(default_factory=list)
    grades: list[tuple[str, str]] = field(default_factory=list)
    areas: list[tuple[str, str]] = field(default_factory=list)
    peers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CommunityMap:
    groups: list[Group]
    headings: dict[str, Heading]  # "name", "total" and each indicator code
    indicator_headings: list[Heading]
    rows: list[CommunityRow]
    page: Page
    filters: Filters
    sorting: Sorting
    choices: Choices
    page_query: str  # round, filters and sorting, for the pager
    export_query: str  # round and filters, for the matrix export

    @property
    def keep(self) -> list[tuple[str, Any]]:
        """Filters and sorting, kept when another round is chosen."""
        return [*self.filters.params().items(), *self.sorting.params().items()]


def _headings(
    scope: Scope, columns: list[Column], sorting: Sorting, keep: dict[str, Any]
) -> dict[str, Heading]:
    found = {}
    for key, title in [
        (SORT_NAME, ""),
        (SORT_TOTAL, ""),
        *[(c.code, f"{c.code} {c.name}") for c in columns],
    ]:
        params = {**keep, **sorting.toggled(key).params()}
        found[key] = Heading(key, title, f"?{scope.query(**params)}", sorting.aria(key))
    return found


def community_map(scope: Scope, params: QueryDict) -> CommunityMap:
    """One page of the communities' heat map for the request's filters and sorting."""
    groups = indicator_groups(scope)
    columns = columns_of(groups)
    filters = Filters.parse(params, scope)
    sorting = Sorting.parse(params, [c.code for c in columns])
    chosen = Paginator(_ordered_ids(scope, filters, sorting, columns), PAGE_SIZE).get_page(
        params.get("page")
    )
    ids = list(chosen.object_list)
    cards = ScoreCard.objects.select_related("assessment__community", "district").in_bulk(ids)
    scores: dict[int, dict[int, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for card_id, indicator_id, score, weight in IndicatorScore.objects.filter(
        scorecard_id__in=ids
    ).values_list("scorecard_id", "indicator_id", "score", "weight"):
        scores[card_id][indicator_id] = (score, weight)
    rows = []
    for pk in ids:
        card = cards.get(pk)
        if card is None:  # deleted since its id was read
            continue
        own = scores[pk]
        rows.append(
            CommunityRow(
                card=card,
                url=f"{reverse('dashboard:community', args=[card.assessment.community_id])}"
                f"?{scope.query()}",
                grade=scope.grade_name(card.grade),
                tone=scope.grade_tone(card.grade),
                cells=[Cell.of(*own.get(c.id, (None, c.weight))) for c in columns],
            )
        )
    keep = filters.params()
    headings = _headings(scope, columns, sorting, keep)
    return CommunityMap(
        groups=groups,
        headings=headings,
        indicator_headings=[headings[c.code] for c in columns],
        rows=rows,
        page=chosen,
        filters=filters,
        sorting=sorting,
        choices=_choices(scope, filters.city),
        page_query=scope.query(**keep, **sorting.params()),
        export_query=scope.query(**keep),
    )


def _ordered_ids(
    scope: Scope, filters: Filters, sorting: Sorting, columns: list[Column]
) -> QuerySet[Any]:
    """The ids of the filtered scorecards in the page order (ties by id)."""
    if scope.round is None:
        return ScoreCard.objects.none().values_list("pk", flat=True)
    indicator = next((c for c in columns if c.code == sorting.key), None)
    if indicator is not None:
        rows = IndicatorScore.objects.filter(round_id=scope.round.pk, indicator_id=indicator.id)
        rows = rows.filter(**scope.card_filter("scorecard__")).filter(
            filters.condition("scorecard__")
        )
        order = "-score" if sorting.descending else "score"
        return rows.order_by(order, "scorecard_id").values_list("scorecard_id", flat=True)
    cards = scope.cards().filter(filters.condition())
    if sorting.key == SORT_NAME:
        name = "assessment__community__name"
        ordering = (f"-{name}", "-pk") if sorting.descending else (name, "pk")
    else:
        ordering = ("-total", "pk") if sorting.descending else ("total", "pk")
    return cards.order_by(*ordering).values_list("pk", flat=True)


def _choices(scope: Scope, city: int | None) -> Choices:
    """Filter choices within the scope: cities (province-wide readers) and the districts
    of the chosen city or of the reader's city."""
    cities: list[Region] = []
    districts: list[Region] = []
    if scope.region is None:
        cities = list(Region.objects.filter(level=RegionLevel.CITY).order_by("code"))
        if city is not None:
            districts = list(
                Region.objects.filter(level=RegionLevel.DISTRICT, city_id=city).order_by("code")
            )
    elif scope.region.level == RegionLevel.CITY:
        districts = list(
            Region.objects.filter(level=RegionLevel.DISTRICT, city_id=scope.region.pk).order_by(
                "code"
            )
        )
    return Choices(
        cities=cities,
        districts=districts,
        grades=[(band.get("code", ""), scope.grade_name(band.get("code", "")))
                for band in scope.grade_bands],
        areas=[(value, str(label)) for value, label in AreaType.choices],
        peers=peer_group_choices(),
    )  # fmt: skip


# -- areas -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRow:
    region: Region | None
    url: str
    scored: int
    mean_total: Decimal | None
    cells: list[Cell]


@dataclass(frozen=True)
class AreaMap:
    level: str
    levels: list[str]  # the levels this reader may switch between
    groups: list[Group]
    headings: dict[str, Heading]
    indicator_headings: list[Heading]
    rows: list[AreaRow]
    average: AreaRow | None  # the scope's own area
    sorting: Sorting

    @property
    def keep(self) -> list[tuple[str, Any]]:
        """Level and sorting, kept when another round is chosen."""
        return [("level", self.level), *self.sorting.params().items()]


def area_levels(scope: Scope) -> list[str]:
    """Cities and districts for province-wide readers; districts for the others."""
    if scope.region is None:
        return [RegionLevel.CITY, RegionLevel.DISTRICT]
    return [RegionLevel.DISTRICT]


def area_map(scope: Scope, params: QueryDict) -> AreaMap:
    """The areas of one level within the scope, from their stored statistics."""
    levels = area_levels(scope)
    level = choice_param(params.get("level"), levels) or levels[0]
    groups = indicator_groups(scope)
    columns = columns_of(groups)
    sorting = Sorting.parse(params, [c.code for c in columns])
    stats = AreaStats.objects.none()
    if scope.round is not None:
        stats = AreaStats.objects.filter(round_id=scope.round.pk, level=level)
        if scope.region is not None:
            stats = stats.filter(region__path__startswith=scope.region.path)
    rows = [_area_row(scope, s, columns) for s in stats.select_related("region__city")]
    own = scope.own_stats()
    headings = _headings(scope, columns, sorting, {"level": level})
    return AreaMap(
        level=level,
        levels=levels,
        groups=groups,
        headings=headings,
        indicator_headings=[headings[c.code] for c in columns],
        rows=_sorted_areas(rows, sorting, columns),
        average=_area_row(scope, own, columns) if own is not None else None,
        sorting=sorting,
    )


def _area_row(scope: Scope, stats: AreaStats, columns: list[Column]) -> AreaRow:
    region = stats.region if stats.region_id is not None else None
    url = reverse("dashboard:region", args=[region.pk]) if region else reverse("dashboard:regions")
    return AreaRow(
        region=region,
        url=f"{url}?{scope.query()}",
        scored=stats.scored,
        mean_total=stats.mean_total,
        cells=cells_from_means(columns, stats.indicator_means),
    )


def _sorted_areas(rows: list[AreaRow], sorting: Sorting, columns: list[Column]) -> list[AreaRow]:
    """Areas are few (cities, or the districts of a scope): sorted here. Areas without a
    figure go last either way; names sort in the administrative order (by code)."""
    by_path = sorted(rows, key=lambda row: row.region.path if row.region else "")
    if sorting.key == SORT_NAME:
        return by_path[::-1] if sorting.descending else by_path
    index = next((i for i, c in enumerate(columns) if c.code == sorting.key), None)

    def figure(row: AreaRow) -> Decimal | None:
        return row.mean_total if index is None else row.cells[index].value

    known = [row for row in by_path if figure(row) is not None]
    known.sort(key=lambda row: figure(row) or 0, reverse=sorting.descending)
    return known + [row for row in by_path if figure(row) is None]
