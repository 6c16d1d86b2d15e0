"""The rows of an assessment sheet: one per answer path (contracts section 1), with the
item's text, the field's label, unit and target in words, and what may be entered."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from assessments.answer_messages import FIELD_LABELS
from assessments.answer_paths import APPLICATION_KEYS, NUMBER_FIELDS, TRUE, paths, read_number
from assessments.excel import layout
from assessments.models import Assessment
from assessments.services.answers import NOTE_MAX_LENGTH
from indicators.models import Framework, Indicator, Item
from indicators.selectors import framework_tree
from indicators.specs import framework_catalog
from indicators.text import is_english, pair_text
from scoring.engine import Comparator, ItemSpec, ItemType

# What a value cell takes; decides its drop-down list or number check.
NUMBER, WHOLE, YES_NO, FLAG, CODES, LEVEL, CHOICE, TEXT = (
    "number", "whole", "yes_no", "flag", "codes", "level", "choice", "text"
)  # fmt: skip

_SYMBOLS = {Comparator.GE: "≥", Comparator.GT: ">", Comparator.LE: "≤", Comparator.LT: "<"}


@dataclass(frozen=True)
class Row:
    """One row of an assessment sheet (without its value)."""

    path: str
    kind: str
    item: str = ""
    indicator: str = ""
    requirement: str = ""
    label: str = ""
    unit: str = ""
    target: str = ""
    description: str = ""
    choices: tuple[str, ...] = ()


def yes() -> str:
    return layout.YES["en" if is_english() else "zh"]


def no() -> str:
    return layout.NO["en" if is_english() else "zh"]


def none_word() -> str:
    return layout.NONE["en" if is_english() else "zh"]


def separator() -> str:
    return layout.SEPARATOR["en" if is_english() else "zh"]


def _number_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def target_text(item: Item, spec: ItemSpec) -> str:
    """The item's target as a person reads it: "≥ 60%", "≤ 15 分钟", "是"."""
    if spec.type in NUMBER_FIELDS and spec.target is not None:
        symbol = _SYMBOLS.get(spec.effective_comparator or Comparator.GE, "≥")
        target = Decimal(spec.target.numerator) / Decimal(spec.target.denominator)
        if spec.type in (ItemType.RATIO, ItemType.SAVING):
            return f"{symbol} {_number_text(target * 100)}%"
        unit = pair_text((item.params or {}).get("unit"))
        return f"{symbol} {_number_text(target)} {unit}".strip()
    if spec.type == ItemType.BOOLEAN:
        return yes()
    if spec.type == ItemType.CHECKLIST:
        if spec.min_required:
            return _("at least %(n)d options") % {"n": spec.min_required}
        return _("every applicable option")
    if spec.type == ItemType.GRADED and spec.max_level is not None:
        return _("Level %(level)s") % {"level": spec.max_level}
    return ""


