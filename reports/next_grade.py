"""The path to the next grade: which unmet items to meet first, and when the next grade's
threshold is reached.

Meeting an item raises its score ``s`` to 1, which adds its share of the indicator weight
times ``1 - s`` to the total (scoring.md section 2: an indicator's score is linear in the
scores of its items, so these gains add up exactly). Items are ranked by that gain; the
running total after each one says where each higher grade's threshold is crossed.

``plan_next_grade`` is pure: the engine's specs and answers in, exact figures out. The
words of each step (what to change, in the item's own labels) are the page's job.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from scoring.engine import (
    FrameworkSpec,
    Gap,
    GapKind,
    GradeBand,
    ItemResult,
    item_gap,
    score,
    validate_answers,
)
from scoring.engine.numbers import SCORE_PLACES, half_up_scaled
from scoring.engine.results import REJECTED


@dataclass(frozen=True)
class Step:
    """One unmet item: what meeting it adds (``gain``) and the smallest change of its
    answer that meets it (``gap``; None for a rejected item whose answer already meets
    it: only its evidence needs correcting). ``running_total`` is the exact total once
    this step and every reachable step before it are met (None when unreachable)."""

    code: str
    indicator: str
    result: ItemResult
    gain: Fraction
    gap: Gap | None
    running_total: Fraction | None

    @property
    def reachable(self) -> bool:
        return self.gap is None or self.gap.kind != GapKind.UNREACHABLE

    @property
    def unanswered(self) -> bool:
        return self.gap is not None and self.gap.kind == GapKind.UNANSWERED

    @property
    def rejected(self) -> bool:
        return self.result.status == REJECTED


@dataclass(frozen=True)
class Milestone:
    """A grade above the current one and how many steps reach it (None: not even all
    reachable steps together)."""

    band: GradeBand
    steps: int | None


@dataclass(frozen=True)
class Plan:
    total: Fraction
    grade: str
    steps: tuple[Step, ...]  # reachable ones by gain, then unreachable ones
    milestones: tuple[Milestone, ...]  # the higher grades, lowest first

    @property
    def next_milestone(self) -> Milestone | None:
        """The next grade up; None at the top grade."""
        return self.milestones[0] if self.milestones else None

    @property
    def reachable(self) -> list[Step]:
        return [step for step in self.steps if step.reachable]

    @property
    def unreachable(self) -> list[Step]:
        return [step for step in self.steps if not step.reachable]


def usable_answers(spec: FrameworkSpec, answers: Mapping[str, object]) -> dict[str, object]:
    """``answers`` without those the engine refuses (they count as unanswered), so a plan
    can always be made; stored answers are valid unless the framework changed since."""
    usable = dict(answers)
    for error in validate_answers(spec, usable):
        usable.pop(error.item, None)
        indicator = spec.indicators.get(error.item)
        for item in indicator.items if indicator is not None else ():
            usable.pop(item.code, None)
    return usable


def _reaches(total: Fraction, band: GradeBand) -> bool:
    """Whether a total gets ``band`` (grades go by the total rounded to 2 decimals)."""
    scale = 10**SCORE_PLACES
    return half_up_scaled(total, SCORE_PLACES) * band.minimum.denominator >= (
        band.minimum.numerator * scale
    )


def plan_next_grade(
    spec: FrameworkSpec,
    answers: Mapping[str, object],
    *,
    rejected: Collection[str] = (),
    bands: Sequence[GradeBand] | None = None,
) -> Plan:
    """Every unmet applicable item of ``answers`` (valid ones: see ``usable_answers``),
    ordered by the points meeting it adds (largest first, then framework order), those
    no answer can meet last; with the steps at which each higher grade is reached."""
    grade_bands = tuple(bands) if bands is not None else spec.grade_bands
    result = score(spec, answers, rejected=rejected, grade_bands=grade_bands)
    found: list[tuple[Fraction, int, Step]] = []
    order = 0
    for indicator in result.indicators:
        applicable = sum((i.weight for i in indicator.items if i.s is not None), Fraction(0))
        for item in indicator.items:
            order += 1
            if item.s is None or item.met:
                continue
            gain = indicator.weight * item.weight * (1 - item.s) / applicable
            gap = item_gap(spec.items[item.code], answers.get(item.code))
            if gap is None and item.status != REJECTED:
                continue  # nothing an answer could change (cannot happen with valid answers)
            step = Step(item.code, indicator.code, item, gain, gap, None)
            found.append((gain if step.reachable else Fraction(-1), order, step))
    found.sort(key=lambda entry: (-entry[0], entry[1]))

    steps: list[Step] = []
    running = result.total
    for _key, _order, step in found:
        if step.reachable:
            running += step.gain
            step = Step(step.code, step.indicator, step.result, step.gain, step.gap, running)
        steps.append(step)

    current = next(band for band in grade_bands if band.code == result.grade)
    higher = sorted(
        (band for band in grade_bands if band.minimum > current.minimum),
        key=lambda band: band.minimum,
    )
    milestones = tuple(
        Milestone(
            band,
            next(
                (
                    n
                    for n, step in enumerate(steps, start=1)
                    if step.running_total is not None and _reaches(step.running_total, band)
                ),
                None,
            ),
        )
        for band in higher
    )
    return Plan(result.total, result.grade, tuple(steps), milestones)
