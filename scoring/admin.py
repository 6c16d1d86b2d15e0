"""Scores are computed, never edited: the admin shows them read-only."""

from django.contrib import admin

from indicators.admin import ReadOnlyMixin
from scoring.models import IndicatorScore, RescoreRun, ScoreCard


class IndicatorScoreInline(ReadOnlyMixin, admin.TabularInline):
    model = IndicatorScore
    fields = ("indicator", "weight", "score", "met")
    extra = 0


@admin.register(ScoreCard)
class ScoreCardAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "assessment",
        "round",
        "total",
        "grade",
        "complete",
        "rank",
        "rank_in_city",
        "frozen",
        "computed_at",
    )
    list_filter = ("round", "grade", "complete", "frozen")
    search_fields = ("assessment__community__name",)
    list_select_related = ("assessment__community", "assessment__round", "round")
    inlines = [IndicatorScoreInline]


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
