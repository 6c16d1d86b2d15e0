"""Reads for the ranking stability page: the round's latest runs and the rank ranges of the
scorecards in the reader's scope, at the scope's level (overall for the province, within
the city or the district for their officials). A fixed number of queries at any size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, F, Max, Q, QuerySet, Window
from django.db.models.functions import Lag, Lead

from assessments.choices import RegionLevel
from reports.scope import Scope
from scoring.models import ScoreCard, StabilityRun


@dataclass(frozen=True)
class Level:
    """Where ranks are counted: the ScoreCard rank field and the RankRange field prefix."""

    key: str
    rank_field: str
    prefix: str

    @property
    def low(self) -> str:
        return f"rank_range__{self.prefix}_low"

    @property
    def high(self) -> str:
        return f"rank_range__{self.prefix}_high"


LEVELS: dict[str, Level] = {
    RegionLevel.PROVINCE: Level("overall", "rank", "overall"),
    RegionLevel.CITY: Level("city", "rank_in_city", "city"),
    RegionLevel.DISTRICT: Level("district", "rank_in_district", "district"),
}


@dataclass(frozen=True)
class Runs:
    """The round's newest run (of any status) and its newest finished one, whose ranges
    are stored; ``current_version`` is the round's scores version now."""

    latest: StabilityRun | None
    finished: StabilityRun | None
    current_version: int

    @property
    def outdated(self) -> bool:
        """Totals changed since the finished run read them."""
        return self.finished is not None and self.finished.scores_version != self.current_version

    @property
    def under_way(self) -> StabilityRun | None:
        latest = self.latest
        return latest if latest is not None and latest.status == latest.Status.RUNNING else None

    @property
    def failed(self) -> StabilityRun | None:
        latest = self.latest
        return latest if latest is not None and latest.status == latest.Status.FAILED else None

    @property
    def factors(self) -> tuple[Decimal, Decimal] | None:
        """The smallest and largest weight factor of the finished run."""
        if self.finished is None:
            return None
        spread = Decimal(self.finished.spread).normalize()
        return 1 - spread, 1 + spread

    @property
    def duration(self) -> timedelta | None:
        run = self.finished
        if run is None or run.finished_at is None:
            return None
        return run.finished_at - run.started_at


@dataclass(frozen=True)
class Summary:
    ranged: int  # scorecards in scope with a range
    overlapping: int  # of them, those whose range overlaps a neighbour's
    mean_width: float | None
    widest: int | None


@dataclass(frozen=True)
class Row:
    card: ScoreCard
    rank: int | None
    low: int | None
    high: int | None
    grade: str  # the grade's name
    grade_tone: int

    @property
    def width(self) -> int | None:
        return None if self.low is None or self.high is None else self.high - self.low


def level_of(scope: Scope) -> Level:
    return LEVELS.get(scope.level, LEVELS[RegionLevel.PROVINCE])


def runs(scope: Scope) -> Runs:
    round_runs = StabilityRun.objects.filter(round=scope.round).order_by("-started_at", "-pk")
    state = scope.standings
    return Runs(
        latest=round_runs.first(),
        finished=round_runs.filter(status=StabilityRun.Status.FINISHED).first(),
        current_version=state.scores_version if state is not None else 0,
    )


SUMMARY_SECONDS = 24 * 60 * 60

# Best first. Ranks follow totals at every level (equal totals share a rank), so ordering by
# total reads the (round, [area,] total) indexes instead of sorting the round by rank.
BEST_FIRST = (F("total").desc(), F("pk").asc())


def _ordered(scope: Scope, level: Level) -> QuerySet[ScoreCard]:
    return scope.cards().order_by(*BEST_FIRST)


def summary(scope: Scope, level: Level, run: StabilityRun | None) -> Summary:
    """How many scorecards have a range, and how many of them overlap the range of the
    one ranked just above or just below (at the level): their order is not certain.

    Reading every range of a round takes most of a second at 100,000 communities, and the
    answer changes only with a new run or new ranks: it is kept in the cache under both
    (and the area), so only the first reader of a run in an area waits for it."""
    state = scope.standings
    region = scope.region.pk if scope.region is not None else 0
    if run is None or state is None or state.ranked_at is None:
        return _summary(scope, level)
    key = (
        f"stability-summary:{run.pk}:{run.finished_at and run.finished_at.timestamp()}:"
        f"{state.ranked_at.timestamp()}:{level.prefix}:{region}"
    )
    found = cache.get_or_set(key, lambda: _summary(scope, level), SUMMARY_SECONDS)
    return found if isinstance(found, Summary) else _summary(scope, level)


def _summary(scope: Scope, level: Level) -> Summary:
    ranged = scope.cards().filter(rank_range__isnull=False)
    figures = ranged.aggregate(
        count=Count("pk"),
        mean_width=Avg(F(level.high) - F(level.low)),
        widest=Max(F(level.high) - F(level.low)),
    )
    order = list(BEST_FIRST)
    neighbours = ranged.annotate(
        low=F(level.low),
        high=F(level.high),
        above_low=Window(Lag(level.low), order_by=order),
        above_high=Window(Lag(level.high), order_by=order),
        below_low=Window(Lead(level.low), order_by=order),
        below_high=Window(Lead(level.high), order_by=order),
    )
    overlapping = neighbours.filter(
        Q(above_low__lte=F("high"), above_high__gte=F("low"))
        | Q(below_low__lte=F("high"), below_high__gte=F("low"))
    ).count()
    mean_width = figures["mean_width"]
    return Summary(
        ranged=figures["count"],
        overlapping=overlapping,
        mean_width=float(mean_width) if mean_width is not None else None,
        widest=figures["widest"],
    )


def _rows(scope: Scope, level: Level, cards: list[ScoreCard]) -> list[Row]:
    rows = []
    for card in cards:
        rank_range = getattr(card, "rank_range", None)
        rows.append(
            Row(
                card=card,
                rank=getattr(card, level.rank_field),
                low=getattr(rank_range, f"{level.prefix}_low", None),
                high=getattr(rank_range, f"{level.prefix}_high", None),
                grade=scope.grade_name(card.grade),
                grade_tone=scope.grade_tone(card.grade),
            )
        )
    return rows


def _with_details(queryset: QuerySet[ScoreCard]) -> QuerySet[ScoreCard]:
    return queryset.select_related("assessment__community", "rank_range")


def top(scope: Scope, level: Level, count: int = 30) -> list[Row]:
    """The ``count`` best ranked scorecards in scope, with their ranges."""
    return _rows(scope, level, list(_with_details(_ordered(scope, level))[:count]))


def page(scope: Scope, level: Level, number: int | None, per_page: int) -> tuple[Page, list[Row]]:
    """One page of the scorecards in scope, best ranked first."""
    chosen = Paginator(_with_details(_ordered(scope, level)), per_page).get_page(number)
    return chosen, _rows(scope, level, list(chosen.object_list))
