"""What the path-to-the-next-grade page shows: the plan of reports.next_grade for the
community's current answers, with each step in words (the standard's requirement of its
indicator, the item's target and the smallest change that meets it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _

from assessments.choices import ItemReviewStatus
from assessments.gap_messages import describe_gap
from assessments.models import Community, ItemReview, Round
from assessments.preview import target_text
from assessments.services import current_engine_answers
from indicators.models import Indicator, Item
from indicators.specs import FrameworkCatalog, framework_catalog, grade_band_specs
from reports.next_grade import Plan, Step, plan_next_grade, usable_answers
from reports.scope import Scope
from reports.selectors.community import (
    CommunityInScope,
    community_in_scope,
    grade_of,
    round_bands,
)
from reports.selectors.scorecard import achievement_words
from scoring.engine import GapKind, round_score


@dataclass(frozen=True)
class StepLine:
    number: int
    step: Step
    item: Item
    indicator: Indicator
    target: str
    achievement: str
    change: str
    gain: Decimal
    running_total: Decimal | None
    reaches: list[str]  # names of the grades first reached with this step


@dataclass(frozen=True)
class Headline:
    grade: str
    minimum: Decimal
    steps: int | None


@dataclass
class NextGradePage:
    found: CommunityInScope
    round: Round
    catalog: FrameworkCatalog
    plan: Plan | None = None
    grade: str = ""
    tone: int = 0
    total: Decimal = Decimal("0.00")
    changed_since_scored: bool = False
    lines: list[StepLine] = field(default_factory=list)
    blocked: list[StepLine] = field(default_factory=list)
    headlines: list[Headline] = field(default_factory=list)

    @property
    def community(self) -> Community:
        return self.found.community

    @property
    def at_top(self) -> bool:
        return self.plan is not None and not self.plan.milestones


def next_grade_page(*, scope: Scope, pk: int) -> NextGradePage:
    """The plan for the community's assessment of the scope's round (no plan while it has
    no scorecard there: the page says so)."""
    found = community_in_scope(scope=scope, pk=pk)
    round_ = found.assessment.round if found.assessment else scope.round
    if round_ is None:  # cannot be: a visible assessment makes its round visible
        raise Http404
    return next_grade_page_of(found, round_)


def next_grade_page_of(found: CommunityInScope, round_: Round) -> NextGradePage:
    """The plan of a community already checked to be visible (the printed scorecard
    reads it too)."""
    page = NextGradePage(found=found, round=round_, catalog=framework_catalog(round_.framework))
    assessment, card = found.assessment, found.card
    if assessment is None or card is None:
        return page
    spec = page.catalog.spec
    rejected = {
        page.catalog.item_codes[item_id]
        for item_id in ItemReview.objects.filter(
            assessment=assessment, status=ItemReviewStatus.REJECTED
        ).values_list("item_id", flat=True)
    }
    bands = round_bands(round_)
    answers = usable_answers(spec, current_engine_answers(assessment))
    plan = plan_next_grade(spec, answers, rejected=rejected, bands=grade_band_specs(bands))
    page.plan = plan
    page.grade, page.tone = grade_of(bands, plan.grade)
    page.total = round_score(plan.total)
    page.changed_since_scored = card.assessment_version < assessment.version
    names = {band["code"]: grade_of(bands, band["code"])[0] for band in bands}
    page.headlines = [
        Headline(names[m.band.code], round_score(m.band.minimum), m.steps) for m in plan.milestones
    ]
    indicators = {ind.code: ind for p in page.catalog.primaries for ind in p.indicators.all()}
    for number, step in enumerate(plan.steps, start=1):
        item = page.catalog.items[step.code]
        target = target_text(item, spec.items[step.code])
        line = StepLine(
            number=number,
            step=step,
            item=item,
            indicator=indicators[step.indicator],
            target=target,
            achievement=achievement_words(item, spec.items[step.code], step.result),
            change=_change(item, step, target),
            gain=round_score(step.gain),
            running_total=(
                round_score(step.running_total) if step.running_total is not None else None
            ),
            reaches=[names[m.band.code] for m in plan.milestones if m.steps == number],
        )
        (page.lines if step.reachable else page.blocked).append(line)
    return page


def _change(item: Item, step: Step, target: str) -> str:
    """The smallest change that meets the item, in words."""
    gap = step.gap
    if gap is not None and gap.kind == GapKind.UNANSWERED:
        return _("Answer this item (required: %(target)s).") % {"target": target}
    said = describe_gap(item, gap) if gap is not None else ""
    if step.rejected:
        rejected = _("The evidence was rejected: correct it for the reviewer.")
        return f"{rejected} {said}" if said else rejected
    return said
