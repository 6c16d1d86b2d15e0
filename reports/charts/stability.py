"""The ranking stability page's chart: for the best ranked communities, a bar over the
ranks each took in 90 % of the draws (from the 5th to the 95th percentile), with a mark
at its rank under the standard weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from reports.charts import SERIES_COLOURS, Chart, bar_chart
from reports.scope import Scope

if TYPE_CHECKING:
    from reports.selectors.stability import Level, Row

# The share of the draws a range covers: from the 5th to the 95th percentile.
CORE_SHARE = "90%"


@dataclass(frozen=True)
class _Bar:
    name: str
    rank: int | None
    low: int
    high: int
    url: str

    @property
    def text(self) -> str:
        message = _("%(name)s: rank %(rank)s; ranks %(low)s–%(high)s in %(share)s of the draws")
        values = {"name": self.name, "rank": self.rank, "low": self.low, "high": self.high}
        return message % {**values, "share": CORE_SHARE}


def _bars(scope: Scope, rows: Sequence[Row]) -> list[_Bar]:
    bars = []
    for row in rows:
        if row.low is None or row.high is None:
            continue
        community = row.card.assessment.community
        url = f"{reverse('dashboard:community', args=[community.pk])}?{scope.query()}"
        bars.append(_Bar(community.name, row.rank, row.low, row.high, url))
    return bars


def ranges_chart(scope: Scope, level: Level, rows: Sequence[Row]) -> Chart | None:
    """None when no row has a range yet."""
    bars = _bars(scope, rows)
    if not bars:
        return None
    span_name = _("Ranks in %(share)s of the draws") % {"share": CORE_SHARE}
    rank_name = _("Rank with the standard weights")
    # A bar from half a rank before the best to half a rank after the worst, so a range of
    # one rank still shows; it stands on an invisible bar of the length before it.
    base = {
        "name": "",
        "stack": "range",
        "data": [bar.low - 0.5 for bar in bars],
        "itemStyle": {"color": "transparent"},
        "silent": True,
        "tooltip": {"show": False},
    }
    span = {
        "name": span_name,
        "stack": "range",
        "barMaxWidth": 14,
        "itemStyle": {"color": SERIES_COLOURS[0]},
        "data": [
            {
                "value": bar.high - bar.low + 1,
                "url": bar.url,
                "tooltip": {"formatter": escape(bar.text)},
            }
            for bar in bars
        ],
    }
    marks = {
        "type": "scatter",
        "name": rank_name,
        "symbol": "diamond",
        "symbolSize": 10,
        "z": 3,
        "itemStyle": {"color": "#1f2933"},
        "data": [
            {"value": [bar.rank, n], "url": bar.url, "tooltip": {"formatter": escape(bar.text)}}
            for n, bar in enumerate(bars)
        ],
    }
    option = bar_chart(
        categories=[f"{bar.rank}. {bar.name}" for bar in bars],
        series=[base, span, marks],
        horizontal=True,
    )
    option["tooltip"] = {"trigger": "item", "confine": True}
    option["legend"] = {"top": 0, "data": [span_name, rank_name]}
    option["xAxis"].update(min=0, minInterval=1)
    option["grid"] = {**option["grid"], "top": 56}  # room for a legend on two lines
    return Chart(
        id="stability-ranges",
        title=_("Rank ranges of the %(count)s best ranked communities") % {"count": len(bars)},
        option=option,
        headers=[_("Community"), _("Rank"), _("Best rank"), _("Worst rank"), _("Width")],
        rows=[[bar.name, bar.rank, bar.low, bar.high, bar.high - bar.low] for bar in bars],
        size="lg",
        note=_("ranks counted %(where)s") % {"where": level_where(level)},
    )


def level_where(level: Level) -> str:
    """Where ranks are counted, as a phrase ("in the whole province")."""
    return {
        "city": _("within the city"),
        "district": _("within the district"),
    }.get(level.key, _("in the whole province"))
