"""Helpers of the community, next-grade and compare page tests: more communities and
rounds than the ``results`` fixture has, and the change of an answer that a gap describes."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from django.conf import settings

from assessments import services
from demo.answers import make_answers
from scoring.engine import Gap, GapKind
from scoring.services import ranks_refresh, scorecards_compute

_codes = itertools.count(1)


def in_english(client: Any) -> None:
    """The client's next pages in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def apply_gap(answer: Any, gap: Gap) -> Any:
    """The answer after the change ``gap`` describes."""
    if gap.kind == GapKind.RAISE_NUMERATOR:
        return {**answer, "numerator": gap.required}
    if gap.kind == GapKind.LOWER_ACTUAL:
        return {**answer, "actual": gap.required}
    if gap.kind == GapKind.LOWER_VALUE:
        return {"value": gap.required}
    if gap.kind == GapKind.RAISE_COUNT:
        return {"count": gap.required}
    if gap.kind == GapKind.CHECK_MORE:
        return {**answer, "checked": [*answer["checked"], *gap.options[: int(gap.amount or 0)]]}
    if gap.kind == GapKind.SET_TRUE:
        return {"value": True}
    if gap.kind == GapKind.RAISE_LEVEL:
        return {"level": gap.required}
    raise AssertionError(f"no change to apply for {gap.kind}")


def new_community(results: Any, name: str, region: str = "jiefang") -> Any:
    return services.community_create(
        data=services.CommunityData(
            code=f"N{next(_codes):05d}", name=name, region=results.regions[region], households=500,
            residents=1500, area_type="urban",
        )
    )  # fmt: skip


def scored_assessment(results: Any, spec: Any, round_: Any, community: Any, quality: float) -> Any:
    """A scored assessment of ``community`` in ``round_`` (ranks refreshed)."""
    assessment = services.assessment_create(
        round=round_, community=community, assessors=(results.users["assessor"],)
    )
    services.answers_save(
        actor=results.users["assessor"],
        assessment=assessment,
        values=make_answers(spec, quality, random.Random(community.name)),
    )
    scorecards_compute(assessment_ids=[assessment.pk])
    ranks_refresh()
    return assessment


def third_round(results: Any, spec: Any) -> Any:
    """A 2024 round in which every community of the fixture has a scored assessment."""
    round_ = services.round_create(
        name="2024年度评估", framework=results.current.framework,
        period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31),
        submission_deadline=dt.date(2024, 12, 15), review_deadline=dt.date(2024, 12, 31),
        evidence_required=False,
    )  # fmt: skip
    ids = []
    for name, community in results.communities.items():
        assessment = services.assessment_create(
            round=round_, community=community, assessors=(results.users["assessor"],)
        )
        services.answers_save(
            actor=results.users["assessor"],
            assessment=assessment,
            values=make_answers(spec, 0.5, random.Random(name)),
        )
        ids.append(assessment.pk)
    scorecards_compute(assessment_ids=ids)
    ranks_refresh()
    return round_
