"""Loading frameworks into the database: idempotent, versioned, never edited while in use."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.framework_file import parse_framework_file
from indicators.models import Framework, Indicator, Item, Option
from indicators.services import (
    FrameworkInUseError,
    LoadOutcome,
    framework_load,
    framework_load_file,
)
from tests.factories import make_round

MINI = Path(__file__).parent / "data" / "mini-checklist.yaml"

pytestmark = pytest.mark.django_db


def row_counts() -> tuple[int, int, int, int]:
    return (
        Framework.objects.count(),
        Indicator.objects.count(),
        Item.objects.count(),
        Option.objects.count(),
    )


def test_loading_the_same_file_twice_changes_nothing(framework, framework_definition):
    before = row_counts()
    result = framework_load(definition=framework_definition)
    assert result.outcome is LoadOutcome.UNCHANGED
    assert result.framework.pk == framework.pk
    assert row_counts() == before


def test_another_framework_loads_beside_from_its_own_file(framework):
    result = framework_load_file(path=MINI)
    assert result.outcome is LoadOutcome.CREATED
    fw = result.framework
    assert (fw.code, fw.version) == ("DEMO/T 0001-2024", "1")
    assert list(fw.items.values_list("code", flat=True)) == ["A1.1", "A1.2", "B1.1"]
    assert fw.items.get(code="A1.2").weight == 2
    assert Framework.objects.filter(code="DB37/T 3890.3-2020").count() == 1


def test_unused_framework_is_replaced_in_place_when_its_file_changes():
    first = framework_load_file(path=MINI).framework
    definition = parse_framework_file(MINI)
    changed = dataclasses.replace(definition, title_zh="改过的标题", content_hash="x" * 64)
    result = framework_load(definition=changed)
    assert result.outcome is LoadOutcome.UPDATED
    assert result.framework.pk == first.pk
    assert Framework.objects.get(pk=first.pk).title_zh == "改过的标题"
    assert result.framework.items.count() == 3


def test_framework_used_by_a_round_cannot_be_changed_in_place(framework, framework_definition):
    make_round(framework)
    changed = dataclasses.replace(framework_definition, title_zh="改过", content_hash="y" * 64)
    with pytest.raises(FrameworkInUseError, match="new version"):
        framework_load(definition=changed)
    framework.refresh_from_db()
    assert framework.title_zh != "改过"


def test_a_new_version_loads_beside_the_one_in_use(framework, framework_definition):
    make_round(framework)
    revised = dataclasses.replace(framework_definition, version="2020.2", content_hash="z" * 64)
    result = framework_load(definition=revised)
    assert result.outcome is LoadOutcome.CREATED
    assert Framework.objects.filter(code=framework.code).count() == 2
    assert framework.items.count() == 46 and result.framework.items.count() == 46


def test_load_framework_command_reports_each_problem_and_fails(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        MINI.read_text(encoding="utf-8")
        .replace('weight: "40"\n    indicators', 'weight: "41"\n    indicators')
        .replace("type: checklist", "type: list"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="problem"):
        call_command("load_framework", str(broken))
    err = capsys.readouterr().err.strip().splitlines()
    assert any("B1.1" in line and "type" in line for line in err), err
    assert Framework.objects.filter(code="DEMO/T 0001-2024").count() == 0


def test_load_framework_command_loads_bundled_files(capsys):
    call_command("load_framework")
    assert "DB37/T 3890.3-2020 2020.1" in capsys.readouterr().out
