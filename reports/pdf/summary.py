"""The round summary: one area's results in a round (the province, a city or a district),
printed for officials.

It reads what the dashboard shows, through the same selectors (overview, drill-down by
region, ranking), in the scope of the area rather than of a reader: the view that asks for
it has checked that the reader may see the area, and the render task rebuilds it from ids.
Every figure is as stored with the ranks, so the document states when they were computed
and changes (and is rendered again) only when they do.

The ranking lists every community of an area of up to ``SUMMARY_RANKING_FULL_MAX`` scored
communities (300 by default); a larger area lists the best ``SUMMARY_RANKING_TOP`` and the
last ``SUMMARY_RANKING_BOTTOM``, says so, and points to the dashboard's Excel export of the
full ranking. WeasyPrint lays out long tables slowly, and a bounded table keeps a summary
within a few seconds and about ten pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.choices import AssessmentStatus, RegionLevel
from assessments.models import Region, Round
from reports.charts import GRADE_COLOURS
from reports.models import RenderedPdf
from reports.pdf.documents import LANGUAGES, PdfDocument, builder, site_url
from reports.pdf.svg import Bar, grouped_bars, horizontal_bars, stacked_bar, step_colour
from reports.scope import Scope, area_scope
from reports.selectors.areas import primary_means
from reports.selectors.attainment import Group, indicator_groups
from reports.selectors.overview import Overview, overview
from reports.selectors.ranking import (
    RANK_LABELS,
    RankingRow,
    ranking_cards,
    ranking_columns,
    ranking_filters,
    ranking_rows,
)
from reports.selectors.regions import region_page
from scoring.models import AreaStats

KIND = RenderedPdf.Kind.SUMMARY
RANKING_FULL_MAX = 300
RANKING_TOP = 100
RANKING_BOTTOM = 20
SHORT_RANKING = 15  # rows that may follow the other sections on their last page
DATE_FORMAT = "%Y-%m-%d %H:%M"
CHART_WIDTH = 660  # px at 96 per inch: the width of the page between its margins


def summary_key(round_id: int, region_id: int | None, language: str) -> str:
    return f"{KIND}:{round_id}:{region_id or 'province'}:{language}"


@builder(KIND)
def summary_document(*, round_id: int, region_id: int | None, language: str) -> PdfDocument:
    """The summary of round ``round_id`` for a city or district (``region_id``) or the whole
    province (None), in ``language`` ("zh" or "en")."""
    round_ = Round.objects.select_related("framework").get(pk=round_id)
    region = None
    if region_id is not None:
        region = Region.objects.select_related("city").get(pk=region_id)
        if region.level not in (RegionLevel.CITY, RegionLevel.DISTRICT):
            raise Http404("a summary is of the province, a city or a district")
    with translation.override(LANGUAGES[language]):
        scope = area_scope(round_, region)
        html = render_to_string("reports/pdf/summary.html", summary_context(scope, language))
        download = _("Summary report-%(round)s-%(area)s.pdf") % {
            "round": round_.name,
            "area": scope.label,
        }
    return PdfDocument(
        kind=KIND,
        key=summary_key(round_id, region.pk if region else None, language),
        language=language,
        html=html,
        download_name=download,
        params={
            "round_id": round_id,
            "region_id": region.pk if region else None,
            "language": language,
        },
    )


# -- what the document shows ------------------------------------------------------------


@dataclass(frozen=True)
class AreaLine:
    """An area in the table of primary indicators: its scored communities, mean total and
    mean score of each primary as a share of the primary's weight."""

    label: str
    stats: AreaStats | None
    shares: list[Decimal | None]
    own: bool = False  # the summary's own area (a reference line, not a child)

    @property
    def cells(self) -> list[tuple[Decimal | None, str]]:
        """Each share with the light tint of its attainment step."""
        return [(share, _tint(share)) for share in self.shares]


