"""Everything the assessment page shows, gathered in a fixed number of queries: the
framework (cached), the stored answers, notes, evidence, reviews and the latest history,
then arranged per primary, indicator and item for the templates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from assessments import selectors
from assessments.answer_paths import answer_fields
from assessments.answers import is_not_applicable
from assessments.choices import ItemReviewStatus
from assessments.display import answer_text
from assessments.errors import StaleVersionError
from assessments.history import HistoryEntry, history_entries
from assessments.item_controls import ItemForm, item_form
from assessments.models import Assessment, Evidence, ItemReview
from assessments.preview import ItemPreview, Preview, compute
from assessments.selectors import Access
from assessments.services import available_actions, current_engine_answers, return_reasons
from common.errors import DomainError
from indicators.models import Indicator, Item, PrimaryIndicator
from indicators.specs import FrameworkCatalog, framework_catalog

RECENT_HISTORY = 8


@dataclass
class ItemView:
    form: ItemForm
    preview: ItemPreview
    evidence: list[Evidence]
    review: ItemReview | None
    answer: Any  # as stored (the engine's form), None when unanswered

    @property
    def item(self) -> Item:
        return self.form.item

    @property
    def answer_text(self) -> str:
        if self.answer is None:
            return ""
        return answer_text(self.item, self.answer, is_not_applicable(self.answer))


@dataclass
class IndicatorView:
    indicator: Indicator
    items: list[ItemView]
    note: str
    note_errors: list[str]
    editable: bool
    reason: str
    score: str
    met: bool
    problem: DomainError | None = None
    conflicts: list[HistoryEntry] = field(default_factory=list)


@dataclass
class PrimaryView:
    primary: PrimaryIndicator
    score: str
    indicators: list[IndicatorView] = field(default_factory=list)


@dataclass
class PageData:
    request: HttpRequest
    assessment: Assessment
    access: Access
    catalog: FrameworkCatalog
    stored: dict[str, Any]
    notes: dict[str, str]
    evidence: dict[int, list[Evidence]]
    reviews: dict[int, ItemReview]
    reasons: dict[str, str]
    preview: Preview
    primaries: list[PrimaryView]
    recent: list[Any]
    actions: list[str]

    @property
    def rejected(self) -> frozenset[str]:
        return frozenset(
            self.catalog.item_codes[item_id]
            for item_id, review in self.reviews.items()
            if review.status == ItemReviewStatus.REJECTED
        )

    @property
    def grade_bands(self) -> list[dict[str, Any]]:
        return self.assessment.round.grade_bands or self.catalog.framework.grade_bands

    def indicator_items(self, code: str) -> list[Item]:
        return [item for item in self.catalog.items.values() if item.indicator_id ==
                self.catalog.indicator_ids[code]]  # fmt: skip

    def indicator(self, code: str) -> IndicatorView | None:
        for primary in self.primaries:
            for view in primary.indicators:
                if view.indicator.code == code:
                    return view
        return None

    def failure(self, code: str, problem: DomainError | None) -> None:
        """Show a refusal (a stale page, a closed assessment) at its indicator."""
        view = self.indicator(code)
        if view is not None:
            view.problem = problem
            view.conflicts = (
                history_entries(self.assessment, problem.changes)
                if isinstance(problem, StaleVersionError)
                else []
            )

    @property
    def evidenced(self) -> int:
        return len(self.evidence)

    @property
    def days_left(self) -> int:
        deadline: date = self.assessment.round.submission_deadline
        return (deadline - timezone.localdate()).days

    def context(self) -> dict[str, Any]:
        return {"data": self, "assessment": self.assessment, "access": self.access}


def page_data(
    request: HttpRequest,
    assessment: Assessment,
    access: Access,
    *,
    typed: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    errors: Mapping[str, Sequence[str]] | None = None,
) -> PageData:
    """The page of ``assessment`` for the requesting user; ``typed`` shows what was typed
    into an indicator's form (by indicator code) instead of what is stored, beside
    ``errors`` by answer path."""
    typed, errors = typed or {}, errors or {}
    catalog = framework_catalog(assessment.round.framework)
    stored = current_engine_answers(assessment)
    notes = dict(assessment.notes.values_list("indicator__code", "text"))
    evidence: dict[int, list[Evidence]] = {}
    for item in assessment.evidence.select_related("uploaded_by").order_by("uploaded_at", "pk"):
        evidence.setdefault(item.item_id, []).append(item)
    reviews = {r.item_id: r for r in assessment.item_reviews.select_related("reviewer")}
    reasons = return_reasons(assessment)
    rejected = frozenset(
        catalog.item_codes[item_id]
        for item_id, review in reviews.items()
        if review.status == ItemReviewStatus.REJECTED
    )
    preview = compute(
        catalog=catalog,
        items=catalog.items,
        stored=stored,
        changes={},
        rejected=rejected,
        grade_bands=assessment.round.grade_bands,
    )
    primaries = []
    for primary in catalog.primaries:
        view = PrimaryView(primary=primary, score=preview.primaries.get(primary.code, "0.00"))
        for indicator in primary.indicators.all():
            code = indicator.code
            shown: Mapping[str, Sequence[str]]
            if code in typed:
                shown = typed[code]
            else:
                shown = {
                    path: values
                    for item in indicator.items.all()
                    for path, values in answer_fields(
                        catalog.spec.items[item.code], stored.get(item.code)
                    ).items()
                }
            score, met = preview.indicators.get(code, ("0.00", False))
            view.indicators.append(
                IndicatorView(
                    indicator=indicator,
                    items=[
                        ItemView(
                            form=item_form(item, catalog.spec.items[item.code], shown, errors),
                            preview=preview.items[item.code],
                            evidence=evidence.get(item.pk, []),
                            review=reviews.get(item.pk),
                            answer=stored.get(item.code),
                        )
                        for item in indicator.items.all()
                    ],
                    note=(typed[code].get(f"{code}.note") or [""])[0]
                    if code in typed
                    else notes.get(code, ""),
                    note_errors=list(errors.get(f"{code}.note", [])),
                    editable=access.may_edit_indicator(code),
                    reason=reasons.get(code, ""),
                    score=score,
                    met=met,
                )
            )
        primaries.append(view)
    return PageData(
        request=request,
        assessment=assessment,
        access=access,
        catalog=catalog,
        stored=stored,
        notes=notes,
        evidence=evidence,
        reviews=reviews,
        reasons=reasons,
        preview=preview,
        primaries=primaries,
        recent=history_entries(
            assessment, list(selectors.assessment_history(assessment=assessment)[:RECENT_HISTORY])
        ),
        actions=available_actions(request.user, assessment),
    )
