"""What a public notice shows, read when it is shown: the approved results of its round
in its area, ranked, and nothing personal.

A row is an approved assessment with a scorecard: the community's name, its city and
district, the total and the grade. The rows are read as plain values, so no contact person,
telephone, assessor or reviewer is ever loaded, let alone shown. An assessment reopened
since the notice was published drops out of it. Two queries read a notice, however many
rows it has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments.choices import AssessmentStatus, RegionLevel
from assessments.models import Region, Round
from indicators.text import is_english
from reports.models import PublicNotice
from reports.scope import area_card_filter
from reports.selectors.community import grade_of, round_bands
from scoring.models import ScoreCard

#: The levels a notice may cover besides the whole province.
NOTICE_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT)


@dataclass(frozen=True)
class NoticeRow:
    rank: int  # competition ranking among the listed rows: equal totals share a rank
    community: str
    area: str  # the district; for a notice of the whole province its city and district
    total: Decimal
    grade: str

    @property
    def total_text(self) -> str:
        return f"{self.total:.2f}"


@dataclass(frozen=True)
class NoticeContent:
    """A published notice as the public reads it."""

    notice: PublicNotice
    area: str  # "全省" or the name of the city or district
    preamble: str
    rows: list[NoticeRow]

    @property
    def preamble_paragraphs(self) -> list[SafeString]:
        """The preamble as escaped HTML, one item per paragraph (line), with the code of
        the standard kept on one line."""
        return [
            _paragraph_html(line.strip()) for line in self.preamble.splitlines() if line.strip()
        ]


_STANDARD_CODE = re.compile(r"(DB37/T\s*3890\.3-2020)")


def _paragraph_html(text: str) -> SafeString:
    pieces = _STANDARD_CODE.split(text)  # plain, code, plain, code, ..., plain
    pairs = zip(pieces[0::2], [*pieces[1::2], ""], strict=True)
    return format_html_join(
        "",
        "{}{}",
        (
            (plain, format_html('<span class="nowrap">{}</span>', code) if code else "")
            for plain, code in pairs
        ),
    )


def approved_cards(round_id: int, region: Region | None) -> QuerySet[ScoreCard]:
    """Scorecards of the round's approved assessments in the area: what a notice lists."""
    return ScoreCard.objects.filter(
        round_id=round_id,
        assessment__status=AssessmentStatus.APPROVED,
        **area_card_filter(region),
    )


def area_label(region: Region | None) -> str:
    return region.name if region is not None else _("the whole province")


def default_title(round_: Round, region: Region | None) -> str:
    """E.g. 关于2026年度智慧社区评估结果的公示, or 关于济南市2026年度…结果的公示."""
    if region is None:
        return _("Public notice of the results of %(round)s") % {"round": round_.name}
    return _("Public notice of the results of %(round)s in %(area)s") % {
        "round": round_.name,
        "area": region.name,
    }


def default_preamble(round_: Round, region: Region | None) -> str:
    return _(
        "In accordance with DB37/T 3890.3-2020, Smart city construction indicators, Part 3: "
        "Smart community indicators, the communities' submissions were reviewed and approved. "
        "The results of %(round)s for %(area)s are hereby published for public comment."
    ) % {"round": round_.name, "area": area_label(region)}


def _name(zh: str | None, en: str | None) -> str:
    return (en if is_english() and en else zh) or ""


def _row_area(city: str, district: str, *, with_city: bool) -> str:
    if with_city and city and district:
        return _("%(district)s, %(city)s") % {"city": city, "district": district}
    return district or city or "–"


def notice_rows(notice: PublicNotice) -> list[NoticeRow]:
    """The notice's rows, best total first, then by community name (one query). A notice
    of the whole province names each community's city with its district."""
    bands = round_bands(notice.round)
    with_city = notice.region_id is None
    values = (
        approved_cards(notice.round_id, notice.region)
        .order_by("-total", "assessment__community__name", "pk")
        .values_list(
            "total",
            "grade",
            "assessment__community__name",
            "city__name_zh",
            "city__name_en",
            "district__name_zh",
            "district__name_en",
        )
    )
    rows: list[NoticeRow] = []
    previous: Decimal | None = None
    rank = 0
    for position, (total, grade, name, city_zh, city_en, district_zh, district_en) in enumerate(
        values, start=1
    ):
        if total != previous:
            rank, previous = position, total
        rows.append(
            NoticeRow(
                rank=rank,
                community=name,
                area=_row_area(
                    _name(city_zh, city_en), _name(district_zh, district_en), with_city=with_city
                ),
                total=total,
                grade=grade_of(bands, grade)[0],
            )
        )
    return rows


def published_notice(pk: int) -> PublicNotice:
    """The notice ``pk`` while it is published; Http404 when unknown or withdrawn."""
    notice = (
        PublicNotice.objects.select_related("round__framework", "region")
        .filter(pk=pk, withdrawn_at__isnull=True)
        .first()
    )
    if notice is None:
        raise Http404
    return notice


def notice_content(notice: PublicNotice) -> NoticeContent:
    """What the public page and the PDF of ``notice`` show, in the active language."""
    return NoticeContent(
        notice=notice,
        area=area_label(notice.region),
        preamble=notice.preamble or default_preamble(notice.round, notice.region),
        rows=notice_rows(notice),
    )


def current_notices() -> QuerySet[PublicNotice]:
    """The published notices (none withdrawn), newest first."""
    return PublicNotice.objects.filter(withdrawn_at__isnull=True).select_related("round", "region")


def all_notices() -> QuerySet[PublicNotice]:
    """Every notice of every round, withdrawn ones included, newest first (for the
    administrators' list)."""
    return PublicNotice.objects.select_related("round", "region", "published_by", "withdrawn_by")


def notice_regions() -> QuerySet[Region]:
    """The cities and districts a notice may cover, in the order of the tree."""
    return Region.objects.filter(level__in=NOTICE_LEVELS).select_related("city").order_by("path")
