"""python manage.py render_scorecard ASSESSMENT_ID --out FILE.pdf [--lang zh|en]: the PDF
scorecard the portal serves for that assessment (the stored file when it is current)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from reports.pdf.documents import LANGUAGES, DocumentUnavailable
from reports.pdf.scorecard import scorecard_document
from reports.pdf.store import pdf_path, pdf_store


class Command(BaseCommand):
    help = "Write the PDF scorecard of an assessment, the same file the portal serves."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("assessment_id", help="the assessment's id")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--lang", choices=sorted(LANGUAGES), default="zh")

    def handle(self, *args: object, **options: Any) -> None:
        key = str(options["assessment_id"])
        if not key.isdigit():
            raise CommandError(f"the assessment id must be a number, not {key!r}")
        out = Path(options["out"])
        if out.is_dir() or not out.parent.is_dir():
            raise CommandError(f"cannot write {out}: give a file in an existing folder")
        with translation.override("en"):
            try:
                document = scorecard_document(assessment_id=int(key), language=options["lang"])
            except DocumentUnavailable as exc:
                raise CommandError(str(exc)) from exc
        stored = pdf_store(document)
        shutil.copyfile(pdf_path(stored), out)
        self.stdout.write(
            f"{out}: {stored.pages} pages, {stored.size} bytes, sha256 {stored.sha256}"
        )
