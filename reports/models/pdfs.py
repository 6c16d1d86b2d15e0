"""PDFs the portal hands out: the rendered files it keeps, the verification codes it has
printed on scorecards, and batches of scorecards zipped for download."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RenderedPdf(models.Model):
    """The latest rendering of one document (``key``, e.g. ``scorecard:41:zh``), kept in
    ``settings.PDF_ROOT``. ``fingerprint`` is the SHA-256 of the HTML it was rendered from:
    the same HTML gives the same PDF, so the file is reused while the fingerprint matches
    and replaced when the document changes. ``sha256`` is the hash of the file itself."""

    class Kind(models.TextChoices):
        SCORECARD = "scorecard", _("Scorecard")
        SUMMARY = "summary", _("Round summary")
        NOTICE = "notice", _("Public notice")

    key = models.CharField(_("document"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rendered_pdfs",
        verbose_name=_("assessment"),
    )
    language = models.CharField(_("language"), max_length=8)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    file_name = models.CharField(_("stored file"), max_length=100, help_text=_("Inside PDF_ROOT."))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    pages = models.PositiveSmallIntegerField(_("pages"))
    seconds = models.FloatField(_("rendering time (s)"))
    rendered_at = models.DateTimeField(_("rendered at"))

    class Meta:
        verbose_name = _("rendered PDF")
        verbose_name_plural = _("rendered PDFs")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["scorecard", "summary", "notice"]),
                name="rendered_pdf_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.sha256[:12]}"


class IssuedCode(models.Model):
    """A verification code printed on an approved scorecard. The code is a keyed hash of
    the figures it certifies (``figures``: total, grade, indicator scores, framework
    edition, approval), so a scorecard whose figures or approval change gets a new code and
    the old one reads as stale on the public verification page."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="issued_codes",
        verbose_name=_("assessment"),
    )
    figures = models.JSONField(_("certified figures"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code


class PdfBatch(models.Model):
    """A ZIP of the scorecards of a round (or of one city or district in it), built for its
    owner by tasks in chunks (``PdfBatchChunk``), so two workers share the rendering and a
    killed worker's chunk is delivered again and finished; files go a day later."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pdf_batches",
        verbose_name=_("owner"),
    )
    round = models.ForeignKey(
        "assessments.Round",
        on_delete=models.CASCADE,
        related_name="pdf_batches",
        verbose_name=_("round"),
    )
    region = models.ForeignKey(
        "assessments.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty for the whole province."),
    )
    language = models.CharField(_("language"), max_length=8)
    approved_only = models.BooleanField(_("approved scorecards only"), default=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    assessment_ids = models.JSONField(_("assessments"), default=list, blank=True)
    chunk_size = models.PositiveSmallIntegerField(_("chunk size"), default=10)
    done = models.PositiveIntegerField(_("scorecards rendered"), default=0)
    total = models.PositiveIntegerField(_("scorecards"), default=0)
    file_name = models.CharField(_("stored file"), max_length=100, blank=True)
    download_name = models.CharField(_("download name"), max_length=200)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scorecard batch")
        verbose_name_plural = _("scorecard batches")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="pdf_batch_done_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.status} {self.done}/{self.total}"

    @property
    def chunks_total(self) -> int:
        return -(-len(self.assessment_ids) // self.chunk_size) if self.assessment_ids else 0


class PdfBatchChunk(models.Model):
    """A finished chunk of a batch: recorded once, so a chunk delivered twice counts once."""

    batch = models.ForeignKey(
        PdfBatch, on_delete=models.CASCADE, related_name="chunks", verbose_name=_("batch")
    )
    number = models.PositiveIntegerField(_("number"))
    finished_at = models.DateTimeField(_("finished at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finished chunk")
        verbose_name_plural = _("finished chunks")
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="pdf_batch_chunk_once"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.number}"
