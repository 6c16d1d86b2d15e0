"""Ranks of a round's scorecards: by total, overall and within each city and district.

Ranks are stored, not computed per page: ranking pages and filters read them from an
index, at any size. They are refreshed in the same transaction as any change of a total
(or of a community's city or district), under a per-round lock, so the stored ranks always
agree with the stored totals: a page never shows a stale rank.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

# The first key of PostgreSQL advisory locks taken here ("ranks"); the second is the round.
_LOCK_SPACE = 0x52414E4B

_RANKS_SQL = """
UPDATE scoring_scorecard SET rank = ranked.r_all, rank_in_city = ranked.r_city,
       rank_in_district = ranked.r_district
FROM (
    SELECT id,
           RANK() OVER (ORDER BY total DESC) AS r_all,
           CASE WHEN city_id IS NULL THEN NULL
                ELSE RANK() OVER (PARTITION BY city_id ORDER BY total DESC) END AS r_city,
           CASE WHEN district_id IS NULL THEN NULL
                ELSE RANK() OVER (PARTITION BY district_id ORDER BY total DESC) END AS r_district
    FROM scoring_scorecard
    WHERE round_id = %s
) AS ranked
WHERE scoring_scorecard.id = ranked.id
  AND (scoring_scorecard.rank {differs} ranked.r_all
       OR scoring_scorecard.rank_in_city {differs} ranked.r_city
       OR scoring_scorecard.rank_in_district {differs} ranked.r_district)
"""


def rounds_lock(*, round_ids: Iterable[int]) -> None:
    """Serialise score writes per round until the transaction ends, so two transactions
    never rank a round from totals the other is changing. (SQLite serialises all writes.)"""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for round_id in sorted(set(round_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_SPACE, round_id])


def rounds_rerank(*, round_ids: Iterable[int]) -> None:
    """Store the ranks of these rounds: equal totals share a rank and the next rank skips
    (1, 2, 2, 4), which is SQL's RANK(). Only rows whose ranks change are written."""
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    sql = _RANKS_SQL.format(differs=differs)
    rounds = sorted(set(round_ids))
    rounds_lock(round_ids=rounds)
    with connection.cursor() as cursor:
        for round_id in rounds:
            cursor.execute(sql, [round_id])
