"""What the dashboard pages should show, worked out from the stored rows themselves, and a
way to grow the ``results`` world so query counts can be compared at two sizes."""

from __future__ import annotations

import random
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import IndicatorScore, ScoreCard


def rounded(value: Fraction | Decimal, places: str = "0.01") -> Decimal:
    exact = value if isinstance(value, Decimal) else Decimal(value.numerator) / value.denominator
    return exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def mean(values: Iterable[Any]) -> Decimal:
    found = [Fraction(Decimal(str(v))) for v in values]
    return rounded(sum(found, Fraction(0)) / len(found))


def median(values: Iterable[Any]) -> Decimal:
    found = sorted(Fraction(Decimal(str(v))) for v in values)
    middle = len(found) // 2
    if len(found) % 2:
        return rounded(found[middle])
    return rounded((found[middle - 1] + found[middle]) / 2)


def cards_in(results: Any, round_: Any, region_key: str | None) -> list[ScoreCard]:
    """The round's scorecards in a region of the fixture (the whole province for None)."""
    cards = ScoreCard.objects.filter(round=round_).select_related("assessment__community__region")
    if region_key is None:
        return list(cards)
    path = results.regions[region_key].path
    return [c for c in cards if c.assessment.community.region.path.startswith(path)]


def indicator_means(cards: list[ScoreCard]) -> dict[str, tuple[Decimal, Decimal]]:
    """Indicator code -> (mean score rounded like the stored statistics, weight)."""
    rows: dict[str, list[Decimal]] = {}
    weights: dict[str, Decimal] = {}
    for row in IndicatorScore.objects.filter(scorecard__in=cards).select_related("indicator"):
        rows.setdefault(row.indicator.code, []).append(row.score)
        weights[row.indicator.code] = row.weight
    return {code: (mean(scores), weights[code]) for code, scores in rows.items()}


def query_count(client: Any, url: str) -> int:
    """Queries of one request, after a first request has warmed the caches."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def grow(results: Any, per_street: int = 2) -> None:
    """More communities in every street of the fixture, assessed and scored in both
    rounds (some submitted), with ranks and area statistics stored again."""
    from assessments import services
    from demo.answers import make_answers
    from indicators.specs import framework_spec
    from scoring.services import ranks_refresh, scorecards_compute

    spec = framework_spec(results.current.framework)
    assessor = results.users["assessor"]
    made = []
    for street in ("jiefang", "qianfo", "shizhong", "shinan"):
        for n in range(per_street):
            community = services.community_create(
                data=services.CommunityData(
                    code=f"G-{street}-{n}",
                    name=f"增{street}{n}社区",
                    region=results.regions[street],
                    households=700 + 900 * n,
                    residents=3000 + 2700 * n,
                    area_type="urban" if n % 2 else "rural",
                )
            )
            for round_ in (results.previous, results.current):
                assessment = services.assessment_create(
                    round=round_, community=community, assessors=(assessor,)
                )
                values = make_answers(spec, 0.3 + 0.1 * n, random.Random(f"{street}{n}"))
                services.answers_save(actor=assessor, assessment=assessment, values=values)
                if n % 2:
                    services.assessment_submit(actor=assessor, assessment=assessment)
                made.append(assessment.pk)
    scorecards_compute(assessment_ids=made)
    ranks_refresh()
