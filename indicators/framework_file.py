"""Parse and check a framework data file (YAML) without touching the database.

The file format is generic: any indicator system made of primaries, weighted indicators and
typed items loads from its own file. ``parse_framework_file`` returns a ``FrameworkDefinition``
or raises ``FrameworkFileError`` listing every problem found, each naming its place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

FILE_FORMAT = 1
FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"

_FRAMEWORK_KEYS = {
    "format",
    "code",
    "version",
    "title_zh",
    "title_en",
    "short_title_zh",
    "short_title_en",
    "issuer_zh",
    "issuer_en",
    "published",
    "effective",
    "grade_bands",
    "primaries",
}
_PRIMARY_KEYS = {"code", "name_zh", "name_en", "weight", "indicators"}
_INDICATOR_KEYS = {
    "code",
    "name_zh",
    "name_en",
    "weight",
    "definition_zh",
    "definition_en",
    "requirement_zh",
    "requirement_en",
    "items",
}
_ITEM_COMMON_KEYS = {
    "code",
    "type",
    "name_zh",
    "name_en",
    "help_zh",
    "help_en",
    "weight",
    "conditional",
    "interpretation",
    "interpretation_note_zh",
    "interpretation_note_en",
}
_ITEM_TYPE_KEYS: dict[str, set[str]] = {
    "ratio": {"target", "comparator", "bounded", "labels"},
    "saving": {"target", "comparator", "labels", "unit"},
    "max_value": {"target", "comparator", "labels", "unit"},
    "count_min": {"target", "comparator", "labels", "unit"},
    "boolean": set(),
    "checklist": {"options", "min_required", "na_options"},
    "graded": {"max_level", "levels", "record_choices"},
}
_LABEL_KEYS: dict[str, set[str]] = {
    "ratio": {"numerator", "denominator"},
    "saving": {"baseline", "actual"},
    "max_value": {"value"},
    "count_min": {"count"},
}
_COMPARATORS = ("ge", "gt", "le", "lt")
_BAND_KEYS = {"code", "minimum", "name_zh", "name_en"}
_OPTION_KEYS = {"code", "name_zh", "name_en"}


class FrameworkFileError(Exception):
    """A framework file that cannot be loaded; ``errors`` has one line per problem."""

    def __init__(self, source: str, errors: list[str]) -> None:
        self.source = source
        self.errors = errors
        super().__init__(f"{source}: " + "; ".join(errors))


@dataclass(frozen=True)
class OptionDefinition:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class ItemDefinition:
    code: str
    type: str
    name_zh: str
    name_en: str
    help_zh: str
    help_en: str
    weight: Decimal
    params: dict[str, Any]
    options: tuple[OptionDefinition, ...]


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    name_zh: str
    name_en: str
    weight: Decimal
    definition_zh: str
    definition_en: str
    requirement_zh: str
    requirement_en: str
    items: tuple[ItemDefinition, ...]


@dataclass(frozen=True)
class PrimaryDefinition:
    code: str
    name_zh: str
    name_en: str
    weight: Decimal
    indicators: tuple[IndicatorDefinition, ...]


@dataclass(frozen=True)
class FrameworkDefinition:
    code: str
    version: str
    title_zh: str
    title_en: str
    short_title_zh: str
    short_title_en: str
    issuer_zh: str
    issuer_en: str
    published: dt.date | None
    effective: dt.date | None
    grade_bands: tuple[dict[str, Any], ...]
    primaries: tuple[PrimaryDefinition, ...]
    source_file: str
    content_hash: str

    @property
    def indicators(self) -> tuple[IndicatorDefinition, ...]:
        return tuple(ind for p in self.primaries for ind in p.indicators)

    @property
    def items(self) -> tuple[ItemDefinition, ...]:
        return tuple(item for ind in self.indicators for item in ind.items)


class _Reader:
    """Collects problems while walking the parsed YAML, so all are reported at once."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def mapping(self, value: Any, where: str, allowed: set[str], required: set[str]) -> dict:
        if not isinstance(value, Mapping):
            self.error(where, "must be a mapping of keys to values")
            return {}
        for key in sorted(set(value) - allowed, key=str):
            self.error(where, f"unknown key {key!r}")
        for key in sorted(required - set(value)):
            self.error(where, f"missing key {key!r}")
        return dict(value)

    def text(self, data: dict, key: str, where: str, *, required: bool = False) -> str:
        value = data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(where, f"{key} must be text")
            return ""
        value = str(value).strip()
        if required and not value:
            self.error(where, f"{key} must not be empty")
        return value

    def decimal(self, data: dict, key: str, where: str, default: Decimal | None = None) -> Decimal:
        if key not in data:
            if default is None:
                self.error(where, f"missing {key}")
                return Decimal(0)
            return default
        raw = data[key]
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            self.error(where, f"{key} must be a number, got {raw!r}")
            return Decimal(0)
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            self.error(where, f"{key} must be a number, got {raw!r}")
            return Decimal(0)
        if not number.is_finite():
            self.error(where, f"{key} must be finite")
            return Decimal(0)
        return number

    def date(self, data: dict, key: str, where: str) -> dt.date | None:
        raw = data.get(key)
        if raw is None:
            return None
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            self.error(where, f"{key} must be a date (YYYY-MM-DD), got {raw!r}")
            return None

    def sequence(self, data: dict, key: str, where: str) -> list:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            self.error(where, f"{key} must be a non-empty list")
            return []
        return value


