"""The printed scorecard of one community in one round.

It reads what the dashboard's community page and its path to the next grade read
(``community_page_of``, ``next_grade_page_of``), plus the evidence with its review, the
review decisions and, for an approved assessment, the verification code. The caller has
checked that the reader may see the assessment; the builder itself serves the command
line and the render task as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.choices import AssessmentStatus
from assessments.models import Assessment, Evidence, ItemReview, ReviewDecision
from reports.charts.community import primary_shares
from reports.models import RenderedPdf
from reports.pdf.documents import LANGUAGES, DocumentUnavailable, PdfDocument, builder, site_url
from reports.pdf.svg import Bar, horizontal_bars, radar
from reports.selectors.community import CommunityInScope
from reports.selectors.next_grade import NextGradePage, next_grade_page_of
from reports.selectors.scorecard import CommunityPage, IndicatorLine, community_page_of
from reports.verification import display_code, issue_code

STRENGTHS = 3
WEAKEST = 3
PLAN_STEPS = 5


@dataclass(frozen=True)
class EvidenceLine:
    evidence: Evidence
    name: str
    kind: str
    review: ItemReview | None


def scorecard_key(assessment_id: int, language: str) -> str:
    return f"scorecard:{assessment_id}:{language}"


@builder(RenderedPdf.Kind.SCORECARD)
def scorecard_document(*, assessment_id: int, language: str) -> PdfDocument:
    """The scorecard of assessment ``assessment_id`` in ``language`` ("zh" or "en")."""
    assessment = (
        Assessment.objects.select_related(
            "round__framework",
            "community__region",
            "community__city",
            "community__district",
            "scorecard__rank_range",
        )
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise DocumentUnavailable(_("There is no assessment %(id)s.") % {"id": assessment_id})
    card = getattr(assessment, "scorecard", None)
    if card is None:
        raise DocumentUnavailable(
            _("Assessment %(id)s has no scorecard yet: it is scored once answers are saved.")
            % {"id": assessment_id}
        )
    with translation.override(LANGUAGES[language]):
        found = CommunityInScope(assessment.community, [assessment], assessment)
        page = community_page_of(found, assessment.round)
        plan = next_grade_page_of(found, assessment.round)
        issued = issue_code(assessment, card)
        context = _context(page, plan, assessment, language)
        if issued is not None:
            url = site_url(reverse("verify", args=[issued.code]))
            context["verification"] = {
                "code": display_code(issued.code),
                "url": url,
                "qr": segno.make(url, error="m").svg_inline(scale=2.4, border=0),
            }
        html = render_to_string("reports/pdf/scorecard.html", context)
        download = _("Scorecard-%(community)s-%(round)s.pdf") % {
            "community": assessment.community.name,
            "round": assessment.round.name,
        }
    return PdfDocument(
        kind=RenderedPdf.Kind.SCORECARD,
        key=scorecard_key(assessment.pk, language),
        language=language,
        html=html,
        download_name=download,
        params={"assessment_id": assessment.pk, "language": language},
        assessment_id=assessment.pk,
    )


def _context(
    page: CommunityPage, plan: NextGradePage, assessment: Assessment, language: str
) -> dict[str, Any]:
    indicators = [ind for primary in page.primaries for ind in primary.indicators]
    ranked = sorted(indicators, key=lambda ind: (ind.percent, ind.weight))
    card = page.card
    approved = assessment.status == AssessmentStatus.APPROVED
    issued_on = assessment.approved_at if approved and assessment.approved_at else None
    return {
        "doc_language": language,
        "colon": ": " if language == "en" else "：",
        "doc_title": f"{page.community.name} · {page.round.name}",
        "page": page,
        "card": card,
        "assessment": assessment,
        "approved": approved,
        "framework": page.round.framework,
        "date": (issued_on or card.computed_at) if card else None,
        "indicators": indicators,
        "strengths": [ind for ind in reversed(ranked) if ind.percent > 0][:STRENGTHS],
        "weakest": [ind for ind in ranked if ind.percent < 100][:WEAKEST],
        "plan": plan,
        "plan_steps": plan.lines[:PLAN_STEPS],
        "radar": _radar(page),
        "bars": _bars(indicators),
        "evidence": _evidence(assessment),
        "decisions": list(
            ReviewDecision.objects.filter(assessment=assessment)
            .select_related("actor")
            .order_by("created_at", "pk")
        ),
        "region_path": " · ".join(
            r.name
            for r in (page.community.city, page.community.district, page.community.region)
            if r is not None
        ),
    }


def _radar(page: CommunityPage) -> str:
    """The radar of the dashboard's community page, drawn for print."""
    if not page.comparison:
        return ""
    primaries = page.catalog.primaries
    series = [(name, primary_shares(primaries, scores)) for name, scores in page.comparison]
    label = _("Primary indicators, share of weight attained")
    return radar([p.name for p in primaries], series, label=label, size=196)


def _bars(indicators: list[IndicatorLine]) -> str:
    bars = [
        Bar(
            label=f"{ind.indicator.code} {ind.indicator.name}",
            value=ind.percent,
            text=f"{ind.score} / {ind.weight.normalize():f}",
        )
        for ind in indicators
    ]
    return horizontal_bars(
        bars, label=_("Indicators, share of weight attained"), width=660, label_width=170, row=11.5
    )


def _evidence(assessment: Assessment) -> list[EvidenceLine]:
    reviews = {r.item_id: r for r in ItemReview.objects.filter(assessment=assessment)}
    rows = (
        Evidence.objects.filter(assessment=assessment)
        .select_related("item")
        .order_by("item__indicator__primary__order", "item__indicator__order", "item__order", "pk")
    )
    return [
        EvidenceLine(
            evidence=row,
            name=row.original_name or row.url,
            kind=_kind(row),
            review=reviews.get(row.item_id),
        )
        for row in rows
    ]


def _kind(evidence: Evidence) -> str:
    if evidence.url and not evidence.file:
        return _("Link")
    name = evidence.original_name.rsplit(".", 1)
    return name[1].upper() if len(name) == 2 else (evidence.content_type or "–")