@dataclass(frozen=True)
class Ranking:
    """The ranking as listed: all of it, or its top and bottom with the places between
    left out."""

    top: list[RankingRow]  # best first
    bottom: list[RankingRow]  # the last places; empty unless truncated
    scored: int  # communities ranked in the area
    rank_label: str
    full_url: str  # the dashboard's Excel export of the whole ranking
    show_city: bool  # the province's ranking names each community's city
    show_district: bool  # a district's ranking names no district: all are its own
    primaries: int

    @property
    def truncated(self) -> bool:
        return bool(self.bottom)

    @property
    def own_page(self) -> bool:
        """A ranking longer than what fits under the other sections starts a page."""
        return self.scored > SHORT_RANKING

    @property
    def parts(self) -> list[list[RankingRow]]:
        return [self.top, self.bottom] if self.bottom else [self.top]

    @property
    def omitted_first(self) -> int:
        return len(self.top) + 1

    @property
    def omitted_last(self) -> int:
        return self.scored - len(self.bottom)

    @property
    def column_count(self) -> int:
        """Rank, community, total, grade, the primaries, and the city and district."""
        return 4 + self.primaries + int(self.show_city) + int(self.show_district)


def summary_context(scope: Scope, language: str) -> dict[str, Any]:
    if scope.round is None:
        raise ValueError("a summary needs a round")
    round_ = scope.round
    data = overview(scope)
    groups = indicator_groups(scope)
    stats = data.stats
    computed = stats.computed_at if stats is not None else None
    if computed is None and scope.standings is not None:
        computed = scope.standings.ranked_at
    lines = _area_lines(scope, groups)
    return {
        "doc_language": language,
        "doc_title": f"{_('Round summary')} · {round_.name} · {scope.label}",
        "scope": scope,
        "round": round_,
        "framework": round_.framework,
        "area": scope.label,
        "area_path": _area_path(scope),
        "figures_at": timezone.localtime(computed).strftime(DATE_FORMAT) if computed else "",
        "data": data,
        "approved": _status_count(data, AssessmentStatus.APPROVED),
        "grade_chart": _grade_chart(data),
        "grade_rows": [
            (grade, GRADE_COLOURS[min(grade.tone, len(GRADE_COLOURS)) - 1]) for grade in data.grades
        ],
        "groups": groups,
        "areas": lines,
        "area_level": _child_level(scope),
        "primaries_chart": _primaries_chart(scope, groups, lines),
        "weakest_chart": _weakest_chart(data),
        "ranking": _ranking(scope) if stats is not None else None,
    }


def _status_count(data: Overview, status: str) -> int:
    return next((s.count for s in data.statuses if s.value == status), 0)


def _area_path(scope: Scope) -> str:
    """The area with the areas above it: "济南市 · 历下区"."""
    region = scope.region
    if region is None:
        return scope.label
    if region.level == RegionLevel.DISTRICT and region.city is not None:
        return f"{region.city.name} · {region.name}"
    return region.name


def _child_level(scope: Scope) -> str:
    """What the rows of the primaries table are: "city", "district", or "compare" (a
    district beside its city and the province)."""
    if scope.region is None:
        return RegionLevel.CITY
    if scope.region.level == RegionLevel.CITY:
        return RegionLevel.DISTRICT
    return "compare"


def _area_lines(scope: Scope, groups: list[Group]) -> list[AreaLine]:
    """The child areas (cities of the province, districts of a city) and, last, the area
    itself; for a district, the district, its city and the province."""
    own = scope.own_stats()
    if scope.region is not None and scope.region.level == RegionLevel.DISTRICT:
        above: list[tuple[str, AreaStats | None]] = []
        if scope.region.city is not None:
            above.append((scope.region.city.name, scope.stats_of(scope.region.city)))
        above.append((_("Whole province"), scope.stats_of(None)))
        lines = [_line(scope.region.name, own, groups, own=True)]
        return lines + [_line(label, stats, groups) for label, stats in above]
    page = region_page(scope, scope.region, None)
    lines = [
        AreaLine(label=child.region.name, stats=child.stats, shares=child.primaries)
        for child in page.children
    ]
    return [*lines, _line(scope.label, own, groups, own=True)]