def _canonical(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def content_hash(data: Any) -> str:
    """A hash of the parsed content: comments and layout changes do not change it."""
    canonical = json.dumps(_canonical(data), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_framework_file(path: Path) -> FrameworkDefinition:
    """Read, parse and fully check a framework file."""
    try:
        raw_text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkFileError(str(path), [f"cannot read the file: {exc.strerror}"]) from None
    return parse_framework_text(raw_text, source=path.name)


def parse_framework_text(raw_text: str, *, source: str) -> FrameworkDefinition:
    try:
        data = yaml.safe_load(raw_text)
    except yaml.YAMLError as exc:
        raise FrameworkFileError(source, [f"not valid YAML: {exc}"]) from None
    reader = _Reader()
    definition = _read_framework(reader, data, source)
    if not reader.errors:
        # Semantic checks (weights, duplicates, item parameters) live with the engine's specs.
        from indicators.specs import spec_from_definition

        reader.errors.extend(spec_from_definition(definition).check())
    if reader.errors:
        raise FrameworkFileError(source, reader.errors)
    return definition


def _read_framework(reader: _Reader, data: Any, source: str) -> FrameworkDefinition:
    top = reader.mapping(
        data,
        "file",
        _FRAMEWORK_KEYS,
        {"format", "code", "version", "title_zh", "grade_bands", "primaries"},
    )
    if top and top.get("format") != FILE_FORMAT:
        reader.error("file", f"format must be {FILE_FORMAT}, got {top.get('format')!r}")
    bands = tuple(
        _read_band(reader, band, f"grade_bands[{n}]")
        for n, band in enumerate(reader.sequence(top, "grade_bands", "file") if top else [])
    )
    primaries = tuple(
        _read_primary(reader, primary, f"primaries[{n}]")
        for n, primary in enumerate(reader.sequence(top, "primaries", "file") if top else [])
    )
    return FrameworkDefinition(
        code=reader.text(top, "code", "file", required=True),
        version=reader.text(top, "version", "file", required=True),
        title_zh=reader.text(top, "title_zh", "file", required=True),
        title_en=reader.text(top, "title_en", "file"),
        short_title_zh=reader.text(top, "short_title_zh", "file"),
        short_title_en=reader.text(top, "short_title_en", "file"),
        issuer_zh=reader.text(top, "issuer_zh", "file"),
        issuer_en=reader.text(top, "issuer_en", "file"),
        published=reader.date(top, "published", "file"),
        effective=reader.date(top, "effective", "file"),
        grade_bands=bands,
        primaries=primaries,
        source_file=source,
        content_hash=content_hash(data),
    )


def _read_band(reader: _Reader, raw: Any, where: str) -> dict[str, Any]:
    data = reader.mapping(raw, where, _BAND_KEYS, {"code", "minimum", "name_zh"})
    return {
        "code": reader.text(data, "code", where, required=True),
        "minimum": str(reader.decimal(data, "minimum", where)),
        "name_zh": reader.text(data, "name_zh", where, required=True),
        "name_en": reader.text(data, "name_en", where),
    }


def _read_primary(reader: _Reader, raw: Any, where: str) -> PrimaryDefinition:
    where = _where(raw, where)
    data = reader.mapping(raw, where, _PRIMARY_KEYS, {"code", "name_zh", "weight", "indicators"})
    code = reader.text(data, "code", where, required=True)
    return PrimaryDefinition(
        code=code,
        name_zh=reader.text(data, "name_zh", where, required=True),
        name_en=reader.text(data, "name_en", where),
        weight=reader.decimal(data, "weight", where),
        indicators=tuple(
            _read_indicator(reader, ind, f"{where}.indicators[{n}]")
            for n, ind in enumerate(reader.sequence(data, "indicators", where) if data else [])
        ),
    )


def _read_indicator(reader: _Reader, raw: Any, where: str) -> IndicatorDefinition:
    where = _where(raw, where)
    data = reader.mapping(raw, where, _INDICATOR_KEYS, {"code", "name_zh", "weight", "items"})
    code = reader.text(data, "code", where, required=True)
    return IndicatorDefinition(
        code=code,
        name_zh=reader.text(data, "name_zh", where, required=True),
        name_en=reader.text(data, "name_en", where),
        weight=reader.decimal(data, "weight", where),
        definition_zh=reader.text(data, "definition_zh", where),
        definition_en=reader.text(data, "definition_en", where),
        requirement_zh=reader.text(data, "requirement_zh", where),
        requirement_en=reader.text(data, "requirement_en", where),
        items=tuple(
            _read_item(reader, item, f"{where}.items[{n}]")
            for n, item in enumerate(reader.sequence(data, "items", where) if data else [])
        ),
    )


def _where(raw: Any, fallback: str) -> str:
    """Name a place by its code when it has one, else by its position in the file."""
    code = raw.get("code") if isinstance(raw, Mapping) else None
    return str(code) if isinstance(code, str) and code.strip() else fallback


def _read_item(reader: _Reader, raw: Any, where: str) -> ItemDefinition:
    where = _where(raw, where)
    item_type = raw.get("type") if isinstance(raw, Mapping) else None
    if item_type not in _ITEM_TYPE_KEYS:
        if isinstance(raw, Mapping):
            reader.error(
                where, f"type must be one of {', '.join(_ITEM_TYPE_KEYS)}, got {item_type!r}"
            )
        else:
            reader.error(where, "must be a mapping of keys to values")
        return ItemDefinition("", "", "", "", "", "", Decimal(1), {}, ())
    allowed = _ITEM_COMMON_KEYS | _ITEM_TYPE_KEYS[item_type]
    required = (
        {"code", "type", "name_zh"}
        | ({"target"} if item_type in _LABEL_KEYS else set())
        | ({"options"} if item_type == "checklist" else set())
        | ({"max_level"} if item_type == "graded" else set())
    )
    data = reader.mapping(raw, where, allowed, required)
    code = reader.text(data, "code", where, required=True)
    params = _read_params(reader, data, item_type, where)
    options: tuple[OptionDefinition, ...] = ()
    if item_type == "checklist":
        options = tuple(
            _read_option(reader, opt, f"{where}.options[{n}]")
            for n, opt in enumerate(reader.sequence(data, "options", where))
        )
    return ItemDefinition(
        code=code,
        type=item_type,
        name_zh=reader.text(data, "name_zh", where, required=True),
        name_en=reader.text(data, "name_en", where),
        help_zh=reader.text(data, "help_zh", where),
        help_en=reader.text(data, "help_en", where),
        weight=reader.decimal(data, "weight", where, default=Decimal(1)),
        params=params,
        options=options,
    )


def _read_option(reader: _Reader, raw: Any, where: str) -> OptionDefinition:
    data = reader.mapping(raw, where, _OPTION_KEYS, {"code", "name_zh"})
    return OptionDefinition(
        code=reader.text(data, "code", where, required=True),
        name_zh=reader.text(data, "name_zh", where, required=True),
        name_en=reader.text(data, "name_en", where),
    )


def _read_flag(reader: _Reader, data: dict, key: str, where: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        reader.error(where, f"{key} must be true or false, got {value!r}")
        return False
    return value


def _read_int(reader: _Reader, data: dict, key: str, where: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        reader.error(where, f"{key} must be a whole number, got {value!r}")
        return None
    return value


def _read_bilingual(reader: _Reader, raw: Any, where: str) -> dict[str, str]:
    data = reader.mapping(raw, where, {"zh", "en"}, {"zh"})
    return {
        "zh": reader.text(data, "zh", where, required=True),
        "en": reader.text(data, "en", where),
    }


def _read_params(reader: _Reader, data: dict, item_type: str, where: str) -> dict[str, Any]:
    """The engine parameters and display texts of an item, as stored in Item.params."""
    params: dict[str, Any] = {}
    if _read_flag(reader, data, "conditional", where):
        params["conditional"] = True
    if _read_flag(reader, data, "interpretation", where):
        params["interpretation"] = True
        for key in ("interpretation_note_zh", "interpretation_note_en"):
            if data.get(key):
                params[key] = reader.text(data, key, where)
    if item_type in _LABEL_KEYS:
        params["target"] = str(reader.decimal(data, "target", where))
        comparator = data.get("comparator", "le" if item_type == "max_value" else "ge")
        if comparator not in _COMPARATORS:
            reader.error(
                where, f"comparator must be one of {', '.join(_COMPARATORS)}, got {comparator!r}"
            )
        params["comparator"] = comparator
        labels_raw = data.get("labels", {})
        labels = reader.mapping(labels_raw, f"{where}.labels", _LABEL_KEYS[item_type], set())
        params["labels"] = {
            key: _read_bilingual(reader, value, f"{where}.labels.{key}")
            for key, value in labels.items()
        }
        if "unit" in data:
            params["unit"] = _read_bilingual(reader, data["unit"], f"{where}.unit")
    if item_type == "ratio" and _read_flag(reader, data, "bounded", where):
        params["bounded"] = True
    if item_type == "checklist":
        min_required = _read_int(reader, data, "min_required", where)
        if min_required is not None:
            params["min_required"] = min_required
        if _read_flag(reader, data, "na_options", where):
            params["na_options"] = True
    if item_type == "graded":
        params["max_level"] = _read_int(reader, data, "max_level", where) or 0
        if "levels" in data:
            params["levels"] = _read_levels(reader, data["levels"], where)
        if "record_choices" in data:
            params["record_choices"] = _read_record_choices(reader, data["record_choices"], where)
    return params


def _read_levels(reader: _Reader, raw: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        reader.error(where, "levels must be a list")
        return []
    levels = []
    for n, entry in enumerate(raw):
        spot = f"{where}.levels[{n}]"
        data = reader.mapping(entry, spot, {"level", "zh", "en"}, {"level", "zh"})
        level = _read_int(reader, data, "level", spot)
        if level is not None and level != n:
            reader.error(spot, f"levels must be listed in order from 0; expected {n}, got {level}")
        levels.append(
            {
                "level": level,
                "zh": reader.text(data, "zh", spot),
                "en": reader.text(data, "en", spot),
            }
        )
    return levels


def _read_record_choices(reader: _Reader, raw: Any, where: str) -> dict[str, list[dict[str, str]]]:
    if not isinstance(raw, Mapping) or not raw:
        reader.error(where, "record_choices must be a mapping of field names to choice lists")
        return {}
    choices: dict[str, list[dict[str, str]]] = {}
    for field, entries in raw.items():
        spot = f"{where}.record_choices.{field}"
        if not isinstance(entries, list) or not entries:
            reader.error(spot, "must be a non-empty list")
            continue
        parsed = []
        for n, entry in enumerate(entries):
            data = reader.mapping(
                entry,
                f"{spot}[{n}]",
                _OPTION_KEYS - {"name_zh", "name_en"} | {"zh", "en"},
                {"code", "zh"},
            )
            parsed.append(
                {
                    "code": reader.text(data, "code", spot, required=True),
                    "zh": reader.text(data, "zh", spot, required=True),
                    "en": reader.text(data, "en", spot),
                }
            )
        codes = [c["code"] for c in parsed]
        if len(set(codes)) != len(codes):
            reader.error(spot, "choice codes must be unique")
        choices[str(field)] = parsed
    return choices


def bundled_framework_files() -> list[Path]:
    """The framework files shipped with the portal, loaded by set-up."""
    return sorted(FRAMEWORKS_DIR.glob("*.yaml"))


def bundled_definition(code: str, version: str | None = None) -> FrameworkDefinition | None:
    """The bundled framework with this code (the given version, else the highest one)."""
    found = [
        definition
        for definition in map(parse_framework_file, bundled_framework_files())
        if definition.code == code and (version is None or definition.version == version)
    ]
    if not found:
        return None
    return max(found, key=lambda d: [int(p) if p.isdigit() else p for p in d.version.split(".")])
