"""python manage.py score --input FILE [--format json|text]: score one set of answers.

Reads the framework from its bundled file, never from or to the database. Bad input exits
with status 1 and one line per problem on stderr, each naming the item.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from indicators.framework_file import FrameworkDefinition, FrameworkFileError, bundled_definition
from indicators.specs import spec_from_definition
from scoring.engine import InvalidAnswers, ScoreResult, result_to_json, round_score, score

INPUT_KEYS = {"framework", "version", "answers", "rejected"}
LABELS = {
    "zh": {
        "code": "编码",
        "name": "指标",
        "weight": "权重",
        "score": "得分",
        "met": "达标",
        "yes": "是",
        "no": "否",
        "total": "总分",
        "grade": "等级",
        "complete": "完整",
    },
    "en": {
        "code": "Code",
        "name": "Indicator",
        "weight": "Weight",
        "score": "Score",
        "met": "Met",
        "yes": "yes",
        "no": "no",
        "total": "Total",
        "grade": "Grade",
        "complete": "Complete",
    },
}


class InputProblems(Exception):
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


class Command(BaseCommand):
    help = "Score one set of answers without touching the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help='answers JSON file ("-" for stdin)')
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="text labels")

    def handle(self, *args: object, **options: Any) -> None:
        try:
            definition, result = self._score(options["input"])
        except InputProblems as problems:
            for line in problems.lines:
                self.stderr.write(line)
            sys.exit(1)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result_to_json(result), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self._table(definition, result, options["lang"]))

    def _score(self, source: str) -> tuple[FrameworkDefinition, ScoreResult]:
        data = self._read(source)
        problems = [f"input: unknown key {key!r}" for key in sorted(set(data) - INPUT_KEYS)]
        code, answers = data.get("framework"), data.get("answers")
        rejected = data.get("rejected", [])
        if not isinstance(code, str):
            problems.append('input: "framework" must name a framework, e.g. "DB37/T 3890.3-2020"')
        if not isinstance(answers, dict):
            problems.append('input: "answers" must be an object of item code -> answer')
        if not isinstance(rejected, list) or not all(isinstance(c, str) for c in rejected):
            problems.append('input: "rejected" must be a list of item codes')
        version = data.get("version")
        if version is not None and not isinstance(version, str):
            problems.append('input: "version" must be text')
        if problems:
            raise InputProblems(problems)
        try:
            definition = bundled_definition(code, version)  # type: ignore[arg-type]
        except FrameworkFileError as exc:
            raise InputProblems([f"framework file: {e}" for e in exc.errors]) from None
        if definition is None:
            raise InputProblems([f"input: unknown framework {code!r}"])
        spec = spec_from_definition(definition)
        unknown = sorted(set(rejected) - set(spec.items))
        if unknown:
            raise InputProblems([f"{c}: rejected item is not in the framework" for c in unknown])
        try:
            return definition, score(spec, answers, rejected=rejected)  # type: ignore[arg-type]
        except InvalidAnswers as exc:
            raise InputProblems([error.message for error in exc.errors]) from None

    def _read(self, source: str) -> dict[str, Any]:
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputProblems([f"input: cannot read {source}: {exc.strerror}"]) from None
        except UnicodeDecodeError:
            raise InputProblems([f"input: {source} is not UTF-8 text"]) from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except ValueError as exc:
            raise InputProblems([f"input: not valid JSON: {exc}"]) from None
        if not isinstance(data, dict):
            raise InputProblems(["input: the top level must be a JSON object"])
        return data

    def _table(self, definition: FrameworkDefinition, result: ScoreResult, lang: str) -> str:
        words = LABELS[lang]
        names = {
            ind.code: (ind.name_en or ind.name_zh) if lang == "en" else ind.name_zh
            for ind in definition.indicators
        }
        title = definition.title_en if lang == "en" and definition.title_en else definition.title_zh
        widths = (7, max(display_width(n) for n in names.values()) + 2, 8, 8)
        lines = [f"{definition.code}  {title}", ""]
        header = (
            pad(words["code"], widths[0])
            + pad(words["name"], widths[1])
            + pad(words["weight"], widths[2], right=True)
            + pad(words["score"], widths[3], right=True)
            + "  "
            + words["met"]
        )
        lines += [header, "-" * display_width(header)]
        for ind in result.indicators:
            lines.append(
                pad(ind.code, widths[0])
                + pad(names[ind.code], widths[1])
                + pad(str(round_score(ind.weight)), widths[2], right=True)
                + pad(str(round_score(ind.score)), widths[3], right=True)
                + "  "
                + (words["yes"] if ind.met else words["no"])
            )
        band = next(b for b in definition.grade_bands if b["code"] == result.grade)
        grade = (band["name_en"] or band["name_zh"]) if lang == "en" else band["name_zh"]
        lines += [
            "",
            f"{words['total']}: {result.total_rounded}   {words['grade']}: {grade}   "
            f"{words['complete']}: {words['yes'] if result.complete else words['no']}",
        ]
        return "\n".join(lines)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")
