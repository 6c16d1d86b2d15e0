"""Exports too large to answer at once: a job per request, written by a task."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    """A result export written in the background, in the owner's scope, into a private
    folder (``settings.EXPORT_ROOT``); only the owner may follow it and download the file.
    Jobs and their files are removed a day after they were made.

    ``params`` holds what the request asked for (round, filters, sort, language), so the
    task builds the same table the page shows.
    """

    class Kind(models.TextChoices):
        RANKING = "ranking", _("Ranking")
        MATRIX = "matrix", _("Indicator scores")

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    done = models.PositiveIntegerField(_("rows written"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    file_name = models.CharField(
        _("stored file"), max_length=100, blank=True, help_text=_("Inside EXPORT_ROOT.")
    )
    download_name = models.CharField(_("download name"), max_length=200)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="export_done_within_total"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["ranking", "matrix"]), name="export_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(format__in=["xlsx", "csv"]), name="export_format_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.kind}.{self.format} {self.status} {self.done}/{self.total}"
