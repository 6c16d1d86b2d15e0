"""The form controls of one item, described for the templates: one control per answer path
(contracts section 1), with its label, unit, current value and errors, so a template only
loops and draws."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.answer_paths import NUMBER_FIELDS, TRUE
from indicators.models import Item
from indicators.text import pair_text
from scoring.engine import ItemSpec, ItemType

Values = Mapping[str, Sequence[str]]
Errors = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool
    hint: str = ""


@dataclass(frozen=True)
class Control:
    """One input (or group of inputs) named by an answer path."""

    kind: str  # number, radio, checkboxes, flag, applications
    name: str
    label: str = ""
    value: str = ""
    unit: str = ""
    choices: tuple[Choice, ...] = ()
    errors: tuple[str, ...] = ()
    rows: tuple[Mapping[str, Any], ...] = ()
    whole: bool = False  # a count: whole numbers only


@dataclass
class ItemForm:
    """Everything the page shows to fill in one item."""

    item: Item
    spec: ItemSpec
    controls: list[Control] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole item


def _first(values: Values, name: str) -> str:
    found = values.get(name) or []
    return str(found[0]) if found else ""


def item_form(item: Item, spec: ItemSpec, values: Values, errors: Errors) -> ItemForm:
    """The controls of ``item`` showing ``values`` (by answer path) and ``errors``."""
    code = item.code
    params = item.params or {}
    form = ItemForm(item=item, spec=spec, errors=list(errors.get(code, [])))

    def problems(name: str) -> tuple[str, ...]:
        return tuple(errors.get(name, ()))

    if spec.type in NUMBER_FIELDS:
        labels = params.get("labels") or {}
        unit = pair_text(params.get("unit"))
        for key in NUMBER_FIELDS[spec.type]:
            name = f"{code}.{key}"
            form.controls.append(
                Control(
                    kind="number",
                    name=name,
                    label=pair_text(labels.get(key)) or pgettext("answer field", key),
                    value=_first(values, name),
                    unit="" if spec.type == ItemType.RATIO else unit,
                    errors=problems(name),
                    whole=key == "count",
                )
            )
    elif spec.type == ItemType.BOOLEAN:
        name = f"{code}.value"
        current = _first(values, name)
        form.controls.append(
            Control(
                kind="radio",
                name=name,
                choices=(
                    Choice(TRUE, _("Yes"), current == TRUE),
                    Choice("false", _("No"), current == "false"),
                ),
                errors=problems(name),
            )
        )
    elif spec.type == ItemType.CHECKLIST:
        _checklist(form, item, values, problems)
    else:
        _graded(form, item, values, problems)
    if spec.conditional:
        name = f"{code}.not_applicable"
        form.controls.append(
            Control(
                kind="flag",
                name=name,
                label=_("Not applicable to this community"),
                value=TRUE if _first(values, name) == TRUE else "",
                errors=problems(name),
            )
        )
    return form


def _checklist(form: ItemForm, item: Item, values: Values, problems: Any) -> None:
    code = item.code
    options = list(item.options.all())
    checked = set(values.get(f"{code}.checked") or [])
    form.controls.append(
        Control(
            kind="checkboxes",
            name=f"{code}.checked",
            label=_("What the community has"),
            choices=tuple(Choice(o.code, o.name, o.code in checked) for o in options),
            errors=problems(f"{code}.checked"),
        )
    )
    if form.spec.na_options:
        na = set(values.get(f"{code}.na") or [])
        form.controls.append(
            Control(
                kind="checkboxes",
                name=f"{code}.na",
                label=_("Not present in this community (not applicable)"),
                choices=tuple(Choice(o.code, o.name, o.code in na) for o in options),
                errors=problems(f"{code}.na"),
            )
        )
    name = f"{code}.none"
    form.controls.append(
        Control(
            kind="flag",
            name=name,
            label=_("None of these"),
            value=TRUE if _first(values, name) == TRUE else "",
            errors=problems(name),
        )
    )


def _application_order(key: str) -> tuple[int, str]:
    """Technology before domain, as the table's headings read; other keys after them."""
    known = ("technology", "domain")
    return (known.index(key) if key in known else len(known), key)


def _graded(form: ItemForm, item: Item, values: Values, problems: Any) -> None:
    code = item.code
    params = item.params or {}
    name = f"{code}.level"
    current = _first(values, name)
    levels = {entry.get("level"): pair_text(entry) for entry in params.get("levels") or []}
    form.controls.append(
        Control(
            kind="radio",
            name=name,
            choices=tuple(
                Choice(
                    str(level),
                    _("Level %(level)s") % {"level": level},
                    current == str(level),
                    levels.get(level, ""),
                )
                for level in range((form.spec.max_level or 0) + 1)
            ),
            errors=problems(name),
        )
    )
    choices = params.get("record_choices") or {}
    if not choices:
        return
    rows: dict[int, dict[str, str]] = {}
    prefix = f"{code}.applications."
    for path, entries in values.items():
        if path.startswith(prefix) and entries:
            number, _sep, key = path[len(prefix) :].partition(".")
            if number.isdigit():
                rows.setdefault(int(number), {})[key] = str(entries[0])
    filled = [rows[n] for n in sorted(rows)]
    blank_rows = max(1, 3 - len(filled))
    form.controls.append(
        Control(
            kind="applications",
            name=f"{code}.applications",
            label=_("Applications"),
            rows=tuple(
                {
                    "index": n,
                    "values": row,
                    "choices": {
                        key: [(c["code"], pair_text(c)) for c in choices[key]]
                        for key in sorted(choices, key=_application_order)
                    },
                }
                for n, row in enumerate([*filled, *({} for _row in range(blank_rows))])
            ),
            errors=problems(f"{code}.applications"),
        )
    )
