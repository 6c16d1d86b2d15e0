"""Trends: an area's stored statistics across the rounds the reader can see, oldest first,
and what changed since the round before the chosen one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from assessments.choices import RegionLevel
from assessments.models import Region, Round
from common.params import int_param
from reports.charts import GRADE_COLOURS, Chart, bar_chart, line_chart, number
from reports.scope import Scope
from reports.selectors.areas import PrimaryMean, primary_means
from reports.selectors.attainment import framework_groups
from reports.selectors.regions import region_in_scope
from scoring.models import AreaStats

AREA_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT)


@dataclass(frozen=True)
class RoundFigures:
    """An area's figures in one round."""

    round: Round
    stats: AreaStats
    primaries: list[PrimaryMean]  # by the round's own framework and weights

    def primary(self, code: str) -> PrimaryMean | None:
        return next((p for p in self.primaries if p.code == code), None)


@dataclass(frozen=True)
class Change:
    """One figure in the chosen round, the round before, and the difference."""

    label: str
    current: Any
    previous: Any
    delta: Decimal | None


@dataclass(frozen=True)
class Choice:
    value: str  # a region id, or "" for the whole province
    label: str
    selected: bool


@dataclass(frozen=True)
class Trends:
    region: Region | None
    label: str
    choices: list[Choice]
    rounds: list[RoundFigures]  # oldest first
    current: RoundFigures | None  # the chosen round, when it has figures
    previous: RoundFigures | None  # the round with figures before it
    changes: list[Change]
    charts: list[Chart]


def trends_region(scope: Scope, raw: str | None) -> Region | None:
    """The area asked for by ``?region=`` (the scope's own by default); Http404 when it
    is not a city or district within the scope. Nonsense is ignored like no choice."""
    pk = int_param(raw)
    if pk is None:
        return scope.region
    region = region_in_scope(scope, pk)
    if region.level == RegionLevel.PROVINCE:
        return None
    if region.level not in AREA_LEVELS:
        raise Http404
    return region


def trends(scope: Scope, region: Region | None) -> Trends:
    """The area's figures in every visible round that has statistics for it."""
    by_id = {r.pk: r for r in scope.rounds}
    stats = AreaStats.objects.filter(round_id__in=list(by_id), region=region)
    rounds = sorted(
        (
            RoundFigures(
                round=by_id[s.round_id],
                stats=s,
                primaries=primary_means(framework_groups(by_id[s.round_id].framework), s),
            )
            for s in stats
        ),
        key=lambda f: (f.round.period_start, f.round.pk),
    )
    position = next(
        (i for i, f in enumerate(rounds) if scope.round and f.round.pk == scope.round.pk), None
    )
    current = rounds[position] if position is not None else None
    previous = rounds[position - 1] if position else None
    return Trends(
        region=region,
        label=region.name if region is not None else _("Whole province"),
        choices=_choices(scope, region),
        rounds=rounds,
        current=current,
        previous=previous,
        changes=_changes(current, previous),
        charts=_charts(scope, rounds) if rounds else [],
    )


def _choices(scope: Scope, chosen: Region | None) -> list[Choice]:
    """The cities and districts within the scope (and the whole province for readers who
    see it), in the administrative order."""
    areas = Region.objects.filter(level__in=AREA_LEVELS).select_related("city").order_by("path")
    if scope.region is not None:
        areas = areas.filter(path__startswith=scope.region.path)
    found = [] if scope.region is not None else [Choice("", _("Whole province"), chosen is None)]
    for area in areas:
        label = area.name
        if area.level == RegionLevel.DISTRICT and area.city is not None:
            label = f"{area.city.name} · {area.name}"
        found.append(Choice(str(area.pk), label, chosen is not None and area.pk == chosen.pk))
    return found


def _delta(current: Any, previous: Any) -> Decimal | None:
    if current is None or previous is None:
        return None
    return Decimal(current) - Decimal(previous)


def _changes(current: RoundFigures | None, previous: RoundFigures | None) -> list[Change]:
    if current is None or previous is None:
        return []
    now, before = current.stats, previous.stats
    rows = [
        Change(_("Mean total"), now.mean_total, before.mean_total,
               _delta(now.mean_total, before.mean_total)),
        Change(_("Median total"), now.median_total, before.median_total,
               _delta(now.median_total, before.median_total)),
        Change(_("Scored"), now.scored, before.scored, _delta(now.scored, before.scored)),
    ]  # fmt: skip
    for primary in current.primaries:
        earlier = previous.primary(primary.code)
        was = earlier.mean if earlier is not None else None
        rows.append(Change(primary.name, primary.mean, was, _delta(primary.mean, was)))
    return rows


def _lines(names: list[str], series: list[dict[str, Any]]) -> dict[str, Any]:
    """A line chart of percentages or totals by round, every round's name written."""
    option = line_chart(categories=names, series=series, max_value=100)
    option["xAxis"]["axisLabel"] = {"interval": 0}
    return option


def _charts(scope: Scope, rounds: list[RoundFigures]) -> list[Chart]:
    names = [f.round.name for f in rounds]
    latest = rounds[-1].primaries
    totals = Chart(
        id="totals",
        title=_("Mean and median total"),
        option=_lines(names, [
            {"name": _("Mean total"), "data": [number(f.stats.mean_total) for f in rounds]},
            {"name": _("Median total"), "data": [number(f.stats.median_total) for f in rounds]},
        ]),
        headers=(_("Round"), _("Scored"), _("Mean total"), _("Median total")),
        rows=[(f.round.name, f.stats.scored, f.stats.mean_total, f.stats.median_total)
              for f in rounds],
    )  # fmt: skip
    primaries = Chart(
        id="primaries",
        title=_("Mean score per primary indicator as a share of its weight"),
        option=_lines(
            names, [{"name": p.name, "data": [_share(f, p.code) for f in rounds]} for p in latest]
        ),
        headers=(_("Round"), *[p.name for p in latest]),
        rows=[(f.round.name, *[_mean_text(f.primary(p.code)) for p in latest]) for f in rounds],
    )
    codes = [band.get("code", "") for band in scope.grade_bands]
    grades = Chart(
        id="grades",
        title=_("Grade distribution per round"),
        option=bar_chart(
            categories=names,
            series=[{
                "name": scope.grade_name(code),
                "stack": "grades",
                "itemStyle": {"color": GRADE_COLOURS[min(scope.grade_tone(code),
                                                         len(GRADE_COLOURS)) - 1]},
                "data": [int(f.stats.grades.get(code, 0)) for f in rounds],
            } for code in codes],
        ),
        headers=(_("Round"), *[scope.grade_name(code) for code in codes]),
        rows=[(f.round.name, *[int(f.stats.grades.get(code, 0)) for code in codes])
              for f in rounds],
    )  # fmt: skip
    return [totals, primaries, grades]


def _share(figures: RoundFigures, code: str) -> float | None:
    found = figures.primary(code)
    return number(found.share) if found is not None and found.share is not None else None


def _mean_text(found: PrimaryMean | None) -> str:
    """ "22.50 (75.0%)": a primary's mean score and its share of the weight."""
    if found is None or found.mean is None:
        return "–"
    return f"{found.mean} ({found.share}%)"
