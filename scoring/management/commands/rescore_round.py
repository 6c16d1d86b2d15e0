"""python manage.py rescore_round ROUND: rescore every assessment of a round and store ranks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.models import Round
from scoring.services import DEFAULT_CHUNK_SIZE, round_rescore_start


class Command(BaseCommand):
    help = (
        "Rescore a round (by id or exact name). With a broker the chunks go to the workers; "
        "without one they run here. Running it again finishes an interrupted rescore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round", help="round id or name")
        parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE)

    def handle(self, *args: object, **options: Any) -> None:
        key = options["round"]
        round_ = Round.objects.filter(pk=int(key)).first() if key.isdigit() else None
        round_ = round_ or Round.objects.filter(name=key).first()
        if round_ is None:
            raise CommandError(f"no round with id or name {key!r}")
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1")
        run = round_rescore_start(round=round_, chunk_size=options["chunk_size"])
        run.refresh_from_db()
        self.stdout.write(
            f"{round_.name}: {run.assessments_total} assessments in {run.chunks_total} chunks, "
            f"{run.chunks_done} done, {run.get_status_display()}"
        )
