"""Scores are computed, never edited: the admin shows them read-only, as people read them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from assessments.admin_filters import city_filter
from common.admin import ReadOnlyMixin
from indicators.grades import grade_name
from indicators.models import Framework
from scoring.engine.results import MISSING, NOT_APPLICABLE, REJECTED, SCORED
from scoring.models import IndicatorScore, RescoreRun, ScoreCard
from scoring.services import ranks_refresh

ITEM_STATUS_LABELS = {
    SCORED: _("scored"),
    MISSING: _("not answered"),
    NOT_APPLICABLE: _("not applicable"),
    REJECTED: _("evidence rejected"),
}


class IndicatorScoreInline(ReadOnlyMixin, admin.TabularInline):
    model = IndicatorScore
    fields = ("indicator", "weight", "score", "met")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super().get_queryset(request).select_related("indicator").order_by("indicator__order")
        )


class GradeFilter(admin.SimpleListFilter):
    title = _("grade")
    parameter_name = "grade"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        names: dict[str, str] = {}
        for bands in Framework.objects.values_list("grade_bands", flat=True):
            for band in bands:
                names.setdefault(band["code"], grade_name(bands, band["code"]))
        return list(names.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(grade=self.value()) if self.value() else queryset


@admin.register(ScoreCard)
class ScoreCardAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "assessment",
        "round",
        "total",
        "grade_shown",
        "complete",
        "rank",
        "rank_in_city",
        "rank_in_district",
        "frozen",
        "computed_at",
    )
    list_filter = ("round", GradeFilter, city_filter("city"), "complete", "frozen")
    search_fields = ("assessment__community__name", "assessment__community__code")
    list_select_related = ("assessment__community", "assessment__round", "round", "framework")
    fields = (
        "assessment",
        "round",
        "city",
        "district",
        "total",
        "grade_shown",
        "complete",
        "rank",
        "rank_in_city",
        "rank_in_district",
        "primaries_shown",
        "items_shown",
        "frozen",
        "assessment_version",
        "engine_version",
        "framework",
        "inputs_hash",
        "computed_at",
    )
    inlines = [IndicatorScoreInline]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        ranks_refresh()  # ranks shown beside the totals are never older than the totals
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        ranks_refresh()
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("grade"), ordering="grade")
    def grade_shown(self, card: ScoreCard) -> str:
        return grade_name(card.round.grade_bands or card.framework.grade_bands, card.grade)

    @admin.display(description=_("primary scores"))
    def primaries_shown(self, card: ScoreCard) -> SafeString:
        primaries = {p.code: p for p in card.framework.primaries.all()}
        rows = (
            (code, primaries[code].name if code in primaries else "", score,
             _plain(primaries[code].weight) if code in primaries else "")
            for code, score in sorted(card.primaries.items())
        )  # fmt: skip
        return _table(
            (_("code"), _("primary indicator"), _("score"), _("weight")),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description=_("item details"))
    def items_shown(self, card: ScoreCard) -> SafeString:
        detail = getattr(card, "detail", None)
        items = detail.items if detail else {}
        known = {item.code: item for item in card.framework.items.all()}
        order = {code: item.order for code, item in known.items()}
        rows = (
            (
                code,
                known[code].name if code in known else "",
                ITEM_STATUS_LABELS.get(entry["status"], entry["status"]),
                entry["achievement"] or "–",
                entry["s"] or "–",
                _("yes") if entry["met"] else (_("no") if entry["met"] is False else "–"),
            )
            for code, entry in sorted(items.items(), key=lambda kv: order.get(kv[0], 0))
        )
        return _table(
            (_("item"), _("requirement"), _("status"), _("achievement"), _("item score"), _("met")),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                rows,
            ),
        )


def _plain(number: Decimal) -> str:
    """3.000 -> "3", 10.000 -> "10", 2.500 -> "2.5"."""
    return format(number.normalize(), "f")


def _table(headers: tuple[Any, ...], body: SafeString) -> SafeString:
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)


@admin.register(RescoreRun)
class RescoreRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "round",
        "status",
        "chunks_done",
        "chunks_total",
        "assessments_total",
        "started_at",
        "finished_at",
    )
    list_filter = ("status", "round")
    fields = (
        "round",
        "status",
        "chunks_done",
        "chunks_total",
        "assessments_total",
        "started_at",
        "finished_at",
        "error",
    )
