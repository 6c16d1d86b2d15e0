"""The ranking: a round's scorecards in the reader's scope, filtered and sorted, read one
page at a time (or in chunks, for exports) in a fixed number of queries.

The same filters serve the ranking page, its export and the indicator-score export, so a
file always holds what the page shows. Their query parameters are ``city``, ``district``,
``grade``, ``status``, ``area``, ``peer``, ``q`` and ``sort``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, FloatField, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from assessments.choices import AreaType, AssessmentStatus, RegionLevel
from assessments.models import Region
from common.params import choice_param, int_param, text_param
from common.search import contains, starts_with
from indicators.specs import framework_catalog
from reports.scope import Scope
from scoring.models import IndicatorScore, ScoreCard
from scoring.peers import peer_group_choices

#: Which stored rank the table shows, and the RankRange fields of the same area.
RANK_FIELDS = {
    "overall": ("rank", "overall"),
    "city": ("rank_in_city", "city"),
    "district": ("rank_in_district", "district"),
    "peer": ("rank_in_peer_group", "peer"),
}
RANK_LABELS = {
    "overall": _("Rank in province"),
    "city": _("Rank in city"),
    "district": _("Rank in district"),
    "peer": _("Rank in peer group"),
}
#: Sort keys besides the primary indicators' codes; "-" before a key reverses it.
SORT_KEYS = ("rank", "name", "coverage")
DEFAULT_SORT = "rank"


@dataclass(frozen=True)
class RankingFilters:
    """What the reader asked for, checked against their scope (unknown or out-of-scope
    values are dropped, never an error)."""

    city: Region | None = None
    district: Region | None = None
    grade: str | None = None
    status: str | None = None
    area: str | None = None
    peer: str | None = None
    search: str | None = None
    sort: str = DEFAULT_SORT

    @property
    def rank_kind(self) -> str:
        """The rank to show: within the peer group, district or city the table is limited
        to (in that order), else in the whole round."""
        if self.peer:
            return "peer"
        if self.district:
            return "district"
        if self.city:
            return "city"
        return "overall"

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def sort_reversed(self) -> bool:
        return self.sort.startswith("-")

    def params(self) -> dict[str, str]:
        """The query parameters that name these filters (empty ones left out)."""
        values = {
            "city": self.city.pk if self.city else None,
            "district": self.district.pk if self.district else None,
            "grade": self.grade,
            "status": self.status,
            "area": self.area,
            "peer": self.peer,
            "q": self.search,
            "sort": self.sort if self.sort != DEFAULT_SORT else None,
        }
        return {key: str(value) for key, value in values.items() if value}


@dataclass(frozen=True)
class RegionChoices:
    """The cities a reader may filter by, and the districts of the chosen city."""

    cities: list[Region]
    districts: list[Region]


def _region_choices(scope: Scope, city_id: int | None) -> RegionChoices:
    region = scope.region
    if region is None:
        cities = list(Region.objects.filter(level=RegionLevel.CITY).order_by("code"))
    elif region.level == RegionLevel.CITY:
        cities = [region]
    else:
        cities = [region.city] if region.city is not None else []
    city = next((c for c in cities if c.pk == city_id), None)
    if city is None:
        districts: list[Region] = []
    elif region is not None and region.level != RegionLevel.CITY:
        districts = [region]
    else:
        districts = list(
            Region.objects.filter(level=RegionLevel.DISTRICT, city=city).order_by("code")
        )
    return RegionChoices(cities=cities, districts=districts)


def ranking_filters(
    scope: Scope, params: Mapping[str, Any]
) -> tuple[RankingFilters, RegionChoices]:
    """The filters named by query parameters (a request's GET or a job's saved
    parameters), and the region choices of the reader."""
    city_id = int_param(params.get("city"))
    regions = _region_choices(scope, city_id)
    city = next((c for c in regions.cities if c.pk == city_id), None)
    district_id = int_param(params.get("district"))
    sort = str(params.get("sort") or "")
    keys = (*SORT_KEYS, *primary_codes(scope))
    filters = RankingFilters(
        city=city,
        district=next((d for d in regions.districts if d.pk == district_id), None),
        grade=choice_param(params.get("grade"), [str(b.get("code")) for b in scope.grade_bands]),
        status=choice_param(params.get("status"), AssessmentStatus.values),
        area=choice_param(params.get("area"), AreaType.values),
        peer=choice_param(params.get("peer"), [key for key, _label in peer_group_choices()]),
        search=text_param(params.get("q")),
        sort=sort if sort.removeprefix("-") in keys else DEFAULT_SORT,
    )
    return filters, regions


def primary_codes(scope: Scope) -> list[str]:
    if scope.round is None:
        return []
    return [p.code for p in framework_catalog(scope.round.framework).primaries]


def ranking_cards(scope: Scope, filters: RankingFilters) -> QuerySet[ScoreCard]:
    """The scorecards of the table, filtered and in the order asked for."""
    qs = scope.cards()
    if filters.city:
        qs = qs.filter(city_id=filters.city.pk)
    if filters.district:
        qs = qs.filter(district_id=filters.district.pk)
    if filters.grade:
        qs = qs.filter(grade=filters.grade)
    if filters.status:
        qs = qs.filter(assessment__status=filters.status)
    if filters.area:
        qs = qs.filter(assessment__community__area_type=filters.area)
    if filters.peer:
        qs = qs.filter(peer_group=filters.peer)
    if filters.search:
        qs = qs.filter(
            contains("assessment__community__name", filters.search)
            | starts_with("assessment__community__code", filters.search)
        )
    return qs.order_by(*_ordering(filters.sort_key, filters.sort_reversed))


def _ordering(key: str, reverse: bool) -> list[OrderBy]:
    """Best first by default (highest total, score or coverage; names A to Z); ties by
    total, then name, so pages never shuffle."""
    main: list[tuple[Any, bool]]  # (expression, highest first)
    if key == "rank":
        main = [(F("total"), True)]
    elif key == "name":
        main = [(F("assessment__community__name"), False)]
    elif key == "coverage":
        main = [(F("assessment__evidenced_count"), True), (F("assessment__answered_count"), True)]
    else:
        main = [(Cast(KeyTextTransform(key, "primaries"), FloatField()), True)]
    order = [
        expr.desc(nulls_last=True) if descending != reverse else expr.asc(nulls_last=True)
        for expr, descending in main
    ]
    return [
        *order,
        F("total").desc(),
        F("assessment__community__name").asc(),
        F("pk").asc(),
    ]


@dataclass(frozen=True)
class RankingColumns:
    """What the columns of a round's table are: its primary indicators (with their
    indicators, for the matrix), the number of items, and the threshold above which a
    community with thin evidence is marked."""

    rank_kind: str
    primaries: tuple[Any, ...]
    item_total: int
    good_minimum: Decimal | None
    good_name: str

    @property
    def indicators(self) -> list[Any]:
        return [ind for p in self.primaries for ind in p.indicators.all()]


def ranking_columns(scope: Scope, filters: RankingFilters) -> RankingColumns:
    if scope.round is None:
        raise ValueError("a table needs a round")
    catalog = framework_catalog(scope.round.framework)
    bands = scope.grade_bands
    good = next((b for b in bands if b.get("code") == "good"), bands[1] if len(bands) > 1 else None)
    return RankingColumns(
        rank_kind=filters.rank_kind,
        primaries=catalog.primaries,
        item_total=len(catalog.spec.items),
        good_minimum=Decimal(str(good["minimum"])) if good else None,
        good_name=scope.grade_name(good["code"]) if good else "",
    )


@dataclass(frozen=True)
class RankingRow:
    """A scorecard as the table shows it."""

    card: ScoreCard
    rank: int | None
    rank_range: tuple[int, int] | None  # from the latest ranking-stability run
    primary_scores: tuple[tuple[Any, Decimal | None], ...]  # (primary indicator, score)
    grade_name: str
    grade_tone: int
    thin_evidence: bool

    @property
    def primaries(self) -> list[Decimal | None]:
        return [score for _primary, score in self.primary_scores]

    @property
    def assessment(self) -> Any:
        return self.card.assessment

    @property
    def community(self) -> Any:
        return self.card.assessment.community


def ranking_page(
    scope: Scope, filters: RankingFilters, columns: RankingColumns, page: str | None, per_page: int
) -> tuple[Page, list[RankingRow]]:
    """One page of the table: chosen on ids alone, then only its rows read in full."""
    chosen = Paginator(
        ranking_cards(scope, filters).values_list("pk", flat=True), per_page
    ).get_page(page)
    return chosen, ranking_rows(scope, columns, list(chosen.object_list))


def ranking_rows(scope: Scope, columns: RankingColumns, ids: list[int]) -> list[RankingRow]:
    """The rows of these scorecards, in the order of ``ids`` (one query)."""
    cards = ScoreCard.objects.select_related(
        "assessment__community", "city", "district", "rank_range"
    ).in_bulk(ids)
    rank_field, range_prefix = RANK_FIELDS[columns.rank_kind]
    rows = []
    for pk in ids:
        card = cards.get(pk)
        if card is None:  # removed since the ids were read
            continue
        stability = getattr(card, "rank_range", None)
        low = getattr(stability, f"{range_prefix}_low", None)
        high = getattr(stability, f"{range_prefix}_high", None)
        assessment = card.assessment
        rows.append(
            RankingRow(
                card=card,
                rank=getattr(card, rank_field),
                rank_range=(low, high) if low is not None and high is not None else None,
                primary_scores=tuple(
                    (p, primary_score(card.primaries, p.code)) for p in columns.primaries
                ),
                grade_name=scope.grade_name(card.grade),
                grade_tone=scope.grade_tone(card.grade),
                thin_evidence=thin_evidence(
                    columns, card.total, assessment.answered_count, assessment.evidenced_count
                ),
            )
        )
    return rows


def thin_evidence(columns: RankingColumns, total: Decimal, answered: int, evidenced: int) -> bool:
    """A high score on thin evidence: at least the "good" grade's minimum, with evidence on
    fewer than half of the answered items."""
    return (
        columns.good_minimum is not None
        and total >= columns.good_minimum
        and evidenced * 2 < answered
    )


def indicator_scores(card_ids: list[int]) -> dict[int, dict[int, Decimal]]:
    """Each scorecard's indicator scores by indicator id (one query)."""
    found: dict[int, dict[int, Decimal]] = {}
    rows = IndicatorScore.objects.filter(scorecard_id__in=card_ids).values_list(
        "scorecard_id", "indicator_id", "score"
    )
    for card_id, indicator_id, score in rows:
        found.setdefault(card_id, {})[indicator_id] = score
    return found


def primary_score(primaries: dict[str, Any], code: str) -> Decimal | None:
    """A primary indicator's score as stored in a scorecard's ``primaries``."""
    return _decimal(primaries.get(code))


def _decimal(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value not in (None, "") else None
