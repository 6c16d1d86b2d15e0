"""The loader rejects broken framework files, naming each problem."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from indicators.framework_file import (
    FrameworkFileError,
    bundled_framework_files,
    parse_framework_text,
)

BUNDLED = next(p for p in bundled_framework_files() if "3890" in p.name)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))


def indicator(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for p in data["primaries"] for i in p["indicators"] if i["code"] == code)


def item(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(it for it in indicator(data, code.split(".")[0])["items"] if it["code"] == code)


def errors_after(raw: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> list[str]:
    data = copy.deepcopy(raw)
    change(data)
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework_text(yaml.safe_dump(data, allow_unicode=True), source="test.yaml")
    return caught.value.errors


def test_bundled_file_parses_cleanly(raw):
    definition = parse_framework_text(BUNDLED.read_text(encoding="utf-8"), source=BUNDLED.name)
    assert len(definition.items) == 46
    assert definition.content_hash


def test_content_hash_ignores_comments_and_layout(raw):
    text = BUNDLED.read_text(encoding="utf-8")
    a = parse_framework_text(text, source="a")
    b = parse_framework_text(
        "# another comment\n" + yaml.safe_dump(raw, allow_unicode=True), source="b"
    )
    assert a.content_hash == b.content_hash


def test_rejects_duplicate_indicator_code(raw):
    errors = errors_after(raw, lambda d: indicator(d, "L1P2").update(code="L1P1"))
    assert "L1P1: duplicate code (used 2 times)" in errors


def test_rejects_duplicate_item_code(raw):
    errors = errors_after(raw, lambda d: item(d, "L1P1.2").update(code="L1P1.1"))
    assert any("L1P1.1" in e and "duplicate" in e.lower() for e in errors), errors


def test_rejects_secondary_weights_not_summing_to_100(raw):
    def change(d):
        indicator(d, "L1P1")["weight"] = "4.0"
        d["primaries"][0]["weight"] = "30.0"

    errors = errors_after(raw, change)
    assert errors == ["DB37/T 3890.3-2020: indicator weights sum to 101, not 100"]


def test_rejects_primary_weight_not_equal_to_its_indicators(raw):
    errors = errors_after(raw, lambda d: d["primaries"][1].update(weight="38.0"))
    assert errors == ["L2: weight 38 differs from the sum of its indicator weights (39)"]


@pytest.mark.parametrize(
    ("code", "change", "needle"),
    [
        ("L1P1.1", {"target": "0"}, "target"),
        ("L1P1.1", {"comparator": "le"}, "comparator"),
        ("L1P1.1", {"comparator": "about"}, "comparator"),
        ("L1P7.1", {"min_required": 9}, "min_required"),
        ("L4P1.1", {"max_level": 0}, "max_level"),
        ("L1P1.2", {"target": "1"}, "target"),
        ("L1P1.1", {"bounded": "yes please"}, "bounded"),
    ],
)
def test_rejects_item_parameters_invalid_for_the_type(raw, code, change, needle):
    errors = errors_after(raw, lambda d: item(d, code).update(change))
    assert any(code in e and needle in e for e in errors), errors


def test_rejects_an_option_code_used_twice(raw):
    errors = errors_after(raw, lambda d: item(d, "L1P2.2")["options"][1].update(code="a"))
    assert errors == ["L1P2.2: duplicate option 'a' in options"]


def test_rejects_unknown_keys_and_types(raw):
    def change(d):
        item(d, "L1P1.1")["traget"] = "1"
        item(d, "L1P1.2")["type"] = "yesno"

    errors = errors_after(raw, change)
    assert any("L1P1.1" in e and "traget" in e for e in errors), errors
    assert any("L1P1.2" in e and "yesno" in e for e in errors), errors


def test_reports_every_problem_at_once(raw):
    def change(d):
        item(d, "L1P1.1")["target"] = "-1"
        item(d, "L2P2.2")["options"][2]["code"] = "a"
        d["primaries"][3]["weight"] = "11"

    errors = errors_after(raw, change)
    assert len(errors) >= 3, errors


def test_rejects_invalid_yaml():
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework_text("primaries: [unclosed", source="broken.yaml")
    assert "YAML" in caught.value.errors[0]


def test_rejects_a_wrong_file_format_version(raw):
    errors = errors_after(raw, lambda d: d.update(format=2))
    assert any("format" in e for e in errors), errors
