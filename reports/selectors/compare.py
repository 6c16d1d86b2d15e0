"""Two to five communities side by side in one round: their primaries and indicators as
% of weight, totals, grades and ranks, with the best value of each row marked; and a
search of the communities in scope to choose them.

Chosen ids outside the reader's scope (or without a score in the round) are dropped and
only counted, so nothing about them shows. Three queries at most, whatever the number of
communities: the chosen scorecards, their indicator rows and the search.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from common.params import int_param
from common.search import contains
from indicators.specs import FrameworkCatalog, framework_catalog
from reports.attainment import percent_of, tone
from reports.charts import Chart, bar_chart, number
from reports.charts.community import primaries_radar
from reports.scope import Scope
from scoring.models import IndicatorScore, ScoreCard
from scoring.peers import peer_group_label

MIN_CHOSEN = 2
MAX_CHOSEN = 5
SEARCH_LIMIT = 20
IDS_READ = 50  # more ``c`` values than this are not even looked at


@dataclass(frozen=True)
class Compared:
    """A community of the comparison (or of the search), through its scorecard."""

    card: ScoreCard
    grade: str
    tone: int
    url: str

    @property
    def community(self) -> Any:
        return self.card.assessment.community

    @property
    def peer_group(self) -> str:
        return peer_group_label(self.card.peer_group) if self.card.peer_group else ""


@dataclass(frozen=True)
class Cell:
    score: Decimal
    percent: Decimal
    tone: int
    best: bool


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    weight: Decimal
    cells: list[Cell]
    primary: bool = False


@dataclass(frozen=True)
class Choice:
    """A community offered by the picker, with the query that adds (or removes) it."""

    entry: Compared
    query: str


@dataclass
class ComparePage:
    chosen: list[Compared]
    ignored: int
    search: str
    matches: list[Choice] = field(default_factory=list)
    removals: list[Choice] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    totals: list[Cell] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return MIN_CHOSEN <= len(self.chosen) <= MAX_CHOSEN

    @property
    def too_many(self) -> bool:
        return len(self.chosen) > MAX_CHOSEN


def chosen_ids(values: Iterable[str]) -> tuple[list[int], int]:
    """The distinct ids among the ``c`` values, in the order given, and how many values
    were not ids at all."""
    ids: list[int] = []
    unreadable = 0
    for raw in list(values)[:IDS_READ]:
        value = int_param(raw)
        if value is None:
            unreadable += 1
        elif value not in ids:
            ids.append(value)
    return ids, unreadable


def _cards(scope: Scope) -> QuerySet[ScoreCard]:
    return scope.cards().select_related(
        "assessment__community__region",
        "assessment__community__city",
        "assessment__community__district",
    )


def compare_page(*, scope: Scope, values: Sequence[str], search: str | None) -> ComparePage:
    """The comparison of the communities named by ``values`` (the ``c`` parameters) in
    the scope's round, and the picker's matches for ``search``."""
    ids, unreadable = chosen_ids(values)
    found = {card.assessment.community_id: card for card in _cards(scope).filter(
        assessment__community_id__in=ids)} if ids else {}  # fmt: skip
    chosen = [_compared(scope, found[pk]) for pk in ids if pk in found]
    page = ComparePage(
        chosen=chosen, ignored=len(ids) - len(chosen) + unreadable, search=search or ""
    )
    kept = [entry.card.assessment.community_id for entry in chosen]
    page.removals = [
        Choice(entry, _query(scope, [pk for pk in kept if pk != entry.card.assessment.community_id],
                             page.search))
        for entry in chosen
    ]  # fmt: skip
    if search:
        matches = (
            _cards(scope)
            .filter(
                contains("assessment__community__name", search)
                | contains("assessment__community__code", search)
            )
            .exclude(assessment__community_id__in=kept)
            .order_by("assessment__community__name", "pk")[:SEARCH_LIMIT]
        )
        page.matches = [
            Choice(
                _compared(scope, card),
                _query(scope, [*kept, card.assessment.community_id], page.search),
            )
            for card in matches
        ]
    if page.ready and scope.round is not None:
        catalog = framework_catalog(scope.round.framework)
        page.rows, page.totals = _rows(catalog, [entry.card for entry in chosen])
        radar = primaries_radar(
            chart_id="compare-radar",
            primaries=catalog.primaries,
            series=[(entry.community.name, entry.card.primaries) for entry in chosen],
        )
        page.charts = [radar, _bars(page, chosen)]
    return page


def _compared(scope: Scope, card: ScoreCard) -> Compared:
    url = reverse("dashboard:community", args=[card.assessment.community_id])
    return Compared(
        card=card,
        grade=scope.grade_name(card.grade),
        tone=scope.grade_tone(card.grade),
        url=f"{url}?{scope.query()}",
    )


def _query(scope: Scope, ids: Iterable[int], search: str) -> str:
    params = QueryDict(mutable=True)
    if scope.round is not None:
        params["round"] = str(scope.round.pk)
    params.setlist("c", [str(pk) for pk in ids])
    if search:
        params["q"] = search
    return params.urlencode()


def _cells(scores: Sequence[Decimal], weight: Decimal) -> list[Cell]:
    """One row's cells; the highest score is the best, unless every score is the same
    (then no cell stands out)."""
    top = max(scores)
    marked = top != min(scores)
    return [
        Cell(
            score=value,
            percent=percent_of(value, weight),
            tone=tone(percent_of(value, weight)),
            best=marked and value == top,
        )
        for value in scores
    ]


def _rows(catalog: FrameworkCatalog, cards: list[ScoreCard]) -> tuple[list[Row], list[Cell]]:
    """Each primary followed by its indicators, and the totals."""
    scores: dict[tuple[int, int], Decimal] = {
        (card_id, indicator_id): score
        for card_id, indicator_id, score in IndicatorScore.objects.filter(
            scorecard__in=cards
        ).values_list("scorecard_id", "indicator_id", "score")
    }
    rows = []
    for primary in catalog.primaries:
        rows.append(
            Row(
                code=primary.code,
                name=primary.name,
                weight=primary.weight,
                cells=_cells(
                    [Decimal(card.primaries.get(primary.code, "0.00")) for card in cards],
                    primary.weight,
                ),
                primary=True,
            )
        )
        for indicator in primary.indicators.all():
            values = [scores.get((card.pk, indicator.pk), Decimal("0.00")) for card in cards]
            rows.append(
                Row(
                    code=indicator.code,
                    name=indicator.name,
                    weight=indicator.weight,
                    cells=_cells(values, indicator.weight),
                )
            )
    return rows, _cells([card.total for card in cards], Decimal(100))


def _bars(page: ComparePage, chosen: list[Compared]) -> Chart:
    indicators = [row for row in page.rows if not row.primary]
    return Chart(
        id="compare-bars",
        title=_("Indicators, share of weight attained"),
        option=bar_chart(
            categories=[row.name for row in indicators],
            series=[
                {
                    "name": entry.community.name,
                    "data": [number(row.cells[i].percent) for row in indicators],
                }
                for i, entry in enumerate(chosen)
            ],
            horizontal=True,
            max_value=100,
            unit="%",
        ),
        headers=[_("Indicator"), *(entry.community.name for entry in chosen)],
        rows=[[row.name, *(f"{cell.percent}%" for cell in row.cells)] for row in indicators],
        size=f"tall-{len(chosen)}",
    )
