"""The bundled DB37/T 3890.3-2020 data file says what docs/scoring.md section 5 says.

Section 5 of the scoring rules is normative: it lists every primary, indicator and item of the
standard with the item's type, parameters and checklist options. This module reads that
section line by line and compares it with the data file as ``parse_framework_file`` reads it.
Every bullet line of the section must be readable, so an edit of the document that the
reader does not understand fails loudly instead of silently dropping coverage.

No database is needed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from indicators.framework_file import FrameworkDefinition, ItemDefinition
from scoring.engine.enums import COMPARATORS, ItemType

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"
DOC_NAME = "docs/scoring.md"
SECTION_HEADING = "## 5. Items of DB37/T 3890.3-2020"
EXPECTED_COUNTS = (4, 24, 46)

_NUMBER = r"\d+(?:\.\d+)?"
# A Chinese name is one word holding Chinese characters; the English name follows it.
_ZH = r"\S*[\u3400-\u9fff]\S*"
PRIMARY_LINE = re.compile(rf"### (?P<code>L\d+) (?P<zh>{_ZH}) (?P<en>.+) \((?P<weight>{_NUMBER})\)")
INDICATOR_LINE = re.compile(
    rf"- \*\*(?P<code>L\d+P\d+) (?P<zh>{_ZH}) (?P<en>.+) \((?P<weight>{_NUMBER})\)\*\*"
)
# The header (code, type, parameters) ends at the first colon; the description follows.
ITEM_LINE = re.compile(
    r"  - (?P<code>L\d+P\d+\.\d+) (?P<type>[a-z_]+)(?P<params>[^:]*): (?P<text>.+)"
)
TARGET_PARAM = re.compile(
    rf"`(?:(?P<comparator>ge|gt|le|lt) )?(?P<target>{_NUMBER})`(?: (?P<unit>\w+))?"
)
INTEGER_PARAM = re.compile(r"`(?P<name>min_required|max_level) (?P<value>\d+)`")
FLAG_PARAMS = {"bounded": "bounded", "conditional": "conditional", "`na_options`": "na_options"}
INTERPRETATION = "(interp.)"
OPTION_SPLIT = re.compile(r", (?=[a-z] )")
OPTION = re.compile(r"(?P<code>[a-z]) (?P<text>.+)")
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
TARGET_TYPES = {item_type.value for item_type in COMPARATORS}


class ScoringDocError(AssertionError):
    """A line of section 5 that this reader cannot read; the message names the line."""

    def __init__(self, number: int, line: str, reason: str) -> None:
        super().__init__(f"{DOC_NAME} line {number}: {reason}: {line!r}")


@dataclass
class DocItem:
    code: str
    type: str
    line: int
    text: str
    comparator: str | None = None
    target: Decimal | None = None
    unit: str | None = None
    bounded: bool = False
    conditional: bool = False
    interpretation: bool = False
    na_options: bool = False
    min_required: int | None = None
    max_level: int | None = None
    options: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DocIndicator:
    code: str
    name_zh: str
    name_en: str
    weight: Decimal
    line: int
    items: list[DocItem] = field(default_factory=list)


@dataclass
class DocPrimary:
    code: str
    name_zh: str
    name_en: str
    weight: Decimal
    line: int
    indicators: list[DocIndicator] = field(default_factory=list)


# ---------------------------------------------------------------------------------- reading


def section_5(text: str) -> list[tuple[int, str]]:
    """(line number, line) of section 5, from the line after its heading to the next section."""
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines) if line.strip() == SECTION_HEADING]
    assert len(starts) == 1, f"{DOC_NAME}: expected one heading {SECTION_HEADING!r}"
    body = []
    for number, line in enumerate(lines[starts[0] + 1 :], start=starts[0] + 2):
        if line.startswith("## "):
            break
        body.append((number, line))
    return body


def read_section_5(text: str) -> list[DocPrimary]:
    """The primaries of section 5, each with its indicators and items, in document order."""
    primaries: list[DocPrimary] = []
    for number, line in section_5(text):
        if not line.strip():
            continue
        is_bullet = line.lstrip().startswith(("- ", "* ", "+ "))
        if not primaries and not line.startswith("#") and not is_bullet:
            continue  # the introduction of the section
        if line.startswith("#"):
            primaries.append(_read_primary(number, line))
        elif line.startswith("- "):
            if not primaries:
                raise ScoringDocError(number, line, "an indicator before any primary heading")
            primary = primaries[-1]
            indicator = _read_indicator(number, line)
            if not indicator.code.startswith(primary.code + "P"):
                raise ScoringDocError(number, line, f"indicator outside its primary {primary.code}")
            primary.indicators.append(indicator)
        elif line.startswith("  - "):
            if not primaries or not primaries[-1].indicators:
                raise ScoringDocError(number, line, "an item before any indicator")
            indicator = primaries[-1].indicators[-1]
            item = _read_item(number, line)
            if not item.code.startswith(indicator.code + "."):
                raise ScoringDocError(number, line, f"item outside its indicator {indicator.code}")
            indicator.items.append(item)
        else:
            raise ScoringDocError(number, line, "not a primary, indicator or item line")
    return primaries


def _read_primary(number: int, line: str) -> DocPrimary:
    match = PRIMARY_LINE.fullmatch(line)
    if match is None:
        raise ScoringDocError(number, line, "cannot read this primary heading")
    return DocPrimary(
        code=match["code"],
        name_zh=match["zh"],
        name_en=match["en"],
        weight=Decimal(match["weight"]),
        line=number,
    )


def _read_indicator(number: int, line: str) -> DocIndicator:
    match = INDICATOR_LINE.fullmatch(line)
    if match is None:
        raise ScoringDocError(number, line, "cannot read this indicator line")
    return DocIndicator(
        code=match["code"],
        name_zh=match["zh"],
        name_en=match["en"],
        weight=Decimal(match["weight"]),
        line=number,
    )


def _read_item(number: int, line: str) -> DocItem:
    match = ITEM_LINE.fullmatch(line)
    if match is None:
        raise ScoringDocError(number, line, "cannot read this item line")
    if match["type"] not in {item_type.value for item_type in ItemType}:
        raise ScoringDocError(number, line, f"unknown item type {match['type']!r}")
    item = DocItem(code=match["code"], type=match["type"], line=number, text=match["text"])
    params = match["params"]
    if params and not params.startswith(", "):
        raise ScoringDocError(number, line, "parameters must follow the type after ', '")
    seen: set[str] = set()
    for raw in params[2:].split(", ") if params else []:
        part = raw
        if part.endswith(INTERPRETATION):
            item.interpretation = True
            part = part.removesuffix(INTERPRETATION).rstrip()
            if not part:
                continue
        name = _read_param(item, part)
        if name is None:
            raise ScoringDocError(number, line, f"cannot read the parameter {raw!r}")
        if name in seen:
            raise ScoringDocError(number, line, f"parameter {name} given twice")
        seen.add(name)
    if item.type in TARGET_TYPES and item.target is not None and item.comparator is None:
        # no comparator written: the type's default (the engine's first allowed one)
        item.comparator = COMPARATORS[ItemType(item.type)][0].value
    if item.type == ItemType.CHECKLIST:
        item.options = _read_options(number, line, item.text)
    return item


def _read_param(item: DocItem, part: str) -> str | None:
    """Store one parameter of an item line; its name, or None when it is not readable."""
    if part in FLAG_PARAMS:
        setattr(item, FLAG_PARAMS[part], True)
        return FLAG_PARAMS[part]
    target = TARGET_PARAM.fullmatch(part)
    if target is not None:
        item.comparator = target["comparator"]
        item.target = Decimal(target["target"])
        item.unit = target["unit"]
        return "target"
    integer = INTEGER_PARAM.fullmatch(part)
    if integer is not None:
        setattr(item, integer["name"], int(integer["value"]))
        return integer["name"]
    return None


def _read_options(number: int, line: str, text: str) -> list[tuple[str, str]]:
    """(code, text) of the options of a checklist line: "a 4G, b 5G, c 公共WiFi public Wi-Fi"."""
    options = []
    for position, part in enumerate(OPTION_SPLIT.split(text)):
        match = OPTION.fullmatch(part)
        expected = chr(ord("a") + position)
        if match is None or match["code"] != expected:
            raise ScoringDocError(number, line, f"cannot read option {expected!r} in {part!r}")
        options.append((match["code"], match["text"]))
    return options


# ------------------------------------------------------------------------------ comparing


def _differ(errors: list[str], code: str, name: str, in_file: Any, in_doc: Any, line: int) -> None:
    if in_file != in_doc:
        errors.append(f"{code}: {name}: data file {in_file!r}, {DOC_NAME} line {line} {in_doc!r}")


def option_name_matches(name_zh: str, doc_text: str) -> bool:
    """The doc's text for an option is its Chinese name, then optionally a non-Chinese gloss
    (an English name, a note in brackets): "公共WiFi public Wi-Fi" for 公共WiFi."""
    if doc_text == name_zh:
        return True
    rest = doc_text.removeprefix(name_zh + " ")
    return rest != doc_text and CJK.search(rest) is None


def file_item_fields(item: ItemDefinition) -> dict[str, Any]:
    params = item.params
    return {
        "type": item.type,
        "comparator": params.get("comparator"),
        "target": Decimal(params["target"]) if "target" in params else None,
        "bounded": bool(params.get("bounded", False)),
        "conditional": bool(params.get("conditional", False)),
        "interpretation": bool(params.get("interpretation", False)),
        "na_options": bool(params.get("na_options", False)),
        "min_required": params.get("min_required"),
        "max_level": params.get("max_level") if item.type == ItemType.GRADED else None,
    }


def doc_item_fields(item: DocItem) -> dict[str, Any]:
    return {
        "type": item.type,
        "comparator": item.comparator,
        "target": item.target,
        "bounded": item.bounded,
        "conditional": item.conditional,
        "interpretation": item.interpretation,
        "na_options": item.na_options,
        "min_required": item.min_required,
        "max_level": item.max_level,
    }


def compare_item(errors: list[str], in_file: ItemDefinition, in_doc: DocItem) -> None:
    code, line = in_file.code, in_doc.line
    doc_fields = doc_item_fields(in_doc)
    for name, value in file_item_fields(in_file).items():
        _differ(errors, code, name, value, doc_fields[name], line)
    if in_doc.unit is not None:
        unit = in_file.params.get("unit", {}).get("en")
        _differ(errors, code, "unit", unit, in_doc.unit, line)
    if in_file.type == ItemType.CHECKLIST or in_doc.type == ItemType.CHECKLIST:
        codes = [option.code for option in in_file.options]
        _differ(errors, code, "options", codes, [option for option, _ in in_doc.options], line)
        for option, (doc_code, doc_text) in zip(in_file.options, in_doc.options, strict=False):
            if option.code == doc_code and not option_name_matches(option.name_zh, doc_text):
                errors.append(
                    f"{code}: option {option.code} name_zh: data file {option.name_zh!r}, "
                    f"{DOC_NAME} line {line} {doc_text!r}"
                )
    compare_labels(errors, in_file, in_doc)
    for name, choices in in_file.params.get("record_choices", {}).items():
        written = f"{name}: {'/'.join(choice['zh'] for choice in choices)}"
        # the whole list: not followed by another choice ("/") or more of a name
        if re.search(re.escape(written) + r"(?=$|[,;.)\s])", in_doc.text) is None:
            errors.append(
                f"{code}: record_choices.{name}: {DOC_NAME} line {line} does not say {written!r}"
            )


def compare_labels(errors: list[str], in_file: ItemDefinition, in_doc: DocItem) -> None:
    """The Chinese labels of a ratio ("N / D") or a saving ("baseline = B, actual = A")."""
    labels = {key: value["zh"] for key, value in in_file.params.get("labels", {}).items()}
    chinese = in_doc.text.split(" (")[0]
    doc_labels: dict[str, str] | None = None
    if in_file.type == ItemType.RATIO and labels:
        doc_labels = dict(zip(("numerator", "denominator"), chinese.split(" / "), strict=False))
    elif in_file.type == ItemType.SAVING and labels:
        match = re.fullmatch(r"baseline = (.+), actual = (.+)", chinese)
        doc_labels = {"baseline": match[1], "actual": match[2]} if match else {}
    if doc_labels is not None:
        _differ(errors, in_file.code, "labels", labels, doc_labels, in_doc.line)


def compare(definition: FrameworkDefinition, doc: list[DocPrimary]) -> list[str]:
    """Every difference between the data file and section 5, each naming its code and field;
    in data-file order."""
    errors: list[str] = []
    doc_indicators = [i for p in doc for i in p.indicators]
    levels: list[tuple[str, str, Sequence[Any], Sequence[Any]]] = [
        ("primary", "indicators", definition.primaries, doc),
        ("indicator", "items", definition.indicators, doc_indicators),
    ]
    for kind, children, file_nodes, doc_nodes in levels:
        _compare_codes(errors, kind, [n.code for n in file_nodes], [n.code for n in doc_nodes])
        by_code = {node.code: node for node in doc_nodes}
        for node in file_nodes:
            if node.code not in by_code:
                continue
            in_doc = by_code[node.code]
            for name in ("name_zh", "name_en", "weight"):
                _differ(
                    errors, node.code, name, getattr(node, name), getattr(in_doc, name), in_doc.line
                )
            _differ(
                errors,
                node.code,
                children,
                [child.code for child in getattr(node, children)],
                [child.code for child in getattr(in_doc, children)],
                in_doc.line,
            )
    doc_items = [item for i in doc_indicators for item in i.items]
    _compare_codes(
        errors, "item", [item.code for item in definition.items], [i.code for i in doc_items]
    )
    doc_by_code = {item.code: item for item in doc_items}
    for item in definition.items:
        if item.code in doc_by_code:
            compare_item(errors, item, doc_by_code[item.code])
    return errors


def _compare_codes(errors: list[str], kind: str, in_file: list[str], in_doc: list[str]) -> None:
    for code in in_file:
        if code not in in_doc:
            errors.append(f"{code}: {kind}: in the data file, missing from {DOC_NAME}")
    for code in in_doc:
        if code not in in_file:
            errors.append(f"{code}: {kind}: in {DOC_NAME}, missing from the data file")
    for code in sorted({code for code in in_doc if in_doc.count(code) > 1}):
        errors.append(f"{code}: {kind}: listed {in_doc.count(code)} times in {DOC_NAME}")


def weight_errors(primaries: list[tuple[str, Decimal, list[Decimal]]], source: str) -> list[str]:
    """Indicator weights sum to 100; a primary weighs the sum of its indicators."""
    errors = []
    for code, weight, indicator_weights in primaries:
        if weight != sum(indicator_weights, Decimal(0)):
            errors.append(
                f"{code}: weight: {source} gives {weight}, its indicators sum to "
                f"{sum(indicator_weights, Decimal(0))}"
            )
    total = sum((w for _, _, weights in primaries for w in weights), Decimal(0))
    if total != 100:
        errors.append(f"total: indicator weights in {source} sum to {total}, not 100")
    return errors


def doc_weights(doc: list[DocPrimary]) -> list[tuple[str, Decimal, list[Decimal]]]:
    return [(p.code, p.weight, [i.weight for i in p.indicators]) for p in doc]


def file_weights(definition: FrameworkDefinition) -> list[tuple[str, Decimal, list[Decimal]]]:
    return [(p.code, p.weight, [i.weight for i in p.indicators]) for p in definition.primaries]


def counts(doc: list[DocPrimary]) -> tuple[int, int, int]:
    indicators = [i for p in doc for i in p.indicators]
    return len(doc), len(indicators), sum(len(i.items) for i in indicators)


# ---------------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc(doc_text: str) -> list[DocPrimary]:
    return read_section_5(doc_text)


def test_section_5_lists_4_primaries_24_indicators_46_items(doc: list[DocPrimary]) -> None:
    assert counts(doc) == EXPECTED_COUNTS


def test_data_file_has_4_primaries_24_indicators_46_items(
    framework_definition: FrameworkDefinition,
) -> None:
    found = (
        len(framework_definition.primaries),
        len(framework_definition.indicators),
        len(framework_definition.items),
    )
    assert found == EXPECTED_COUNTS


def test_weights_add_up_in_the_doc_and_in_the_data_file(
    doc: list[DocPrimary], framework_definition: FrameworkDefinition
) -> None:
    errors = weight_errors(doc_weights(doc), DOC_NAME)
    errors += weight_errors(file_weights(framework_definition), "the data file")
    assert errors == [], "\n".join(errors)


def test_data_file_matches_section_5(
    doc: list[DocPrimary], framework_definition: FrameworkDefinition
) -> None:
    errors = compare(framework_definition, doc)
    assert errors == [], "\n".join(errors)


def test_every_item_type_and_parameter_is_covered(doc: list[DocPrimary]) -> None:
    """The reader really reads section 5: each kind of line shows up in what it returns."""
    items = [item for p in doc for i in p.indicators for item in i.items]
    assert {item.type for item in items} == {item_type.value for item_type in ItemType}
    assert {item.comparator for item in items} >= {"ge", "gt", "le"}
    for flag in ("bounded", "conditional", "interpretation", "na_options"):
        assert any(getattr(item, flag) for item in items), flag
    assert any(item.min_required for item in items)
    assert any(item.max_level for item in items)
    checklists = [item for item in items if item.type == ItemType.CHECKLIST]
    assert all(len(item.options) >= 2 for item in checklists), checklists


# ----------------------------------------------------------- the comparison catches errors


def mutated(doc_text: str, old: str, new: str) -> list[DocPrimary]:
    assert doc_text.count(old) == 1, f"{old!r} must occur once in {DOC_NAME}"
    return read_section_5(doc_text.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("L1P3.2 ratio, bounded, `ge 0.50`", "L1P3.2 ratio, bounded, `ge 0.55`", "L1P3.2: target"),
        (
            "L2P4.3 ratio, bounded, `gt 0.05`",
            "L2P4.3 ratio, bounded, `ge 0.05`",
            "L2P4.3: comparator",
        ),
        ("L1P1.1 ratio, bounded, `ge", "L1P1.1 ratio, `ge", "L1P1.1: bounded"),
        ("L1P7.2 boolean, conditional:", "L1P7.2 boolean:", "L1P7.2: conditional"),
        ("L3P1.1 checklist, `na_options`:", "L3P1.1 checklist:", "L3P1.1: na_options"),
        ("`min_required 2`", "`min_required 3`", "L1P7.1: min_required"),
        ("`max_level 4`", "`max_level 5`", "L4P1.1: max_level"),
        ("L1P5.3 boolean:", "L1P5.3 graded:", "L1P5.3: type"),
        ("c 公共WiFi public Wi-Fi", "c 公用WiFi public Wi-Fi", "L1P2.2: option c name_zh"),
        ("g 不良行为青少年 (registered", "g 不良行为少年 (registered", "L3P5.1: option g name_zh"),
        ("c 司法局 justice bureau (systems", "c 司法局, d 法院 courts (systems", "L3P5.2: options"),
        ("`le 15` minutes", "`le 15` hours", "L2P6.2: unit"),
        ("`ge 1.00` (interp.)", "`ge 1.00`", "L1P2.1: interpretation"),
        ("/ 社区内总车位数", "/ 社区内车位数", "L2P4.3: labels"),
        ("domain: 社区服务/社区安全", "domain: 社区服务", "L4P1.1: record_choices.domain"),
        (
            "domain: 社区服务/社区安全",
            "domain: 社区服务/社区安全/其他",
            "L4P1.1: record_choices.domain",
        ),
        ("5G/其他", "5G/其他人", "L4P1.1: record_choices.technology"),
        ("宽带网络 Broadband network (3.0)", "宽带网络 Broadband network (3.5)", "L1P1: weight"),
        ("### L4 服务创新 Service innovation", "### L4 创新服务 Service innovation", "L4: name_zh"),
    ],
)
def test_a_changed_doc_line_is_reported_for_exactly_that_item_and_field(
    doc_text: str, framework_definition: FrameworkDefinition, old: str, new: str, expected: str
) -> None:
    errors = compare(framework_definition, mutated(doc_text, old, new))
    assert len(errors) == 1, errors
    assert errors[0].startswith(expected + ":"), errors


def test_swapped_options_are_reported_for_both(
    doc_text: str, framework_definition: FrameworkDefinition
) -> None:
    doc = mutated(doc_text, "a 水 water, b 电 electricity", "a 电 electricity, b 水 water")
    errors = compare(framework_definition, doc)
    assert [error.split(":")[:2] for error in errors] == [
        ["L2P2.2", " option a name_zh"],
        ["L2P2.2", " option b name_zh"],
    ]


def test_an_item_missing_from_the_doc_is_reported(
    doc_text: str, framework_definition: FrameworkDefinition
) -> None:
    line = next(line for line in doc_text.splitlines() if line.startswith("  - L2P9.2 "))
    doc = mutated(doc_text, line + "\n", "")
    assert counts(doc) == (4, 24, 45)
    (l2p9,) = [i for p in doc for i in p.indicators if i.code == "L2P9"]
    assert compare(framework_definition, doc) == [
        f"L2P9: items: data file ['L2P9.1', 'L2P9.2'], docs/scoring.md line {l2p9.line} ['L2P9.1']",
        "L2P9.2: item: in the data file, missing from docs/scoring.md",
    ]


def test_an_item_listed_twice_in_the_doc_is_reported(
    doc_text: str, framework_definition: FrameworkDefinition
) -> None:
    line = next(line for line in doc_text.splitlines() if line.startswith("  - L2P9.2 "))
    errors = compare(framework_definition, mutated(doc_text, line, f"{line}\n{line}"))
    assert [error.split(": ")[:2] for error in errors] == [["L2P9", "items"], ["L2P9.2", "item"]]
    assert errors[1] == "L2P9.2: item: listed 2 times in docs/scoring.md"


def test_a_doc_without_a_comparator_means_the_default_one(
    doc_text: str, framework_definition: FrameworkDefinition
) -> None:
    doc = mutated(doc_text, "`le 15` minutes", "`15` minutes")
    assert compare(framework_definition, doc) == []
    doc = read_section_5(doc_text.replace("`ge 1.00`", "`1.00`").replace("`ge 3`", "`3`"))
    assert compare(framework_definition, doc) == []


def test_weights_that_do_not_add_up_are_reported(doc_text: str) -> None:
    doc = mutated(doc_text, "宽带网络 Broadband network (3.0)", "宽带网络 Broadband network (3.5)")
    assert weight_errors(doc_weights(doc), DOC_NAME) == [
        "L1: weight: docs/scoring.md gives 29, its indicators sum to 29.5",
        "total: indicator weights in docs/scoring.md sum to 100.5, not 100",
    ]


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("L1P1.1 ratio, bounded, `ge 1.00`", "L1P1.1 ratio, bounded, at least `1.00`", "parameter"),
        ("L1P1.1 ratio, bounded,", "L1P1.1 ratio, boundd,", "parameter"),
        ("L1P6.2 boolean:", "L1P6.2 yes_no:", "unknown item type"),
        ("L1P6.2 boolean:", "L1P6.2 boolean, conditional, conditional:", "given twice"),
        ("  - L1P6.2 boolean:", "  - L1P6.2 boolean -", "cannot read this item line"),
        ("  - L2P8.1 boolean:", "    - L2P8.1 boolean:", "not a primary, indicator or item line"),
        ("  - L2P8.1 boolean:", "  - L2P9.1 boolean:", "item outside its indicator"),
        ("**L1P6 智能运营中心 Intelligent", "**L1P6 Intelligent", "indicator line"),
        ("- **L3P2 安防消防", "- **L2P2 安防消防", "indicator outside its primary"),
        ("### L2 社区服务 Community services (39)", "### L2 社区服务 (39)", "primary heading"),
        ("a 4G, b 5G, c 公共WiFi", "a 4G, c 5G, b 公共WiFi", "cannot read option"),
        ("a 微信 WeChat, b APP", "微信 WeChat, b APP", "cannot read option"),
    ],
)
def test_a_line_the_reader_cannot_read_fails_naming_the_line(
    doc_text: str, old: str, new: str, reason: str
) -> None:
    changed = doc_text.replace(old, new, 1)
    assert changed != doc_text
    number = next(n for n, line in enumerate(changed.splitlines(), start=1) if new in line)
    with pytest.raises(ScoringDocError, match=reason) as raised:
        read_section_5(changed)
    assert str(raised.value).startswith(f"{DOC_NAME} line {number}: ")
    assert new.strip() in str(raised.value)
