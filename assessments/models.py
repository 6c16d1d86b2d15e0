"""Regions, communities, rounds and the assessments that assessors fill in.

Rules the database can hold are constraints here; workflow rules live in services.py.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.choices import (
    AreaType,
    AssessmentStatus,
    EventKind,
    ItemReviewStatus,
    RegionLevel,
    ReviewAction,
    RoundStatus,
)
from indicators.text import localized


class Region(models.Model):
    """A node of the administrative tree: province > city > district/county > street/town.

    ``path`` is the chain of codes from the root ("370000/370100/370102/"), so a subtree is
    one ``path__startswith`` filter. ``city`` and ``district`` point at the ancestors of those
    levels (a city points at itself), so results group by city or district without joins up
    the tree. All three are derived by the region services, which re-path a whole subtree
    when a region's code or parent changes.
    """

    code = models.CharField(_("code"), max_length=12, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(_("path"), max_length=64, unique=True, editable=False)
    city = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("city"),
    )
    district = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("district"),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=RegionLevel.PROVINCE, parent__isnull=True)
                | (~Q(level=RegionLevel.PROVINCE) & Q(parent__isnull=False)),
                name="region_only_province_is_root",
            ),
            models.CheckConstraint(
                condition=Q(level__in=RegionLevel.values), name="region_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        return localized(self, "name")


class Community(models.Model):
    """A residential community (社区) being assessed.

    ``code`` is the community's code in the bureau's registry (for example its 12-digit
    statistical division code): stable, unique, and the name imports and the API use.
    ``city`` and ``district`` repeat the region's links, kept in step by the services, so
    lists filter and group by them without walking the region tree.
    """

    code = models.CharField(
        _("registry code"),
        max_length=32,
        unique=True,
        help_text=_("The community's code in the registry, e.g. its statistical division code."),
    )
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="communities", verbose_name=_("region")
    )
    city = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("city"),
    )
    district = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    households = models.PositiveIntegerField(_("households"))
    residents = models.PositiveIntegerField(_("residents"))
    area_type = models.CharField(
        _("urban or rural"), max_length=8, choices=AreaType.choices, default=AreaType.URBAN
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="community_name_uniq_in_region"
            ),
            models.CheckConstraint(
                condition=Q(residents__gte=F("households")),
                name="community_residents_at_least_households",
            ),
            models.CheckConstraint(
                condition=Q(area_type__in=AreaType.values), name="community_area_type_valid"
            ),
            models.CheckConstraint(condition=~Q(code=""), name="community_code_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """An assessment round (e.g. the 2026 annual assessment) on one framework version."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    framework = models.ForeignKey(
        "indicators.Framework",
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("framework"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    submission_deadline = models.DateField(_("submission deadline"))
    review_deadline = models.DateField(_("review deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.PLANNED
    )
    evidence_required = models.BooleanField(
        _("evidence required"),
        default=True,
        help_text=_("Every item that scores above zero needs evidence before submission."),
    )
    grade_bands = models.JSONField(
        _("grade bands override"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the framework's grade bands."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-period_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="round_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(review_deadline__gte=F("submission_deadline")),
                name="round_review_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), name="round_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """One community's assessment in one round.

    ``version`` grows with every saved change; a save that names an older version is
    refused, so two people editing at once cannot overwrite each other unseen.
    """

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("round")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("community"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assigned_assessments",
        verbose_name=_("assessors"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    answered_count = models.PositiveSmallIntegerField(
        _("answered items"),
        default=0,
        help_text=_("Items answered or marked not applicable; kept by the services."),
    )
    evidenced_count = models.PositiveSmallIntegerField(
        _("items with evidence"), default=0, help_text=_("Kept by the services.")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["round", "community__region__path", "community__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "community"], name="assessment_one_per_community_and_round"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=AssessmentStatus.APPROVED) | Q(approved_at__isnull=False),
                name="assessment_approved_has_time",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="assessment_version_positive"),
        ]
        indexes = [models.Index(fields=["round", "status"], name="assessment_round_status")]

    def __str__(self) -> str:
        return f"{self.community} / {self.round}"

    @property
    def is_editable(self) -> bool:
        return self.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


class Answer(models.Model):
    """The answer to one item: a JSON value checked against the item's type by the engine,
    or a not-applicable mark (allowed only for conditional items). The engine reads it
    through ``assessments.answers.engine_answer``."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("assessment"),
    )
    item = models.ForeignKey(
        "indicators.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    value = models.JSONField(_("value"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="answer_one_per_item"),
            models.CheckConstraint(
                condition=Q(not_applicable=True, value__isnull=True)
                | Q(not_applicable=False, value__isnull=False),
                name="answer_value_xor_not_applicable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.item_id}"


class IndicatorNote(models.Model):
    """The assessor's note on one indicator (answer path ``<indicator>.note``)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="notes", verbose_name=_("assessment")
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("indicator"),
    )
    text = models.TextField(_("note"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator note")
        verbose_name_plural = _("indicator notes")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="indicator_note_one_per_indicator"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="indicator_note_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.indicator_id}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """A generated name: nothing from the uploader reaches the file system but the suffix."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{instance.assessment_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """佐证材料 for one item: an uploaded file (kept privately) or a link."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("assessment"),
    )
    item = models.ForeignKey(
        "indicators.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=200)
    url = models.URLField(_("link"), blank=True, max_length=500)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=evidence_upload_to, blank=True, max_length=200
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["assessment", "item", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="evidence_file_xor_link",
            ),
            models.CheckConstraint(
                condition=Q(file="") | (Q(sha256__regex=r"^[0-9a-f]{64}$") & Q(size__isnull=False)),
                name="evidence_file_has_hash_and_size",
            ),
        ]
        indexes = [models.Index(fields=["assessment", "item"], name="evidence_assessment_item")]

    def __str__(self) -> str:
        return self.original_name or self.url


class ReviewDecision(models.Model):
    """One step of the workflow: submitted, returned (with reasons), approved, reopened."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("assessment"),
    )
    action = models.CharField(_("action"), max_length=16, choices=ReviewAction.choices)
    from_status = models.CharField(
        _("from status"), max_length=16, choices=AssessmentStatus.choices
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=AssessmentStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    reasons = models.JSONField(
        _("reasons by indicator"),
        default=dict,
        blank=True,
        help_text=_("A return names the indicators to correct, each with its reason."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["assessment", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=ReviewAction.values), name="decision_action_valid"
            ),
            models.CheckConstraint(
                condition=~Q(action=ReviewAction.RETURN) | ~Q(comment=""),
                name="decision_return_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.action}"


class ItemReview(models.Model):
    """A reviewer's verdict on one item's evidence. A rejected item scores 0 until accepted."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="item_reviews",
        verbose_name=_("assessment"),
    )
    item = models.ForeignKey(
        "indicators.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    status = models.CharField(_("status"), max_length=16, choices=ItemReviewStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("item review")
        verbose_name_plural = _("item reviews")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="item_review_one_per_item"),
            models.CheckConstraint(
                condition=Q(status__in=ItemReviewStatus.values), name="item_review_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ItemReviewStatus.REJECTED) | ~Q(comment=""),
                name="item_review_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.item_id} {self.status}"


class AssessmentEvent(models.Model):
    """One change of an assessment, appended by the service that made it, in the same
    transaction: who, when, what (``kind`` and ``target``: the item or indicator code),
    the value before and after. Never edited; deleted only with its assessment."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="events", verbose_name=_("assessment")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    target = models.CharField(_("item or indicator"), max_length=24, blank=True)
    old = models.JSONField(_("before"), null=True, blank=True)
    new = models.JSONField(_("after"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    version = models.PositiveIntegerField(_("assessment version"))

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
        ]
        indexes = [models.Index(fields=["assessment", "-at"], name="event_assessment_at")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.kind} {self.target}"


class Submission(models.Model):
    """What an assessment held when it was submitted: its answers (as the engine reads
    them), notes and evidence. Diffs between submissions compare these snapshots."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("assessment"),
    )
    number = models.PositiveIntegerField(_("number"))
    answers = models.JSONField(_("answers"))
    notes = models.JSONField(_("notes"))
    evidence = models.JSONField(_("evidence"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="submission_number_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} #{self.number}"