def _line(label: str, stats: AreaStats | None, groups: list[Group], own: bool = False) -> AreaLine:
    shares = [p.share for p in primary_means(groups, stats)] if stats is not None else []
    return AreaLine(label=label, stats=stats, shares=shares, own=own)


def _tint(share: Decimal | None) -> str:
    """A light background in the colour of the share's attainment step."""
    if share is None:
        return ""
    colour = step_colour(share).lstrip("#")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    light = [round(255 - (255 - c) * 0.22) for c in (red, green, blue)]
    return "#" + "".join(f"{c:02x}" for c in light)


def _grade_chart(data: Overview) -> str:
    if data.stats is None:
        return ""
    return stacked_bar(
        [(grade.name, grade.count) for grade in data.grades],
        label=_("Grade distribution"),
        width=CHART_WIDTH,
    )


def _primaries_chart(scope: Scope, groups: list[Group], lines: list[AreaLine]) -> str:
    """For a district, its primaries beside its city's and the province's; otherwise the
    mean total of each child area, highest first."""
    if scope.level == RegionLevel.DISTRICT:
        series = [(line.label, line.shares) for line in lines if line.stats is not None]
        if not series:
            return ""
        return grouped_bars(
            [group.name for group in groups],
            series,
            label=_("Share of weight attained"),
            width=CHART_WIDTH,
        )
    scored = [(line.label, line.stats) for line in lines if not line.own and line.stats]
    if not scored:
        return ""
    bars = [
        Bar(label=label, value=stats.mean_total, text=f"{stats.mean_total}")
        for label, stats in sorted(scored, key=lambda pair: -pair[1].mean_total)
    ]
    return horizontal_bars(
        bars, label=_("Mean total by area"), width=CHART_WIDTH, row=11, label_width=110
    )


def _weakest_chart(data: Overview) -> str:
    bars = [
        Bar(label=f"{ind.code} {ind.name}", value=ind.share, text=f"{ind.share}%")
        for ind in data.weakest
        if ind.share is not None
    ]
    if not bars:
        return ""
    return horizontal_bars(
        bars, label=_("Share of weight attained"), width=CHART_WIDTH, label_width=170
    )


def _area_params(scope: Scope) -> dict[str, Any]:
    """The ranking's filters that select the area (and so its rank: in city or district)."""
    region = scope.region
    if region is None:
        return {}
    if region.level == RegionLevel.CITY:
        return {"city": str(region.pk)}
    return {"city": str(region.city_id), "district": str(region.pk)}


def _ranking(scope: Scope) -> Ranking:
    params = _area_params(scope)
    filters, _regions = ranking_filters(scope, params)
    columns = ranking_columns(scope, filters)
    ordered = ranking_cards(scope, filters).values_list("pk", flat=True)
    scored = ordered.count()
    full_max = getattr(settings, "SUMMARY_RANKING_FULL_MAX", RANKING_FULL_MAX)
    top_n = getattr(settings, "SUMMARY_RANKING_TOP", RANKING_TOP)
    bottom_n = getattr(settings, "SUMMARY_RANKING_BOTTOM", RANKING_BOTTOM)
    if scored > full_max:
        top_ids = list(ordered[:top_n])
        bottom_ids = list(ordered[max(top_n, scored - bottom_n) : scored])
    else:
        top_ids, bottom_ids = list(ordered), []
    rows = ranking_rows(scope, columns, top_ids + bottom_ids)
    export = f"{reverse('dashboard:ranking-export')}?{scope.query(**params, format='xlsx')}"
    return Ranking(
        top=rows[: len(top_ids)],
        bottom=rows[len(top_ids) :],
        scored=scored,
        rank_label=str(RANK_LABELS[filters.rank_kind]),
        full_url=site_url(export),
        show_city=scope.region is None,
        show_district=scope.level != RegionLevel.DISTRICT,
        primaries=len(columns.primaries),
    )
