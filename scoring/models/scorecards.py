"""Stored scores: one scorecard per assessment with a row per indicator.

A scorecard records what produced it (engine version, framework, a hash of the inputs), so
recomputing with unchanged inputs writes nothing and every point can be explained from the
per-item details kept on each indicator row.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ScoreCard(models.Model):
    """The latest score of an assessment. ``frozen`` keeps an approved assessment's score
    as it was approved: rescoring leaves it alone until the assessment is reopened.

    It carries what rankings and filters need without joins: the round, the community's
    city and district (kept in step with the community), the total, the grade and the ranks.
    Ranks (overall, in city, in district, in peer group) are stored; a page that shows them
    first brings them up to date with the totals (see RankState and scoring.services.ranks).
    The per-item details live in ScoreDetail, which a ranking query never reads.
    """

    assessment = models.OneToOneField(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="scorecard",
        verbose_name=_("assessment"),
    )
    round = models.ForeignKey(
        "assessments.Round", on_delete=models.CASCADE, related_name="+", verbose_name=_("round")
    )
    city = models.ForeignKey(
        "assessments.Region",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("city"),
    )
    district = models.ForeignKey(
        "assessments.Region",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("district"),
    )
    framework = models.ForeignKey(
        "indicators.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("framework"),
    )
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=32)
    complete = models.BooleanField(_("complete"))
    primaries = models.JSONField(
        _("primary scores"), help_text=_('{"L1": "25.13", ...}, rounded to 2 decimals')
    )
    engine_version = models.CharField(_("engine version"), max_length=16)
    inputs_hash = models.CharField(_("inputs hash"), max_length=64)
    computed_at = models.DateTimeField(_("computed at"))
    assessment_version = models.PositiveIntegerField(
        _("assessment version"),
        help_text=_("The assessment version last scored; a newer version means a rescore is due."),
    )
    frozen = models.BooleanField(_("kept as approved"), default=False)
    rank = models.PositiveIntegerField(_("rank in round"), null=True, blank=True)
    rank_in_city = models.PositiveIntegerField(_("rank in city"), null=True, blank=True)
    rank_in_district = models.PositiveIntegerField(_("rank in district"), null=True, blank=True)
    peer_group = models.CharField(
        _("peer group"),
        max_length=16,
        blank=True,
        help_text=_("Urban or rural, and a size band by households."),
    )
    rank_in_peer_group = models.PositiveIntegerField(_("rank in peer group"), null=True, blank=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(total__lte=100), name="scorecard_total_0_100"
            ),
        ]
        indexes = [
            models.Index(fields=["round", "-total"], name="scorecard_round_total"),
            models.Index(fields=["round", "city", "-total"], name="scorecard_round_city_total"),
            models.Index(
                fields=["round", "district", "-total"], name="scorecard_round_district_total"
            ),
            models.Index(fields=["round", "grade"], name="scorecard_round_grade"),
            models.Index(
                fields=["round", "peer_group", "-total"], name="scorecard_round_peer_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.total}"


class ScoreDetail(models.Model):
    """How a scorecard came about, item by item: explains every point."""

    scorecard = models.OneToOneField(
        ScoreCard,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="detail",
        verbose_name=_("scorecard"),
    )
    items = models.JSONField(
        _("item details"),
        help_text=_(
            '{"L1P1.1": {"status": "scored", "s": "0.9800", "achievement": "0.9800", '
            '"met": false}, ...}'
        ),
    )

    class Meta:
        verbose_name = _("score details")
        verbose_name_plural = _("score details")

    def __str__(self) -> str:
        return str(self.scorecard_id)


class IndicatorScore(models.Model):
    """One indicator of a scorecard, as a row so dashboards can group and average by SQL;
    it carries the round so per-indicator figures of a round need no join."""

    scorecard = models.ForeignKey(
        ScoreCard, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("scorecard")
    )
    round = models.ForeignKey(
        "assessments.Round", on_delete=models.CASCADE, related_name="+", verbose_name=_("round")
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("indicator"),
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3)
    met = models.BooleanField(_("met"))

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "indicator"], name="indicator_score_one_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=models.F("weight")),
                name="indicator_score_within_weight",
            ),
        ]
        indexes = [
            # Averages per indicator, and communities sorted by one indicator (heat map).
            models.Index(fields=["round", "indicator", "-score"], name="indicator_score_round_ind"),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard_id}:{self.indicator_id} {self.score}"
