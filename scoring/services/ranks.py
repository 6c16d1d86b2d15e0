"""Ranks of a round's scorecards: by total, overall and within each city, district and peer
group; with them, the round's statistics per area (scoring.services.area_stats).

Ranks are stored, so ranking pages and filters read them from an index at any size. They
are not recomputed on every save: ranking a round of 100,000 takes about half a second,
and a busy day brings several saves a second. Instead every write that changes a total
steps the round's ``RankState.scores_version``, and whoever needs ranks calls
``ranks_refresh``, which re-ranks only a round whose ranks are older than its totals.
Pages that show ranks call it first (a periodic task keeps it cheap), so a page never shows
a rank that disagrees with the totals beside it.

Writers of totals and the ranking take turns per round (a PostgreSQL advisory lock held to
the end of the transaction; SQLite serialises all writes), so a ranking never mixes totals
from before and after a concurrent write.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from scoring.models import RankState, ScoreCard
from scoring.peers import peer_group_sql
from scoring.services.area_stats import area_stats_store

# The first key of PostgreSQL advisory locks taken here ("RANK"); the second is the round.
_LOCK_SPACE = 0x52414E4B

_PEER = peer_group_sql("c.area_type", "c.households")
# No user input below: the peer key is built from constants.
_RANKS_SQL = f"""
UPDATE scoring_scorecard SET rank = ranked.r_all, rank_in_city = ranked.r_city,
       rank_in_district = ranked.r_district, peer_group = ranked.peer,
       rank_in_peer_group = ranked.r_peer
FROM (
    SELECT s.id, {_PEER} AS peer,
           RANK() OVER (ORDER BY s.total DESC) AS r_all,
           CASE WHEN s.city_id IS NULL THEN NULL
                ELSE RANK() OVER (PARTITION BY s.city_id ORDER BY s.total DESC) END AS r_city,
           CASE WHEN s.district_id IS NULL THEN NULL
                ELSE RANK() OVER (PARTITION BY s.district_id ORDER BY s.total DESC)
           END AS r_district,
           RANK() OVER (PARTITION BY {_PEER} ORDER BY s.total DESC) AS r_peer
    FROM scoring_scorecard s
    JOIN assessments_assessment a ON a.id = s.assessment_id
    JOIN assessments_community c ON c.id = a.community_id
    WHERE s.round_id = %s
) AS ranked
WHERE scoring_scorecard.id = ranked.id
  AND (scoring_scorecard.rank {{differs}} ranked.r_all
       OR scoring_scorecard.rank_in_city {{differs}} ranked.r_city
       OR scoring_scorecard.rank_in_district {{differs}} ranked.r_district
       OR scoring_scorecard.peer_group {{differs}} ranked.peer
       OR scoring_scorecard.rank_in_peer_group {{differs}} ranked.r_peer)
"""  # noqa: S608


def rounds_lock(*, round_ids: Iterable[int]) -> None:
    """Take the rounds' score lock until the transaction ends (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for round_id in sorted(set(round_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_SPACE, round_id])


def scores_changed(*, round_ids: Iterable[int]) -> None:
    """Record that totals (or places) of these rounds changed: their ranks are stale.
    Called by the writer, inside its transaction, holding the rounds' lock."""
    rounds = sorted(set(round_ids))
    if not rounds:
        return
    RankState.objects.bulk_create([RankState(round_id=pk) for pk in rounds], ignore_conflicts=True)
    RankState.objects.filter(round_id__in=rounds).update(scores_version=F("scores_version") + 1)


def _stale(round_ids: Iterable[int] | None) -> list[int]:
    """Rounds whose ranks are older than their totals (or were never stored)."""
    scored = ScoreCard.objects.values_list("round_id", flat=True).distinct()
    if round_ids is not None:
        scored = scored.filter(round_id__in=list(round_ids))
    fresh = set(
        RankState.objects.filter(
            round_id__in=scored, ranked_version=F("scores_version"), ranked_at__isnull=False
        ).values_list("round_id", flat=True)
    )
    return sorted(set(scored) - fresh)


def ranks_refresh(*, round_ids: Iterable[int] | None = None) -> list[int]:
    """Bring the stored ranks and area statistics of these rounds (all rounds by default)
    up to date with their totals; returns the rounds that were re-ranked. Cheap when
    nothing changed."""
    refreshed = []
    for round_id in _stale(round_ids):
        with transaction.atomic():
            rounds_lock(round_ids=[round_id])
            state, _created = RankState.objects.select_for_update().get_or_create(round_id=round_id)
            if state.ranked_at is not None and state.ranked_version == state.scores_version:
                continue  # another process ranked it while we waited for the lock
            _rank(round_id)
            area_stats_store(round_id=round_id)
            state.ranked_version = state.scores_version
            state.ranked_at = timezone.now()
            state.save(update_fields=["ranked_version", "ranked_at"])
            refreshed.append(round_id)
    return refreshed


def _rank(round_id: int) -> None:
    """Store the ranks: equal totals share a rank and the next rank skips (1, 2, 2, 4),
    which is SQL's RANK(). Only rows whose ranks change are written."""
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    with connection.cursor() as cursor:
        cursor.execute(_RANKS_SQL.format(differs=differs), [round_id])


def standings_for_page(*, round_id: int, max_lag: timedelta) -> RankState | None:
    """The round's rank state after refreshing its standings, unless they were refreshed
    less than ``max_lag`` ago (then the page shows them as of ``ranked_at`` and says they
    are being updated). Dashboards use this so that, on a busy day at national scale, at
    most one page view per ``max_lag`` pays for a re-ranking; None when nothing is scored."""
    state = RankState.objects.filter(round_id=round_id).first()
    recent = (
        state is not None
        and state.ranked_at is not None
        and timezone.now() - state.ranked_at < max_lag
    )
    if not recent:
        ranks_refresh(round_ids=[round_id])
        state = RankState.objects.filter(round_id=round_id).first()
    return state
