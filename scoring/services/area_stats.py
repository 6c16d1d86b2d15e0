"""Score statistics per area (province, city, district) of a round, stored with the ranks.

Averages over a round of 100,000 communities and their 2.4 million indicator rows take
most of a second to compute, too long for a page; they are computed here when the round is
re-ranked and read back one row per area. Every figure is exact: sums are kept as integers
of hundredths and divided once, medians come from the sorted totals, and a mean is rounded
half up to 2 places like every reported figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, DecimalField, Q, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Round
from django.utils import timezone

from indicators.models import Indicator, PrimaryIndicator
from scoring.engine.numbers import SCORE_PLACES, fixed_text
from scoring.models import AreaStats, IndicatorScore, ScoreCard

Area = tuple[str, int | None]  # (level, region id); the province has no region
PROVINCE: Area = (AreaStats.Level.PROVINCE, None)


@dataclass
class _Sums:
    totals: list[int] = field(default_factory=list)  # hundredths
    grades: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    primaries: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    indicators: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    met: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _areas(city_id: int | None, district_id: int | None) -> Iterable[Area]:
    yield PROVINCE
    if city_id is not None:
        yield (AreaStats.Level.CITY, city_id)
    if district_id is not None:
        yield (AreaStats.Level.DISTRICT, district_id)


def _hundredths(value: Decimal | float | int | None) -> int:
    """A figure with 2 decimals as an integer of hundredths (SQLite sums decimals as
    floating point, so the nearest integer is taken)."""
    return int((Decimal(str(value or 0)) * 100).to_integral_value(ROUND_HALF_UP))


def _mean(total_hundredths: int, count: int) -> str:
    return fixed_text(Fraction(total_hundredths, 100 * count), SCORE_PLACES) if count else "0.00"


def _median(sorted_hundredths: list[int]) -> Decimal:
    n = len(sorted_hundredths)
    middle = n // 2
    if n % 2:
        value = Fraction(sorted_hundredths[middle], 100)
    else:
        value = Fraction(sorted_hundredths[middle - 1] + sorted_hundredths[middle], 200)
    return Decimal(fixed_text(value, SCORE_PLACES))


def area_stats_store(*, round_id: int) -> int:
    """Recompute and store the statistics of every area of the round that has scorecards
    (areas without any lose their row); returns how many areas were stored."""
    sums: dict[Area, _Sums] = defaultdict(_Sums)
    cards = ScoreCard.objects.filter(round_id=round_id).order_by()
    for city_id, district_id, total, grade in cards.values_list(
        "city_id", "district_id", "total", "grade"
    ).order_by("total"):
        for area in _areas(city_id, district_id):
            sums[area].totals.append(_hundredths(total))
            sums[area].grades[grade] += 1
    framework_id = (
        ScoreCard.objects.filter(round_id=round_id).values_list("framework_id", flat=True).first()
    )
    if framework_id is None:
        AreaStats.objects.filter(round_id=round_id).delete()
        return 0
    primary_codes = list(
        PrimaryIndicator.objects.filter(framework_id=framework_id).values_list("code", flat=True)
    )
    _add_primaries(cards, primary_codes, sums)
    _add_indicators(round_id, framework_id, sums)
    now = timezone.now()
    rows = [
        AreaStats(
            round_id=round_id,
            level=level,
            region_id=region_id,
            scored=len(area.totals),
            mean_total=Decimal(_mean(sum(area.totals), len(area.totals))),
            median_total=_median(area.totals),
            grades=dict(area.grades),
            primary_means={c: _mean(area.primaries[c], len(area.totals)) for c in primary_codes},
            indicator_means={c: _mean(v, len(area.totals)) for c, v in area.indicators.items()},
            indicator_met={
                c: fixed_text(Fraction(area.met[c], len(area.totals)), 4) for c in area.indicators
            },
            computed_at=now,
        )
        for (level, region_id), area in sums.items()
        if area.totals
    ]
    AreaStats.objects.filter(round_id=round_id).delete()
    AreaStats.objects.bulk_create(rows, batch_size=1_000)
    return len(rows)


def _add_primaries(
    cards: QuerySet[ScoreCard], primary_codes: list[str], sums: dict[Area, _Sums]
) -> None:
    """Sums of each primary score per city and district, by the database (the scores are
    kept as decimal strings in the scorecard's ``primaries``)."""
    figure: DecimalField[Decimal, Decimal] = DecimalField(max_digits=6, decimal_places=2)
    annotations = {
        f"p_{code}": Sum(Round(Cast(KeyTextTransform(code, "primaries"), figure) * 100))
        for code in primary_codes
    }
    for row in cards.values("city_id", "district_id").annotate(**annotations):
        for area in _areas(row["city_id"], row["district_id"]):
            for code in primary_codes:
                sums[area].primaries[code] += round(row[f"p_{code}"] or 0)


def _add_indicators(round_id: int, framework_id: int, sums: dict[Area, _Sums]) -> None:
    """Sums of each indicator's score and the count of met per city and district (one
    grouped query over the indicator rows)."""
    codes = dict(Indicator.objects.filter(framework_id=framework_id).values_list("pk", "code"))
    rows = (
        IndicatorScore.objects.filter(round_id=round_id)
        .order_by()
        .values("scorecard__city_id", "scorecard__district_id", "indicator_id")
        .annotate(total=Sum("score"), met=Count("pk", filter=Q(met=True)))
    )
    for row in rows:
        code = codes[row["indicator_id"]]
        for area in _areas(row["scorecard__city_id"], row["scorecard__district_id"]):
            sums[area].indicators[code] += _hundredths(row["total"])
            sums[area].met[code] += row["met"]
