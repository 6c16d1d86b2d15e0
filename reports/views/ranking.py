"""Dashboard: the ranking table of a round, filtered, sorted, paged."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.choices import AreaType, AssessmentStatus
from reports.scope import Scope, dashboard_scope
from reports.selectors.ranking import (
    DEFAULT_SORT,
    RANK_LABELS,
    RankingColumns,
    RankingFilters,
    ranking_columns,
    ranking_filters,
    ranking_page,
)
from scoring.peers import peer_group_choices

PAGE_SIZE = 50


@dataclass(frozen=True)
class SortHeader:
    """A sortable column's link, and its ``aria-sort`` when the table is sorted by it."""

    query: str
    aria: str


def _sort_header(scope: Scope, filters: RankingFilters, key: str, natural: str) -> SortHeader:
    """``natural`` is how the column reads in the key's default order ("ascending" for
    ranks and names, "descending" for scores); a second click reverses it."""
    current = filters.sort_key == key
    wanted = f"-{key}" if current and not filters.sort_reversed else key
    others = {k: v for k, v in filters.params().items() if k != "sort"}
    query = scope.query(**others, sort=wanted if wanted != DEFAULT_SORT else None)
    flipped = "descending" if natural == "ascending" else "ascending"
    aria = (flipped if filters.sort_reversed else natural) if current else ""
    return SortHeader(query=query, aria=aria)


def _sort_headers(
    scope: Scope, filters: RankingFilters, columns: RankingColumns
) -> dict[str, SortHeader]:
    headers = {
        "rank": _sort_header(scope, filters, "rank", "ascending"),
        "total": _sort_header(scope, filters, "rank", "descending"),
        "name": _sort_header(scope, filters, "name", "ascending"),
        "coverage": _sort_header(scope, filters, "coverage", "descending"),
    }
    for primary in columns.primaries:
        headers[primary.code] = _sort_header(scope, filters, primary.code, "descending")
    return headers


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    context: dict[str, object] = {"scope": scope, "tab": "ranking"}
    if scope.round is None:
        return render(request, "reports/dashboard/ranking.html", context)
    filters, regions = ranking_filters(scope, request.GET)
    columns = ranking_columns(scope, filters)
    page, rows = ranking_page(scope, filters, columns, request.GET.get("page"), PAGE_SIZE)
    params = filters.params()
    sorts = _sort_headers(scope, filters, columns)
    context.update(
        filters=filters,
        regions=regions,
        columns=columns,
        primary_headers=[(p, sorts[p.code]) for p in columns.primaries],
        sorts=sorts,
        rank_label=RANK_LABELS[columns.rank_kind],
        page=page,
        rows=rows,
        query=scope.query(**params),
        keep=sorted(params.items()),
        grades=[(band["code"], scope.grade_name(band["code"])) for band in scope.grade_bands],
        statuses=AssessmentStatus.choices,
        areas=AreaType.choices,
        peers=peer_group_choices(),
    )
    return render(request, "reports/dashboard/ranking.html", context)
