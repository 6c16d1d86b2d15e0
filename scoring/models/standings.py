"""What is derived from a round's totals as a whole: ranks, area statistics, rank ranges."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.models.rescores import RoundJob


class RankState(models.Model):
    """Whether a round's stored ranks agree with its stored totals.

    Every write that changes a total (or moves a community to another city, district or
    peer group) steps ``scores_version``; storing the ranks and the area statistics records
    the version they were computed from. Ranks are stale while the two differ, and are
    refreshed before a page shows them (and by a periodic task), so saving a score never
    waits for a round-wide ranking.
    """

    round = models.OneToOneField(
        "assessments.Round",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("round"),
    )
    scores_version = models.PositiveBigIntegerField(_("scores version"), default=0)
    ranked_version = models.PositiveBigIntegerField(_("ranked version"), default=0)
    ranked_at = models.DateTimeField(_("ranked at"), null=True, blank=True)
    stability_version = models.PositiveBigIntegerField(
        _("scores version of the rank ranges"), default=0
    )

    class Meta:
        verbose_name = _("rank state")
        verbose_name_plural = _("rank states")

    def __str__(self) -> str:
        return f"{self.round_id}: {self.ranked_version}/{self.scores_version}"


class AreaStats(models.Model):
    """Score statistics of a round in one area: the province (``region`` empty), a city or
    a district. Stored with the ranks, from the same totals, so overview, drill-down,
    averages and the regions' heat map read one row per area at any size.

    Figures are decimal strings rounded to 2 places; ``indicator_means`` and
    ``indicator_met`` are keyed by indicator code, ``primary_means`` by primary code,
    ``grades`` by grade code (count of scorecards).
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District / county")

    round = models.ForeignKey(
        "assessments.Round", on_delete=models.CASCADE, related_name="+", verbose_name=_("round")
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    region = models.ForeignKey(
        "assessments.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    scored = models.PositiveIntegerField(_("scorecards"))
    mean_total = models.DecimalField(_("mean total"), max_digits=5, decimal_places=2)
    median_total = models.DecimalField(_("median total"), max_digits=5, decimal_places=2)
    grades = models.JSONField(_("grade counts"))
    primary_means = models.JSONField(_("mean per primary indicator"))
    indicator_means = models.JSONField(_("mean per indicator"))
    indicator_met = models.JSONField(_("share met per indicator"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("area statistics")
        verbose_name_plural = _("area statistics")
        constraints = [
            models.UniqueConstraint(fields=["round", "region"], name="area_stats_one_per_region"),
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(region__isnull=True),
                name="area_stats_one_province",
            ),
            models.CheckConstraint(
                condition=Q(level="province", region__isnull=True)
                | (Q(level__in=["city", "district"]) & Q(region__isnull=False)),
                name="area_stats_level_matches_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.level}/{self.region_id}"


class StabilityRun(RoundJob):
    """How stable a round's ranking is: ranks recomputed under many random perturbations
    of the indicator weights (each weight times a factor drawn from
    [1 - spread, 1 + spread]); each scorecard keeps the range of ranks it took
    (RankRange)."""

    round = models.ForeignKey(
        "assessments.Round",
        on_delete=models.CASCADE,
        related_name="stability_runs",
        verbose_name=_("round"),
    )
    draws = models.PositiveIntegerField(_("draws"))
    spread = models.DecimalField(_("weight spread"), max_digits=4, decimal_places=3)
    seed = models.BigIntegerField(_("random seed"))
    scores_version = models.PositiveBigIntegerField(_("scores version"))
    scorecards = models.PositiveIntegerField(_("scorecards"), default=0)

    class Meta(RoundJob.Meta):
        verbose_name = _("ranking stability run")
        verbose_name_plural = _("ranking stability runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(spread__gt=0) & Q(spread__lt=1), name="stability_spread_0_1"
            ),
            models.CheckConstraint(condition=Q(draws__gte=1), name="stability_draws_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.status} {self.draws}"


class RankRange(models.Model):
    """The ranks a scorecard took across a stability run's draws: the 5th to the 95th
    percentile, overall and within its city, district and peer group."""

    scorecard = models.OneToOneField(
        "scoring.ScoreCard",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="rank_range",
        verbose_name=_("scorecard"),
    )
    run = models.ForeignKey(
        StabilityRun, on_delete=models.CASCADE, related_name="ranges", verbose_name=_("run")
    )
    overall_low = models.PositiveIntegerField(_("best rank"))
    overall_high = models.PositiveIntegerField(_("worst rank"))
    city_low = models.PositiveIntegerField(_("best rank in city"), null=True)
    city_high = models.PositiveIntegerField(_("worst rank in city"), null=True)
    district_low = models.PositiveIntegerField(_("best rank in district"), null=True)
    district_high = models.PositiveIntegerField(_("worst rank in district"), null=True)
    peer_low = models.PositiveIntegerField(_("best rank in peer group"), null=True)
    peer_high = models.PositiveIntegerField(_("worst rank in peer group"), null=True)

    class Meta:
        verbose_name = _("rank range")
        verbose_name_plural = _("rank ranges")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall_low__lte=models.F("overall_high")),
                name="rank_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard_id}: {self.overall_low}-{self.overall_high}"
