"""Charts for printed documents, drawn as SVG on the server (WeasyPrint runs no script).

Each function returns an SVG string to place in a template with ``|safe``; every text is
escaped here. The font is named on the ``<svg>`` element itself: WeasyPrint does not pass
the page's font into inline SVG, and Chinese labels would otherwise lose their glyphs.
Printed charts always stand beside a table with the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from reports.charts import GRADE_COLOURS, SERIES_COLOURS

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"
GRID = "#d9d9d9"
INK = "#333333"
# Colour of a bar by attainment step (0 worst .. 4 best), as the heat maps colour cells.
STEP_COLOURS = ("#c0392b", "#e67e22", "#c9a300", "#6aa84f", "#1a7f4b")


def _svg(width: float, height: float, body: Sequence[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" font-family="{FONT}" role="img" '
        f'aria-label="{escape(label)}">' + "".join(body) + "</svg>"
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = 8,
    anchor: str = "start",
    colour: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" '
        f'fill="{colour}" font-weight="{weight}">{escape(text)}</text>'
    )


def step_colour(percent: Decimal | float) -> str:
    """The colour of a percentage: five steps of 20 points, as on the heat maps."""
    return STEP_COLOURS[min(4, max(0, int(float(percent) // 20)))]


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal  # 0..maximum
    text: str = ""  # written after the bar; the value with a % sign by default
    colour: str = ""


def horizontal_bars(
    bars: Sequence[Bar],
    *,
    label: str,
    width: float = 480,
    row: float = 14,
    label_width: float = 150,
    maximum: float = 100,
) -> str:
    """One bar per row, labels on the left, value after the bar, a grid every 20%."""
    top, bottom = 14.0, 4.0
    plot = width - label_width - 42
    height = top + bottom + row * len(bars)
    body = []
    for tick in range(0, 101, 20):
        x = label_width + plot * tick / 100
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 3}" x2="{x:.1f}" y2="{height - bottom}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
        )
        body.append(
            _text(
                x,
                top - 5,
                f"{tick * maximum / 100:g}%" if maximum == 100 else f"{tick * maximum / 100:g}",
                size=7.5,
                anchor="middle",
                colour="#777",
            )
        )
    for index, bar in enumerate(bars):
        y = top + index * row
        value = max(0.0, min(float(bar.value), maximum))
        length = plot * value / maximum
        colour = bar.colour or step_colour(100 * value / maximum)
        body.append(_text(label_width - 4, y + row * 0.68, bar.label, size=8.5, anchor="end"))
        body.append(
            f'<rect x="{label_width:.1f}" y="{y + row * 0.18:.1f}" width="{length:.1f}" '
            f'height="{row * 0.64:.1f}" fill="{colour}"/>'
        )
        body.append(
            _text(label_width + length + 3, y + row * 0.68, bar.text or f"{bar.value}%", size=8)
        )
    return _svg(width, height, body, label)


def radar(
    axes: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal]]],
    *,
    label: str,
    size: float = 250,
) -> str:
    """Polygons of values 0..100 on ``axes`` (one per series, the first drawn strongest),
    rings every 20%, and a legend underneath."""
    legend_height = 12 * len(series)
    cx, cy, radius = size / 2, size / 2, size / 2 - 58
    count = len(axes)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        return cx + radius * value / 100 * math.cos(angle), cy + radius * value / 100 * math.sin(
            angle
        )

    body = []
    for ring in (20, 40, 60, 80, 100):
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(count)))
        body.append(f'<polygon points="{points}" fill="none" stroke="{GRID}" stroke-width="0.6"/>')
    for index, axis in enumerate(axes):
        x, y = point(index, 100)
        body.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
        )
        lx, ly = point(index, 116)
        anchor = "middle" if abs(lx - cx) < 4 else ("start" if lx > cx else "end")
        lines = _wrap(axis, 12)
        top = ly + 3 - 5.5 * (len(lines) - 1) if abs(ly - cy) < 4 else ly + 3
        if ly < cy - 4:
            top = ly + 3 - 11 * (len(lines) - 1)
        for number, line in enumerate(lines):
            body.append(_text(lx, top + 11 * number, line, size=9, anchor=anchor))
    body.append(_text(cx + 2, cy - radius * 0.5 - 1, "50%", size=6, colour="#888"))
    for number, (_name, values) in reversed(list(enumerate(series))):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, float(v)) for i, v in enumerate(values))
        )
        opacity = "0.25" if number == 0 else "0"
        dash = "" if number == 0 else ' stroke-dasharray="3,2"'
        body.append(
            f'<polygon points="{points}" fill="{colour}" fill-opacity="{opacity}" '
            f'stroke="{colour}" stroke-width="{1.6 if number == 0 else 1.1}"{dash}/>'
        )
    for number, (name, _values) in enumerate(series):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        y = size + 2 + 12 * number
        body.append(
            f'<rect x="{cx - 70:.1f}" y="{y - 7:.1f}" width="10" height="7" fill="{colour}"/>'
        )
        body.append(_text(cx - 56, y, name, size=8.5))
    return _svg(size, size + legend_height + 2, body, label)


def _wrap(text: str, width: int) -> list[str]:
    """Words of ``text`` in lines of about ``width`` characters (text without spaces, as
    Chinese labels are, stays on one line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [text]


def stacked_bar(
    parts: Sequence[tuple[str, int]],
    *,
    label: str,
    width: float = 480,
    height: float = 22,
) -> str:
    """One bar split into counted parts (e.g. communities per grade, best first), each
    part labelled with its name and count; empty parts are left out."""
    total = sum(count for _name, count in parts) or 1
    body = []
    x = 0.0
    legend_y = height + 14
    legend_x = 0.0
    for index, (name, count) in enumerate(parts):
        colour = GRADE_COLOURS[min(index, len(GRADE_COLOURS) - 1)]
        share = width * count / total
        if count:
            body.append(
                f'<rect x="{x:.1f}" y="0" width="{share:.1f}" height="{height}" fill="{colour}"/>'
            )
            if share > 24:
                body.append(
                    _text(
                        x + share / 2,
                        height * 0.68,
                        str(count),
                        size=8,
                        anchor="middle",
                        colour="#ffffff",
                        weight="bold",
                    )
                )
        x += share
        body.append(
            f'<rect x="{legend_x:.1f}" y="{legend_y - 7:.1f}" width="9" height="7" '
            f'fill="{colour}"/>'
        )
        text = f"{name} {count}"
        body.append(_text(legend_x + 12, legend_y, text, size=7.5))
        legend_x += 24 + 7.5 * len(text)
    return _svg(width, legend_y + 6, body, label)


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    *,
    label: str,
    width: float = 480,
    bar: float = 7,
    label_width: float = 90,
    maximum: float = 100,
) -> str:
    """Per category, one bar for each series (values 0..``maximum``, None left out), the
    value after each bar, a grid every 20% and a legend of the series underneath."""
    top, gap = 14.0, 6.0
    plot = width - label_width - 40
    group = bar * len(series) + gap
    bottom = top + group * len(categories)
    body = []
    for tick in range(0, 101, 20):
        x = label_width + plot * tick / 100
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 3}" x2="{x:.1f}" y2="{bottom - gap / 2:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
        )
        body.append(
            _text(
                x, top - 5, f"{tick * maximum / 100:g}%", size=6.5, anchor="middle", colour="#777"
            )
        )
    for index, category in enumerate(categories):
        y = top + index * group
        middle = y + bar * len(series) / 2
        body.append(_text(label_width - 4, middle + 2.5, category, size=7.5, anchor="end"))
        for number, (_name, values) in enumerate(series):
            value = values[index] if index < len(values) else None
            if value is None:
                continue
            colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
            length = plot * max(0.0, min(float(value), maximum)) / maximum
            by = y + number * bar
            body.append(
                f'<rect x="{label_width:.1f}" y="{by + 0.5:.1f}" width="{length:.1f}" '
                f'height="{bar - 1:.1f}" fill="{colour}"/>'
            )
            body.append(_text(label_width + length + 3, by + bar - 1.5, f"{value}%", size=6.3))
    legend_x = label_width
    legend_y = bottom + 8
    for number, (name, _values) in enumerate(series):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        body.append(
            f'<rect x="{legend_x:.1f}" y="{legend_y - 7:.1f}" width="9" height="7" '
            f'fill="{colour}"/>'
        )
        body.append(_text(legend_x + 12, legend_y, name, size=7.5))
        legend_x += 24 + 7.5 * len(name)
    return _svg(width, legend_y + 5, body, label)
