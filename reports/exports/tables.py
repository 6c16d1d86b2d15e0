"""What an export holds: the columns and rows of the ranking, or of every community's
indicator scores, chosen and ordered by the ranking's selector with the page's filters and
sort. Rows are read as plain values (one query per chunk, and one for the indicator scores),
not as model instances: a whole round is tens of thousands of rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.choices import AreaType, AssessmentStatus, RegionLevel
from assessments.models import Region
from reports.models import ExportJob
from reports.scope import Scope
from reports.selectors.ranking import (
    RANK_FIELDS,
    RANK_LABELS,
    RankingFilters,
    indicator_scores,
    primary_score,
    ranking_cards,
    ranking_columns,
    thin_evidence,
)
from scoring.models import ScoreCard
from scoring.peers import peer_group_label

TEXT, WHOLE, SCORE = "text", "whole", "score"
#: Characters a file name may not hold on common systems.
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT  # TEXT, WHOLE (a count or rank) or SCORE (two decimals)
    width: float = 12


def weighted_header(code: str, name: str, weight: Decimal) -> str:
    """ "L1P1 智能安防（权重 3）": an indicator's column names its weight."""
    shown = f"{weight:.2f}".rstrip("0").rstrip(".")
    return _("%(code)s %(name)s (weight %(weight)s)") % {
        "code": code,
        "name": name,
        "weight": shown,
    }


def _labelled(label: str, value: str) -> str:
    """ "范围：济南市": a label and its value, punctuated for the language."""
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


