"""python manage.py load_framework [FILE ...]: load framework files (default: the bundled ones)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.framework_file import FrameworkFileError, bundled_framework_files
from indicators.services import FrameworkInUseError, framework_load_file


class Command(BaseCommand):
    help = (
        "Load indicator framework files idempotently (default: the files shipped with the portal)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="framework YAML files")

    def handle(self, *args: object, **options: Any) -> None:
        files: list[Path] = options["files"] or bundled_framework_files()
        problems: list[str] = []
        for path in files:
            try:
                result = framework_load_file(path=path)
            except FrameworkFileError as exc:
                problems.extend(f"{exc.source}: {error}" for error in exc.errors)
                continue
            except FrameworkInUseError as exc:
                problems.append(f"{path.name}: {exc}")
                continue
            fw = result.framework
            self.stdout.write(
                f"{fw.code} {fw.version}: {result.outcome.value} "
                f"({fw.primaries.count()} primary, {fw.indicators.count()} indicators, "
                f"{fw.items.count()} items)"
            )
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"{len(problems)} problem(s); nothing was loaded from those files.")
