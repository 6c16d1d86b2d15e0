"""Public notices (公示) of a round's approved results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PublicNotice(models.Model):
    """A round's approved results published for public comment, for the province or one
    city or district, over a notice period, with a contact for objections. It lists only
    approved assessments (read when shown, so a result reopened since drops out) and
    nothing personal. An administrator publishes and may withdraw it; a withdrawn notice is
    no longer shown."""

    round = models.ForeignKey(
        "assessments.Round",
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("round"),
    )
    region = models.ForeignKey(
        "assessments.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty for the whole province."),
    )
    title = models.CharField(_("title"), max_length=200)
    preamble = models.TextField(_("preamble"), blank=True)
    period_start = models.DateField(_("notice period start"))
    period_end = models.DateField(_("notice period end"))
    contact = models.CharField(
        _("contact for objections"),
        max_length=300,
        help_text=_("The office, telephone and address that receive objections."),
    )
    issuer = models.CharField(_("issued by"), max_length=200)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-published_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="notice_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