class FrameworkRows:
    """The rows of a framework's sheets: built once per framework, then filled per
    assessment (only the number of application rows differs between assessments)."""

    def __init__(self, framework: Framework) -> None:
        self.catalog = framework_catalog(framework)
        self.indicators: list[tuple[Indicator, list[Item]]] = [
            (indicator, list(indicator.items.all()))
            for primary in framework_tree(framework=framework)
            for indicator in primary.indicators.all()
        ]
        self._item_rows = {
            item.code: self._rows_of(indicator, item)
            for indicator, items in self.indicators
            for item in items
        }

    def rows(self, answers: Mapping[str, Any]) -> list[Row]:
        """Every row of a sheet for these stored answers (item code -> engine answer)."""
        rows: list[Row] = []
        for indicator, items in self.indicators:
            for item in items:
                rows.extend(self._item_rows[item.code])
                spec = self.catalog.spec.items[item.code]
                if spec.type == ItemType.GRADED and spec.record_choices:
                    stored = answers.get(item.code)
                    count = len(stored.get("applications") or []) if isinstance(stored, dict) else 0
                    rows.extend(self._application_rows(indicator, item, count))
            rows.append(
                Row(
                    path=f"{indicator.code}.note",
                    kind=TEXT,
                    indicator=f"{indicator.code} {indicator.name}",
                    label=_("Note on the indicator"),
                    description=_("Free text, at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH},
                )
            )
        return rows

    def _rows_of(self, indicator: Indicator, item: Item) -> list[Row]:
        spec = self.catalog.spec.items[item.code]
        params = item.params or {}
        options = list(item.options.all())
        option_text = separator().join(f"{o.code} {o.name}" for o in options)
        rows = []
        for n, path in enumerate(paths(spec)):
            field = path.rsplit(".", 1)[1]
            row = self._field_row(spec, params, field, option_text)
            first = n == 0
            hint = _("Evidence: %(hint)s") % {"hint": item.help} if first and item.help else ""
            rows.append(
                Row(
                    path=path,
                    item=item.code,
                    indicator=f"{indicator.code} {indicator.name}",
                    requirement=item.name if first else "",
                    target=target_text(item, spec) if first else "",
                    description="\n".join(part for part in (row.description, hint) if part),
                    kind=row.kind,
                    label=row.label,
                    unit=row.unit,
                    choices=row.choices,
                )
            )
        return rows

    def _field_row(
        self, spec: ItemSpec, params: Mapping[str, Any], field: str, option_text: str
    ) -> Row:
        """The kind, label, unit and description of one field of an item."""
        if spec.type in NUMBER_FIELDS and field in NUMBER_FIELDS[spec.type]:
            labels = params.get("labels") or {}
            return Row(
                path="",
                kind=WHOLE if field == "count" else NUMBER,
                label=pair_text(labels.get(field)) or str(FIELD_LABELS.get(field, field)),
                unit="" if spec.type == ItemType.RATIO else pair_text(params.get("unit")),
            )
        if field == "value":
            return Row(path="", kind=YES_NO, label=_("Met?"), choices=(yes(), no()))
        if field == "checked":
            text = _("Option codes, separated by commas (“%(none)s”: none applies): %(options)s")
            return Row(
                path="",
                kind=CODES,
                label=_("What the community has"),
                description=text % {"none": none_word(), "options": option_text},
            )  # fmt: skip
        if field == "na":
            return Row(
                path="",
                kind=CODES,
                label=_("Not present in this community (not applicable)"),
                description=_("Codes of the options the community does not have, as above."),
            )
        if field == "none":
            return Row(
                path="",
                kind=FLAG,
                label=_("None of these"),
                description=_("Choose “%(yes)s” when the item is answered and none applies.")
                % {"yes": yes()},
                choices=(yes(),),
            )
        if field == "not_applicable":
            return Row(
                path="",
                kind=FLAG,
                label=_("Not applicable to this community"),
                description=_("Choose “%(yes)s” when the item does not apply here.")
                % {"yes": yes()},
                choices=(yes(),),
            )
        levels = {entry.get("level"): pair_text(entry) for entry in params.get("levels") or []}
        top = spec.max_level or 0
        return Row(
            path="",
            kind=LEVEL,
            label=_("Level (0–%(max)d)") % {"max": top},
            description=separator().join(
                f"{n} {levels.get(n, '')}".strip() for n in range(top + 1)
            ),
            choices=tuple(str(n) for n in range(top + 1)),
        )

    def _application_rows(self, indicator: Indicator, item: Item, stored: int) -> list[Row]:
        choices = (item.params or {}).get("record_choices") or {}
        rows = []
        for n in range(stored + layout.SPARE_APPLICATIONS):
            for key in APPLICATION_KEYS:
                entries = choices.get(key) or []
                rows.append(
                    Row(
                        path=f"{item.code}.applications.{n}.{key}",
                        kind=CHOICE if entries else TEXT,
                        item=item.code,
                        indicator=f"{indicator.code} {indicator.name}",
                        label=_("Application %(n)d: %(field)s")
                        % {"n": n + 1, "field": FIELD_LABELS.get(key, key)},
                        description=separator().join(
                            f"{c['code']} {pair_text(c)}" for c in entries
                        ),
                        choices=tuple(str(c["code"]) for c in entries),
                    )
                )
        return rows


def shown_value(row: Row, fields: Mapping[str, Sequence[str]]) -> Any:
    """A stored answer's field as the value cell shows it: a number, 是/否, "a,c"..."""
    raw = fields.get(row.path)
    if not raw:
        return None
    if row.kind in (NUMBER, WHOLE, LEVEL):
        number = read_number(raw[0])
        return raw[0] if number is None else number
    if row.kind == YES_NO:
        return yes() if raw[0] == TRUE else no()
    if row.kind == FLAG:
        return yes() if raw[0] == TRUE else None
    if row.kind == CODES:
        return ",".join(raw) or None
    return raw[0]


def region_text(assessment: Assessment) -> str:
    community = assessment.community
    names: list[str] = []
    for region in (community.city, community.district, community.region):
        if region is not None and region.name not in names:
            names.append(region.name)
    return " ".join(names)
