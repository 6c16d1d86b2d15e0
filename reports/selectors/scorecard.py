"""One community's results: its scorecard in a round, how every point was earned, its ranks
against the areas it belongs to, and its history across rounds.

Everything is read in a fixed number of queries, whatever the number of rounds: the
community, its assessments of every visible round with their scorecards and rank ranges,
then, for the chosen round only, the item details, indicator rows, area statistics, the
size of its peer group and the evidence reviews.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import Assessment, Community, ItemReview, Round
from assessments.preview import achievement_text, target_text
from indicators.models import Indicator, Item, PrimaryIndicator
from indicators.specs import FrameworkCatalog, framework_catalog
from reports.attainment import percent_of, tone
from reports.charts import Chart
from reports.charts.community import RoundPoint, history_trend, primaries_radar
from reports.points import item_share, split_points
from reports.scope import Scope
from reports.selectors.community import (
    CommunityInScope,
    community_in_scope,
    grade_of,
    round_bands,
    scorecard_of,
)
from scoring.engine import ItemResult, ItemSpec, ItemType, round_half_up
from scoring.engine.results import MISSING, NOT_APPLICABLE, SCORED
from scoring.models import AreaStats, RankRange, ScoreCard, ScoreDetail
from scoring.peers import peer_group_label


@dataclass(frozen=True)
class Placing:
    """A rank within an area, with the area's number of scored communities and the rank
    range of the stability run where there is one."""

    label: str
    rank: int | None
    of: int | None
    low: int | None = None
    high: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ItemLine:
    item: Item
    status: str  # the engine's: scored, missing, na, rejected
    achievement: str
    target: str
    met: bool | None
    share: Decimal | None  # of the indicator's weight; None when not applicable
    s: str
    points: Decimal | None
    review: ItemReview | None


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    weight: Decimal
    score: Decimal
    percent: Decimal
    tone: int
    met: bool
    items: list[ItemLine]


@dataclass(frozen=True)
class PrimaryLine:
    primary: PrimaryIndicator
    weight: Decimal
    score: Decimal
    percent: Decimal
    indicators: list[IndicatorLine]


@dataclass(frozen=True)
class PrimaryFigure:
    name: str
    score: Decimal
    percent: Decimal  # of the primary's weight


@dataclass(frozen=True)
class HistoryLine:
    round: Round
    card: ScoreCard
    grade: str
    tone: int
    primaries: list[PrimaryFigure]  # in framework order
    current: bool


@dataclass
class CommunityPage:
    found: CommunityInScope
    round: Round
    catalog: FrameworkCatalog
    grade: str = ""
    tone: int = 0
    placings: list[Placing] = field(default_factory=list)
    primaries: list[PrimaryLine] = field(default_factory=list)
    history: list[HistoryLine] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    # The community's scores by primary code beside the averages of its city and of the
    # province: (name, scores) each, the community first.
    comparison: list[tuple[str, Mapping[str, Any]]] = field(default_factory=list)

    @property
    def community(self) -> Community:
        return self.found.community

    @property
    def assessment(self) -> Assessment | None:
        return self.found.assessment

    @property
    def card(self) -> ScoreCard | None:
        return self.found.card

    @property
    def item_count(self) -> int:
        return len(self.catalog.spec.items)

    @property
    def peer_group(self) -> str:
        return peer_group_label(self.card.peer_group) if self.card and self.card.peer_group else ""


def community_page(*, scope: Scope, pk: int) -> CommunityPage:
    """Everything the community's scorecard page shows for the scope's round."""
    found = community_in_scope(scope=scope, pk=pk)
    round_ = found.assessment.round if found.assessment else scope.round
    if round_ is None:  # cannot be: a visible assessment makes its round visible
        raise Http404
    return community_page_of(found, round_)


def community_page_of(found: CommunityInScope, round_: Round) -> CommunityPage:
    """The scorecard page of a community already checked to be visible (the printed
    scorecard reads it too)."""
    page = CommunityPage(found=found, round=round_, catalog=framework_catalog(round_.framework))
    card = found.card
    page.history = _history(found, page.catalog)
    if card is None or found.assessment is None:
        return page
    page.grade, page.tone = grade_of(round_bands(round_), card.grade)
    stats = _area_stats(card)
    page.placings = _placings(found.community, card, stats)
    page.primaries = _primaries(page.catalog, card, found.assessment)
    page.comparison = _comparison(page, card, stats)
    page.charts = [
        primaries_radar(
            chart_id="community-radar", primaries=page.catalog.primaries, series=page.comparison
        )
    ]
    if len(page.history) > 1:
        page.charts.append(_trend(page))
    return page


def _area_stats(card: ScoreCard) -> dict[int | None, AreaStats]:
    """The round's statistics of the province (key None), the card's city and district."""
    areas = [pk for pk in (card.city_id, card.district_id) if pk is not None]
    rows = AreaStats.objects.filter(round_id=card.round_id).filter(
        Q(region__isnull=True) | Q(region_id__in=areas)
    )
    return {row.region_id: row for row in rows}


def _placings(
    community: Community, card: ScoreCard, stats: Mapping[int | None, AreaStats]
) -> list[Placing]:
    ranges: RankRange | None = getattr(card, "rank_range", None)

    def scored(area: int | None) -> int | None:
        row = stats.get(area)
        return row.scored if row is not None else None

    def span(low: str, high: str) -> tuple[int | None, int | None]:
        if ranges is None:
            return None, None
        return getattr(ranges, low), getattr(ranges, high)

    overall = span("overall_low", "overall_high")
    placings = [Placing(_("Rank in the province"), card.rank, scored(None), *overall)]
    if community.city is not None:
        placings.append(
            Placing(
                _("Rank in %(area)s") % {"area": community.city.name},
                card.rank_in_city,
                scored(card.city_id),
                *span("city_low", "city_high"),
            )
        )
    if community.district is not None:
        placings.append(
            Placing(
                _("Rank in %(area)s") % {"area": community.district.name},
                card.rank_in_district,
                scored(card.district_id),
                *span("district_low", "district_high"),
            )
        )
    if card.peer_group:
        peers = ScoreCard.objects.filter(round_id=card.round_id, peer_group=card.peer_group)
        placings.append(
            Placing(
                _("Rank in peer group"),
                card.rank_in_peer_group,
                peers.count(),
                *span("peer_low", "peer_high"),
                note=peer_group_label(card.peer_group),
            )
        )
    return placings


def _primaries(
    catalog: FrameworkCatalog, card: ScoreCard, assessment: Assessment
) -> list[PrimaryLine]:
    """The four primaries with their indicators and how each indicator's points were
    earned, item by item."""
    detail = ScoreDetail.objects.filter(scorecard=card).values_list("items", flat=True).first()
    details: Mapping[str, Mapping[str, Any]] = detail or {}
    rows = {
        catalog.indicator_codes[indicator_id]: (score, weight, met)
        for indicator_id, score, weight, met in card.indicators.values_list(
            "indicator_id", "score", "weight", "met"
        )
    }
    reviews = {
        catalog.item_codes[review.item_id]: review
        for review in ItemReview.objects.filter(assessment=assessment)
    }
    lines = []
    for primary in catalog.primaries:
        indicators = []
        for indicator in primary.indicators.all():
            score, weight, met = rows.get(
                indicator.code, (Decimal("0.00"), indicator.weight, False)
            )
            indicators.append(
                IndicatorLine(
                    indicator=indicator,
                    weight=weight,
                    score=score,
                    percent=percent_of(score, weight),
                    tone=tone(percent_of(score, weight)),
                    met=met,
                    items=_items(catalog, indicator, score, details, reviews),
                )
            )
        total = Decimal(card.primaries.get(primary.code, "0.00"))
        lines.append(
            PrimaryLine(
                primary=primary,
                weight=primary.weight,
                score=total,
                percent=percent_of(total, primary.weight),
                indicators=indicators,
            )
        )
    return lines


def _fraction(text: Any) -> Fraction | None:
    return None if text is None else Fraction(Decimal(str(text)))


def _items(
    catalog: FrameworkCatalog,
    indicator: Indicator,
    score: Decimal,
    details: Mapping[str, Mapping[str, Any]],
    reviews: Mapping[str, ItemReview],
) -> list[ItemLine]:
    """The indicator's items with what each earned: its share of the indicator weight
    (applicable items only) times its stored score s."""
    spec = catalog.spec.indicators[indicator.code]
    rows = [
        (item, spec_item, details.get(item.code) or {"status": MISSING})
        for item, spec_item in zip(indicator.items.all(), spec.items, strict=True)
    ]
    applicable = sum(
        (spec_item.weight for _i, spec_item, entry in rows if entry["status"] != NOT_APPLICABLE),
        Fraction(0),
    )
    shares = [
        None
        if entry["status"] == NOT_APPLICABLE
        else item_share(spec.weight, spec_item.weight, applicable)
        for _i, spec_item, entry in rows
    ]
    parts = [
        share * (_fraction(entry.get("s")) or 0)
        for share, (_i, _s, entry) in zip(shares, rows, strict=True)
        if share is not None
    ]
    points = iter(split_points(parts, score))
    lines = []
    for share, (item, spec_item, entry) in zip(shares, rows, strict=True):
        result = ItemResult(
            code=item.code,
            status=str(entry["status"]),
            s=_fraction(entry.get("s")),
            achievement=_fraction(entry.get("achievement")),
            met=entry.get("met"),
            weight=spec_item.weight,
        )
        lines.append(
            ItemLine(
                item=item,
                status=result.status,
                achievement=achievement_words(item, spec_item, result),
                target=target_text(item, spec_item),
                met=result.met,
                share=None if share is None else round_half_up(share, 2),
                s=str(entry.get("s") or ""),
                points=None if share is None else next(points),
                review=reviews.get(item.code),
            )
        )
    return lines


def achievement_words(item: Item, spec: ItemSpec, result: ItemResult) -> str:
    """As the assessment page says it; a scored yes/no item says which."""
    if spec.type == ItemType.BOOLEAN and result.status == SCORED and result.s is not None:
        return _("Yes") if result.s == 1 else _("No")
    return achievement_text(item, spec, result)


def _history(found: CommunityInScope, catalog: FrameworkCatalog) -> list[HistoryLine]:
    """Every visible round in which the community has a scorecard, oldest first (in the
    primaries of the page's framework: rounds of one standard share them)."""
    lines = []
    for assessment in reversed(found.assessments):
        card = scorecard_of(assessment)
        if card is None:
            continue
        name, grade_tone = grade_of(round_bands(assessment.round), card.grade)
        lines.append(
            HistoryLine(
                round=assessment.round,
                card=card,
                grade=name,
                tone=grade_tone,
                primaries=[
                    PrimaryFigure(
                        name=p.name,
                        score=Decimal(card.primaries.get(p.code, "0.00")),
                        percent=percent_of(card.primaries.get(p.code, "0.00"), p.weight),
                    )
                    for p in catalog.primaries
                ],
                current=assessment is found.assessment,
            )
        )
    return lines


def _comparison(
    page: CommunityPage, card: ScoreCard, stats: Mapping[int | None, AreaStats]
) -> list[tuple[str, Mapping[str, Any]]]:
    """The community beside the averages of its city and of the province (named as such:
    they may be wider than the reader's scope)."""
    series: list[tuple[str, Mapping[str, Any]]] = [(page.community.name, card.primaries)]
    city = page.community.city
    if city is not None and card.city_id in stats:
        average = _("%(area)s average") % {"area": city.name}
        series.append((average, stats[card.city_id].primary_means))
    if None in stats:
        series.append((_("Province average"), stats[None].primary_means))
    return series


def _trend(page: CommunityPage) -> Chart:
    url = reverse("dashboard:community", args=[page.community.pk])
    return history_trend(
        chart_id="community-trend",
        names=[p.name for p in page.catalog.primaries],
        points=[
            RoundPoint(
                name=line.round.name,
                url=f"{url}?round={line.round.pk}",
                total=line.card.total,
                primaries=[p.percent for p in line.primaries],
            )
            for line in page.history
        ],
    )
