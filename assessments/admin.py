"""Admin screens for administrators. Workflow changes go through the services, so the
admin shows workflow state read-only and offers no status editing."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from assessments import services
from assessments.models import (
    Answer,
    Assessment,
    Community,
    Evidence,
    ItemReview,
    Region,
    ReviewDecision,
    Round,
)
from indicators.admin import ReadOnlyMixin


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ("code", "name_zh", "name_en", "level", "parent")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "level" in data:
            problem = services.region_placement_problem(
                level=data["level"], parent=data.get("parent")
            )
            if problem:
                raise forms.ValidationError(problem)
        return data


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    form = RegionForm
    list_display = ("code", "name_zh", "name_en", "level", "parent")
    list_filter = ("level", "city")
    search_fields = ("code", "name_zh", "name_en")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)

    def save_model(self, request: HttpRequest, obj: Region, form: Any, change: bool) -> None:
        """Through the service, which derives the path and the city and district links."""
        saved = services.region_create(
            code=obj.code,
            name_zh=obj.name_zh,
            name_en=obj.name_en,
            level=obj.level,
            parent=obj.parent,
        )
        obj.pk = saved.pk


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "area_type", "households", "residents", "is_active")
    list_filter = ("area_type", "is_active", "region__city")
    search_fields = ("name", "address", "region__name_zh", "contact_name")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "framework",
        "status",
        "period_start",
        "period_end",
        "submission_deadline",
        "evidence_required",
    )
    list_filter = ("status", "framework", "evidence_required")
    search_fields = ("name",)


class AnswerInline(ReadOnlyMixin, admin.TabularInline):
    model = Answer
    fields = ("item", "value", "not_applicable", "note", "updated_by", "updated_at")
    extra = 0


class DecisionInline(ReadOnlyMixin, admin.TabularInline):
    model = ReviewDecision
    fields = ("action", "from_status", "to_status", "comment", "actor", "created_at")
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("community", "round", "status", "version", "submitted_at", "approved_at")
    list_filter = ("round", "status", "community__region__city")
    search_fields = ("community__name", "community__region__name_zh")
    list_select_related = ("community", "round")
    readonly_fields = ("round", "community", "status", "version", "submitted_at", "approved_at")
    filter_horizontal = ("assessors",)
    inlines = [AnswerInline, DecisionInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = (
        "assessment",
        "item",
        "original_name",
        "url",
        "size",
        "uploaded_by",
        "uploaded_at",
    )
    search_fields = ("original_name", "url", "assessment__community__name", "sha256")
    list_select_related = ("assessment__community", "item", "uploaded_by")
    readonly_fields = ("sha256", "size", "content_type", "uploaded_by", "uploaded_at")


@admin.register(ItemReview)
class ItemReviewAdmin(admin.ModelAdmin):
    list_display = ("assessment", "item", "status", "reviewer", "updated_at")
    list_filter = ("status",)
    list_select_related = ("assessment__community", "item", "reviewer")
    readonly_fields = ("assessment", "item", "status", "comment", "reviewer", "updated_at")
