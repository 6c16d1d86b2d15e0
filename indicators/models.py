"""An assessment framework (a standard's indicator system) stored as data.

A framework is loaded from a versioned file (see indicators/framework_file.py) and is never
edited in place once a round uses it: a revised file gets a new version and loads beside it,
so old scores stay reproducible.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.choices import ItemType
from indicators.text import localized


class Framework(models.Model):
    """One version of an indicator system, e.g. DB37/T 3890.3-2020 data version 2020.1."""

    code = models.CharField(_("code"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    short_title_zh = models.CharField(_("short title (Chinese)"), max_length=100, blank=True)
    short_title_en = models.CharField(_("short title (English)"), max_length=100, blank=True)
    issuer_zh = models.CharField(_("issuer (Chinese)"), max_length=200, blank=True)
    issuer_en = models.CharField(_("issuer (English)"), max_length=200, blank=True)
    published = models.DateField(_("published"), null=True, blank=True)
    effective = models.DateField(_("effective"), null=True, blank=True)
    grade_bands = models.JSONField(
        _("grade bands"),
        help_text=_("Highest first: [{code, minimum, name_zh, name_en}, ...]"),
    )
    source_file = models.CharField(_("source file"), max_length=200)
    content_hash = models.CharField(_("content hash"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_code_version_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.version})"

    @property
    def title(self) -> str:
        return localized(self, "title")


class PrimaryIndicator(models.Model):
    """一级指标: a group of indicators; its weight equals the sum of theirs."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="primaries", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=16)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("primary indicator")
        verbose_name_plural = _("primary indicators")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="primary_code_uniq"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="primary_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class Indicator(models.Model):
    """二级指标: weighted in percentage points; a framework's indicators sum to 100."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("framework")
    )
    primary = models.ForeignKey(
        PrimaryIndicator,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("primary indicator"),
    )
    code = models.CharField(_("code"), max_length=16)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3)
    definition_zh = models.TextField(_("definition (Chinese)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    requirement_zh = models.TextField(_("requirement (Chinese)"), blank=True)
    requirement_en = models.TextField(_("requirement (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_code_uniq"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def definition(self) -> str:
        return localized(self, "definition")

    @property
    def requirement(self) -> str:
        return localized(self, "requirement")


class Item(models.Model):
    """考核要点: one checkable requirement, scored by the rule of its type.

    ``params`` holds the type's parameters exactly as the framework file gives them
    (target, comparator, bounded, min_required, na_options, max_level, conditional, labels,
    unit, levels, record_choices, interpretation notes).
    """

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="items", verbose_name=_("framework")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="items", verbose_name=_("indicator")
    )
    code = models.CharField(_("code"), max_length=24)
    type = models.CharField(_("type"), max_length=16, choices=ItemType.choices)
    name_zh = models.CharField(_("requirement (Chinese)"), max_length=300)
    name_en = models.CharField(_("requirement (English)"), max_length=300, blank=True)
    help_zh = models.CharField(_("evidence hint (Chinese)"), max_length=300, blank=True)
    help_en = models.CharField(_("evidence hint (English)"), max_length=300, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3, default=1)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="item_code_uniq"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="item_weight_positive"),
            models.CheckConstraint(condition=Q(type__in=ItemType.values), name="item_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def help(self) -> str:
        return localized(self, "help")

    @property
    def conditional(self) -> bool:
        return bool(self.params.get("conditional", False))


class Option(models.Model):
    """One choice of a checklist item, coded a, b, c... in the standard's order."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="options", verbose_name=_("item")
    )
    code = models.CharField(_("code"), max_length=16)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="option_code_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def name(self) -> str:
        return localized(self, "name")
