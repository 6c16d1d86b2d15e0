"""Admin screens for administrators. Every save and delete goes through the services (see
common.admin); workflow state is shown read-only: answers, evidence and reviews are
changed in the portal's own pages, where their rules apply."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assessments import services
from assessments.admin_filters import city_filter
from assessments.choices import AssessmentStatus
from assessments.display import answer_text
from assessments.models import (
    Answer,
    Assessment,
    Community,
    Evidence,
    IndicatorNote,
    ItemReview,
    Region,
    ReviewDecision,
    Round,
)
from common.admin import ReadOnlyMixin, ServiceAdmin, ServiceModelForm


class RegionForm(ServiceModelForm):
    class Meta:
        model = Region
        fields = ("code", "name_zh", "name_en", "level", "parent")

    def save_through_service(self, data: dict[str, Any]) -> Model:
        if self.instance.pk:
            return services.region_update(
                region=self.instance,
                code=data["code"],
                name_zh=data["name_zh"],
                name_en=data.get("name_en", ""),
                parent=data.get("parent"),
            )
        return services.region_create(
            code=data["code"],
            name_zh=data["name_zh"],
            name_en=data.get("name_en", ""),
            level=data["level"],
            parent=data.get("parent"),
        )


@admin.register(Region)
class RegionAdmin(ServiceAdmin):
    form = RegionForm
    list_display = ("code", "name_zh", "name_en", "level", "parent")
    list_filter = ("level", city_filter("city"))
    search_fields = ("code", "name_zh", "name_en")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("level",) if obj else ()

    def delete_through_service(self, request: HttpRequest, obj: Any) -> None:
        services.region_delete(region=obj)


class CommunityForm(ServiceModelForm):
    class Meta:
        model = Community
        fields = (
            "code",
            "name",
            "region",
            "address",
            "households",
            "residents",
            "area_type",
            "contact_name",
            "contact_phone",
            "is_active",
        )

    def save_through_service(self, data: dict[str, Any]) -> Model:
        community = services.CommunityData(**{name: data[name] for name in self.Meta.fields})
        if self.instance.pk:
            return services.community_update(community=self.instance, data=community)
        return services.community_create(data=community)


@admin.register(Community)
class CommunityAdmin(ServiceAdmin):
    form = CommunityForm
    list_display = ("code", "name", "region", "area_type", "households", "residents", "is_active")
    list_filter = ("area_type", "is_active", city_filter("city"))
    search_fields = ("code", "name", "address", "region__name_zh", "contact_name")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A community with assessments is deactivated, never deleted."""
        if obj is not None and obj.assessments.exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_through_service(self, request: HttpRequest, obj: Any) -> None:
        services.community_delete(community=obj)


class RoundForm(ServiceModelForm):
    grade_bands = forms.JSONField(
        label=_("grade bands override"),
        required=False,
        help_text=_(
            "Leave empty to use the framework's grade bands. Otherwise, highest first: "
            '[{"code": "excellent", "minimum": "90", "name_zh": "优秀", '
            '"name_en": "Excellent"}, ...]'
        ),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
    )

    class Meta:
        model = Round
        fields = (
            "name",
            "framework",
            "period_start",
            "period_end",
            "submission_deadline",
            "review_deadline",
            "status",
            "evidence_required",
            "grade_bands",
        )

    def save_through_service(self, data: dict[str, Any]) -> Model:
        values = {name: data[name] for name in self.Meta.fields if name in data}
        if self.instance.pk:
            return services.round_update(round=self.instance, **values)
        return services.round_create(**values)


@admin.register(Round)
class RoundAdmin(ServiceAdmin):
    form = RoundForm
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.assessments.exists():
            return ("framework",)
        return ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.assessments.filter(status=AssessmentStatus.APPROVED).exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """A summary by kind instead of every row: a round holds up to 100,000 assessments
        with their answers, and listing them would load them all."""
        round_ids = [obj.pk for obj in objs]
        assessments = Assessment.objects.filter(round_id__in=round_ids)
        summary = {
            str(Round._meta.verbose_name_plural): len(round_ids),
            str(Assessment._meta.verbose_name_plural): assessments.count(),
            str(Answer._meta.verbose_name_plural): Answer.objects.filter(
                assessment__round_id__in=round_ids
            ).count(),
            str(Evidence._meta.verbose_name_plural): Evidence.objects.filter(
                assessment__round_id__in=round_ids
            ).count(),
        }
        listed = [str(obj) for obj in objs]
        return listed, summary, set(), []

    def delete_through_service(self, request: HttpRequest, obj: Any) -> None:
        services.round_delete(round=obj)


