"""Peer groups: communities compared with others like them.

A peer group is the community's area type (urban or rural) and a size band by households,
written as a short key ("urban-m"). Ranks and rank ranges within the peer group are kept
beside those within the city and the district (the district being the other natural peer).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from assessments.choices import AreaType


@dataclass(frozen=True)
class SizeBand:
    code: str
    below: int | None  # households; None: no upper bound
    label: Promise  # translated when shown


SIZE_BANDS = (
    SizeBand("s", 1_000, pgettext_lazy("community size", "under 1,000 households")),
    SizeBand("m", 3_000, pgettext_lazy("community size", "1,000–2,999 households")),
    SizeBand("l", None, pgettext_lazy("community size", "3,000 households or more")),
)


def peer_group_of(area_type: str, households: int) -> str:
    band = next(b for b in SIZE_BANDS if b.below is None or households < b.below)
    return f"{area_type}-{band.code}"


def peer_group_sql(area_type: str, households: str) -> str:
    """The same key computed by SQL from the two columns (for the ranking update)."""
    cases = " ".join(
        f"WHEN {households} < {band.below} THEN '-{band.code}'"
        for band in SIZE_BANDS
        if band.below is not None
    )
    last = SIZE_BANDS[-1].code
    return f"({area_type} || CASE {cases} ELSE '-{last}' END)"


def peer_group_label(key: str) -> str:
    """ "城镇 · 1,000–2,999户" for "urban-m"; the key itself when unknown."""
    area, _sep, band_code = key.partition("-")
    band = next((b for b in SIZE_BANDS if b.code == band_code), None)
    if area not in AreaType.values or band is None:
        return key
    return f"{AreaType(area).label} · {band.label}"


def peer_group_choices() -> list[tuple[str, str]]:
    return [
        (f"{area}-{band.code}", peer_group_label(f"{area}-{band.code}"))
        for area in AreaType.values
        for band in SIZE_BANDS
    ]
