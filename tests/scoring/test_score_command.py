"""`manage.py score`: scoring.md section 7, no database, one line per problem."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK = "DB37/T 3890.3-2020"
WORKED_EXAMPLE = {
    "L1P8.1": {"numerator": 480, "denominator": 1000},
    "L1P8.2": {"baseline": 200000, "actual": 170000},
}


def run_score(tmp_path: Path, payload: object, *args: str) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "answers.json"
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    source.write_text(text, encoding="utf-8")
    # An unreachable database proves the command never connects to one.
    env = {
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "score", "--input", str(source), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_json_output_follows_section_7(tmp_path):
    result = run_score(tmp_path, {"framework": FRAMEWORK, "answers": WORKED_EXAMPLE})
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"framework", "total", "grade", "complete", "primaries", "indicators"}
    assert out["framework"] == FRAMEWORK
    assert out["total"] == 3.88 and out["complete"] is False
    assert out["grade"] == "needs_improvement"
    assert out["primaries"]["L1"] == {"score": 3.88, "weight": 29.0}
    l1p8 = out["indicators"]["L1P8"]
    assert l1p8 == {
        "score": 3.88,
        "weight": 5.0,
        "met": False,
        "items": {
            "L1P8.1": {"s": 0.8, "achievement": 0.48, "met": False},
            "L1P8.2": {"s": 0.75, "achievement": 0.15, "met": False},
        },
    }
    assert len(out["indicators"]) == 24
    assert out["indicators"]["L1P1"]["items"]["L1P1.1"] == {
        "s": 0.0,
        "achievement": None,
        "met": False,
    }


def test_text_output_is_a_table_of_the_24_indicators_in_chinese(tmp_path):
    result = run_score(
        tmp_path, {"framework": FRAMEWORK, "answers": WORKED_EXAMPLE}, "--format", "text"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "权重" in lines[2] and "得分" in lines[2] and "达标" in lines[2]
    rows = [line for line in lines if line[:2] in ("L1", "L2", "L3", "L4")]
    assert len(rows) == 24
    l1p8 = next(line for line in rows if line.startswith("L1P8"))
    assert "智能照明" in l1p8 and "5.00" in l1p8 and "3.88" in l1p8 and l1p8.endswith("否")
    assert "总分: 3.88" in result.stdout and "待提升" in result.stdout


def test_text_output_in_english(tmp_path):
    result = run_score(
        tmp_path,
        {"framework": FRAMEWORK, "answers": WORKED_EXAMPLE},
        "--format",
        "text",
        "--lang",
        "en",
    )
    assert "Smart lighting" in result.stdout and "Needs improvement" in result.stdout


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("{not json", ["input: not valid JSON"]),
        ([1, 2], ["input: the top level must be a JSON object"]),
        ({"framework": "GB/T 1", "answers": {}}, ["input: unknown framework 'GB/T 1'"]),
        ({"answers": {}, "extra": 1}, ["input: unknown key 'extra'", 'input: "framework"']),
        (
            {
                "framework": FRAMEWORK,
                "answers": {
                    "L1P1.1": {"numerator": 5, "denominator": 0},
                    "L2P1.1": {"count": 2.5},
                    "L9P9.1": {"value": True},
                    "L1P1.2": {"value": "yes"},
                },
            },
            ["L1P1.1:", "L1P1.2:", "L2P1.1:", "L9P9.1:"],
        ),
        (
            '{"framework": "DB37/T 3890.3-2020", "answers": {"L1P1.1": {"numerator": NaN, '
            '"denominator": 1}}}',
            ["input: not valid JSON"],
        ),
    ],
)
def test_bad_input_exits_non_zero_with_one_line_per_problem(tmp_path, payload, expected):
    result = run_score(tmp_path, payload)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(expected), lines
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), lines


def test_missing_input_file_is_reported(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "score", "--input", str(tmp_path / "none.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("input: cannot read")


@pytest.mark.django_db
def test_rescore_round_command_scores_and_ranks_a_round(
    make_answered, open_round, capsys, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from scoring.models import ScoreCard

    made = [make_answered(seed=n) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rescore_round", open_round.name, "--chunk-size", "2")
    assert "3 assessments in 2 chunks" in capsys.readouterr().out
    ranks = list(
        ScoreCard.objects.filter(round=open_round).order_by("rank").values_list("rank", flat=True)
    )
    assert ranks[0] == 1 and len(ranks) == len(made)


@pytest.mark.django_db
def test_rescore_round_command_names_an_unknown_round():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no round"):
        call_command("rescore_round", "no such round")