class AnswerInline(ReadOnlyMixin, admin.TabularInline):
    model = Answer
    fields = ("item", "shown_value", "updated_by", "updated_at")
    readonly_fields = ("shown_value",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("item", "updated_by")
            .prefetch_related("item__options")
            .order_by("item__order")
        )

    @admin.display(description=_("answer"))
    def shown_value(self, obj: Answer) -> str:
        return answer_text(obj.item, obj.value, obj.not_applicable)


class NoteInline(ReadOnlyMixin, admin.TabularInline):
    model = IndicatorNote
    fields = ("indicator", "text", "updated_by", "updated_at")
    extra = 0


class DecisionInline(ReadOnlyMixin, admin.TabularInline):
    model = ReviewDecision
    fields = ("action", "from_status", "to_status", "comment", "actor", "created_at")
    extra = 0


class AssessmentForm(ServiceModelForm):
    class Meta:
        model = Assessment
        fields = ("round", "community", "assessors")

    def save_through_service(self, data: dict[str, Any]) -> Model:
        assessors = list(data.get("assessors") or [])
        if self.instance.pk:
            services.assessment_assign(
                actor=self.request.user if self.request else None,
                assessment=self.instance,
                assessors=assessors,
            )
            return self.instance
        return services.assessment_create(
            round=data["round"], community=data["community"], assessors=assessors
        )


@admin.register(Assessment)
class AssessmentAdmin(ServiceAdmin):
    form = AssessmentForm
    list_display = (
        "community",
        "round",
        "status",
        "answered_count",
        "evidenced_count",
        "version",
        "submitted_at",
        "approved_at",
    )
    list_filter = ("round", "status", city_filter("community__city"))
    search_fields = ("community__name", "community__code", "community__region__name_zh")
    list_select_related = ("community", "round")
    # Newest first, by the primary key's index (a round holds up to 100,000 assessments).
    ordering = ("-pk",)
    autocomplete_fields = ("community", "assessors")
    inlines = [AnswerInline, NoteInline, DecisionInline]
    _state_fields = (
        "status",
        "version",
        "answered_count",
        "evidenced_count",
        "submitted_at",
        "approved_at",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        fixed = ("round", "community", *self._state_fields)
        if obj.status == AssessmentStatus.APPROVED:
            return (*fixed, "assessors")  # reopen it to change who assesses it
        return fixed

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("round", "community", "assessors")
        return ("round", "community", "assessors", *self._state_fields)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status in (
            AssessmentStatus.SUBMITTED,
            AssessmentStatus.APPROVED,
        ):
            return False
        return super().has_delete_permission(request, obj)

    def delete_through_service(self, request: HttpRequest, obj: Any) -> None:
        services.assessment_delete(actor=request.user, assessment=obj)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Evidence is uploaded and removed on the assessment pages, where type, size and the
    workflow state are checked; here it is listed for administrators."""

    list_display = ("assessment", "item", "shown", "size", "uploaded_by", "uploaded_at")
    # Newest first, by the primary key's index: a province holds millions of files and links.
    ordering = ("-pk",)
    show_full_result_count = False
    search_fields = ("original_name", "url", "assessment__community__name", "sha256")
    list_select_related = ("assessment__community", "assessment__round", "item", "uploaded_by")
    fields = (
        "assessment",
        "item",
        "original_name",
        "url",
        "description",
        "sha256",
        "size",
        "content_type",
        "uploaded_by",
        "uploaded_at",
    )

    @admin.display(description=_("file or link"))
    def shown(self, obj: Evidence) -> str:
        if obj.url:
            return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.url, obj.url)
        return obj.original_name


@admin.register(ItemReview)
class ItemReviewAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("assessment", "item", "status", "reviewer", "updated_at")
    list_filter = ("status",)
    list_select_related = ("assessment__community", "assessment__round", "item", "reviewer")
    fields = ("assessment", "item", "status", "comment", "reviewer", "updated_at")
