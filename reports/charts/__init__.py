"""Charts as data: an ECharts option built here, drawn by static/js/charts.js, always with
its figures as a table beside it (the table is what screen readers, printouts and people
who prefer numbers read).

Pages build ``Chart`` objects and include ``reports/dashboard/_chart.html`` for each. An
entry of a series may carry ``url``: clicking it in the chart opens that page, so every
figure leads to what stands behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Tones by grade position (best first) and for series: readable on white, distinct for
# the common kinds of colour blindness, never the only signal (labels and tables say it).
GRADE_COLOURS = ("#1a7f4b", "#2f6fb3", "#c98a00", "#c0392b", "#6b7785")
SERIES_COLOURS = ("#2f6fb3", "#c98a00", "#1a7f4b", "#8e44ad", "#c0392b", "#16a3a3")


@dataclass
class Chart:
    """One chart: its element id, a title, the ECharts option and the same figures as a
    table (column headings and rows of cells)."""

    id: str
    title: str
    option: dict[str, Any]
    headers: Sequence[str] = ()
    rows: Sequence[Sequence[Any]] = ()
    size: str = "md"  # "sm", "md", "lg": the height class of the drawing
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def option_id(self) -> str:
        return f"{self.id}-option"


def number(value: Any) -> float:
    """A figure as ECharts reads it (JSON has no decimals)."""
    return float(Decimal(str(value)))


def _base(**option: Any) -> dict[str, Any]:
    return {
        "animation": False,
        "color": list(SERIES_COLOURS),
        "tooltip": {"trigger": "item", "confine": True},
        "grid": {"containLabel": True, "left": 8, "right": 16, "top": 36, "bottom": 8},
        **option,
    }


def _grid(series: int) -> dict[str, Any]:
    """Room above the plot for the legend: more series may wrap it onto several lines."""
    return {
        "containLabel": True,
        "left": 8,
        "right": 16,
        "top": 72 if series > 2 else 36,
        "bottom": 8,
    }


def bar_chart(
    *,
    categories: Sequence[str],
    series: Sequence[dict[str, Any]],
    horizontal: bool = False,
    max_value: float | None = None,
    unit: str = "",
) -> dict[str, Any]:
    """Grouped bars: ``series`` are {"name", "data"} with data as numbers or
    {"value", "url", "itemStyle"} entries."""
    value_axis: dict[str, Any] = {"type": "value", "axisLabel": {"formatter": "{value}" + unit}}
    if max_value is not None:
        value_axis["max"] = max_value
    labels: dict[str, Any] = {"interval": 0}
    if not horizontal:
        labels["rotate"] = 30 if len(categories) > 8 else 0
    category_axis = {"type": "category", "data": list(categories), "axisLabel": labels}
    return _base(
        tooltip={"trigger": "axis", "confine": True},
        legend={"top": 0} if len(series) > 1 else {"show": False},
        grid=_grid(len(series)),
        xAxis=value_axis if horizontal else category_axis,
        yAxis={**category_axis, "inverse": True} if horizontal else value_axis,
        series=[{"type": "bar", **s} for s in series],
    )


def radar_chart(
    *, indicators: Sequence[tuple[str, float]], series: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """A radar of named axes with their maximum; ``series`` are {"name", "value": [...]}."""
    return _base(
        # The legend sits above and the radar a little below the middle, so a legend that
        # wraps onto two lines on a phone never covers the lowest axis name.
        legend={"top": 0},
        radar={
            "indicator": [{"name": name, "max": top} for name, top in indicators],
            "center": ["50%", "58%"],
            "radius": "56%",
            "splitNumber": 4,
        },
        series=[
            {
                "type": "radar",
                "data": [{"areaStyle": {"opacity": 0.12}, **s} for s in series],
            }
        ],
    )


def donut_chart(*, entries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Shares of a whole: entries are {"name", "value", "itemStyle"?, "url"?}."""
    return _base(
        legend={"bottom": 0},
        series=[
            {
                "type": "pie",
                "radius": ["45%", "70%"],
                "label": {"formatter": "{b}: {c}"},
                "data": list(entries),
            }
        ],
    )


def line_chart(
    *, categories: Sequence[str], series: Sequence[dict[str, Any]], max_value: float | None = None
) -> dict[str, Any]:
    value_axis: dict[str, Any] = {"type": "value"}
    if max_value is not None:
        value_axis["max"] = max_value
    return _base(
        tooltip={"trigger": "axis", "confine": True},
        legend={"top": 0},
        grid=_grid(len(series)),
        # Every category (a round's name) written, wrapped rather than skipped.
        xAxis={
            "type": "category",
            "data": list(categories),
            "axisLabel": {"interval": 0, "width": 90, "overflow": "break"},
        },
        yAxis=value_axis,
        series=[{"type": "line", "symbolSize": 8, **s} for s in series],
    )


def heatmap_chart(
    *,
    columns: Sequence[str],
    rows: Sequence[str],
    cells: Sequence[Sequence[Any]],
) -> dict[str, Any]:
    """Rows x columns coloured by a percentage (0-100); cells are [column, row, value]
    or {"value": [...], "url"} entries."""
    return _base(
        tooltip={"position": "top", "confine": True},
        grid={"containLabel": True, "left": 8, "right": 8, "top": 8, "bottom": 56},
        xAxis={"type": "category", "data": list(columns), "position": "top",
               "axisLabel": {"interval": 0, "rotate": 60}},
        yAxis={"type": "category", "data": list(rows), "inverse": True,
               "axisLabel": {"interval": 0}},
        visualMap={"min": 0, "max": 100, "calculable": False, "orient": "horizontal",
                   "left": "center", "bottom": 0,
                   "inRange": {"color": ["#c0392b", "#f3d27a", "#1a7f4b"]}},
        series=[{"type": "heatmap", "data": list(cells), "label": {"show": False}}],
    )  # fmt: skip
