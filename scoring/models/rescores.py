"""Whole-round rescores, tracked in chunks."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RoundJob(models.Model):
    """A job over a whole round, run by tasks: its state, when it ran and why it failed."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-started_at"]


class RescoreRun(RoundJob):
    """A whole-round rescore, split into chunks that are tracked here, so a lost or killed
    task is found and finished by the sweep (or by starting the rescore again)."""

    round = models.ForeignKey(
        "assessments.Round",
        on_delete=models.CASCADE,
        related_name="rescore_runs",
        verbose_name=_("round"),
    )
    chunks_total = models.PositiveIntegerField(_("chunks"))
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    assessments_total = models.PositiveIntegerField(_("assessments"))

    class Meta(RoundJob.Meta):
        verbose_name = _("round rescore")
        verbose_name_plural = _("round rescores")
        constraints = [
            models.CheckConstraint(
                condition=Q(chunks_done__lte=models.F("chunks_total")),
                name="rescore_done_within_total",
            ),
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(status="running"),
                name="rescore_one_running_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.status} {self.chunks_done}/{self.chunks_total}"


class RescoreChunk(models.Model):
    """A slice of a round's assessments, scored by one task."""

    run = models.ForeignKey(
        RescoreRun, on_delete=models.CASCADE, related_name="chunks", verbose_name=_("run")
    )
    index = models.PositiveIntegerField(_("index"))
    assessment_ids = models.JSONField(_("assessment ids"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rescore chunk")
        verbose_name_plural = _("rescore chunks")
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="rescore_chunk_index_uniq"),
        ]
        indexes = [models.Index(fields=["run", "done_at"], name="rescore_chunk_pending")]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.index}"