class ExportTable:
    """The table of one export: ``card_ids`` in order, then ``rows`` chunk by chunk."""

    def __init__(self, *, kind: str, scope: Scope, filters: RankingFilters) -> None:
        self.kind = kind
        self.scope = scope
        self.filters = filters
        self.layout = ranking_columns(scope, filters)
        self.columns = self._columns()

    @property
    def label(self) -> str:
        return str(ExportJob.Kind(self.kind).label)

    def count(self) -> int:
        """How many rows the export holds."""
        return ranking_cards(self.scope, self.filters).count()

    def card_ids(self, limit: int | None = None) -> list[int]:
        ids = ranking_cards(self.scope, self.filters).values_list("pk", flat=True)
        return list(ids[:limit] if limit is not None else ids)

    def _columns(self) -> list[Column]:
        layout = self.layout
        head = [
            Column(str(RANK_LABELS[layout.rank_kind]), WHOLE, 9),
            Column(_("Community"), TEXT, 18),
            Column(_("Registry code"), TEXT, 16),
            Column(_("City"), TEXT, 10),
            Column(_("District / county"), TEXT, 12),
            Column(_("Total"), SCORE, 9),
            Column(_("Grade"), TEXT, 10),
        ]
        if self.kind == ExportJob.Kind.MATRIX:
            return head + [
                Column(weighted_header(ind.code, ind.name, ind.weight), SCORE, 14)
                for ind in layout.indicators
            ]
        return [
            *head,
            *(
                Column(weighted_header(p.code, p.name, p.weight), SCORE, 14)
                for p in layout.primaries
            ),
            Column(_("Status"), TEXT, 10),
            Column(_("Answered items (of %(total)s)") % {"total": layout.item_total}, WHOLE, 12),
            Column(_("Items with evidence"), WHOLE, 12),
            Column(_("Thin evidence"), TEXT, 10),
            Column(_("Rank range"), TEXT, 10),
            Column(_("Peer group"), TEXT, 24),
            Column(_("Urban or rural"), TEXT, 10),
        ]

    def rows(self, ids: list[int]) -> list[list[Any]]:
        """The rows of these scorecards, in the order of ``ids``: one query, and one for the
        indicator scores of the matrix (area names are read once per table)."""
        rank_field, range_prefix = RANK_FIELDS[self.layout.rank_kind]
        head = (rank_field, "assessment__community__name", "assessment__community__code",
                "city_id", "district_id", "total", "grade")  # fmt: skip
        if self.kind == ExportJob.Kind.MATRIX:
            found = self._values(ids, head)
            scores = indicator_scores(list(found))
            indicators = [ind.pk for ind in self.layout.indicators]
            return [
                self._head(values) + [scores.get(pk, {}).get(ind) for ind in indicators]
                for pk, values in found.items()
            ]
        tail = ("primaries", "assessment__status", "assessment__answered_count",
                "assessment__evidenced_count", f"rank_range__{range_prefix}_low",
                f"rank_range__{range_prefix}_high", "peer_group",
                "assessment__community__area_type")  # fmt: skip
        return [
            self._head(values) + self._ranking_tail(values)
            for values in self._values(ids, head + tail).values()
        ]

    @staticmethod
    def _values(ids: list[int], fields: tuple[str, ...]) -> dict[int, tuple[Any, ...]]:
        """``fields`` of these scorecards by id, in the order of ``ids`` (a scorecard removed
        since the ids were read is left out)."""
        rows = ScoreCard.objects.filter(pk__in=ids).values_list("pk", *fields)
        found = {row[0]: row[1:] for row in rows}
        return {pk: found[pk] for pk in ids if pk in found}

    def _head(self, values: tuple[Any, ...]) -> list[Any]:
        rank, name, code, city, district, total, grade = values[:7]
        areas = self._area_names
        return [rank, name, code, areas.get(city, ""), areas.get(district, ""), total,
                self.scope.grade_name(grade)]  # fmt: skip

    @cached_property
    def _area_names(self) -> dict[int, str]:
        """Names of the cities and districts in the reader's language (one query)."""
        levels = (RegionLevel.CITY, RegionLevel.DISTRICT)
        return {r.pk: r.name for r in Region.objects.filter(level__in=levels)}

    def _ranking_tail(self, values: tuple[Any, ...]) -> list[Any]:
        total = values[5]
        primaries, status, answered, evidenced, low, high, peer_group, area_type = values[7:]
        return [
            *(primary_score(primaries or {}, p.code) for p in self.layout.primaries),
            str(AssessmentStatus(status).label),
            answered,
            evidenced,
            _("Yes") if thin_evidence(self.layout, total, answered, evidenced) else "",
            f"{low}–{high}" if low is not None and high is not None else "",
            peer_group_label(peer_group) if peer_group else "",
            str(AreaType(area_type).label),
        ]

    # -- how the file names itself --------------------------------------------------------
    def title_line(self) -> str:
        """Round, scope, filters and time, written above the table in a workbook."""
        described = "; ".join(_labelled(label, value) for label, value in self.filter_labels())
        round_name = self.scope.round.name if self.scope.round else ""
        parts = (
            self.label,
            round_name,
            _labelled(_("Scope"), self.scope.label),
            _labelled(_("Filtered by"), described or _("All")),
            _labelled(_("File made at"), f"{timezone.localtime():%Y-%m-%d %H:%M}"),
        )
        return " · ".join(parts)

    def filter_labels(self) -> list[tuple[str, str]]:
        f = self.filters
        found = [
            (_("City"), f.city.name if f.city else ""),
            (_("District / county"), f.district.name if f.district else ""),
            (_("Grade"), self.scope.grade_name(f.grade) if f.grade else ""),
            (_("Status"), str(AssessmentStatus(f.status).label) if f.status else ""),
            (_("Urban or rural"), str(AreaType(f.area).label) if f.area else ""),
            (_("Peer group"), peer_group_label(f.peer) if f.peer else ""),
            (_("Search"), f.search or ""),
        ]
        return [(label, value) for label, value in found if value]

    def file_name(self, fmt: str) -> str:
        """ "排名-2026年度评估-济南市.xlsx": what, which round, which area."""
        f = self.filters
        area = f.district.name if f.district else f.city.name if f.city else self.scope.label
        round_name = self.scope.round.name if self.scope.round else ""
        stem = "-".join(part for part in (self.label, round_name, area) if part)
        return f"{_UNSAFE_IN_NAME.sub('_', stem)[:150]}.{fmt}"
