"""Who sees which results: the one place dashboards decide their scope.

Administrators see the whole province; an official sees the province, or only the city or
district they are limited to. Every dashboard page, chart, average and export reads its
scorecards through ``Scope.cards()``, so nothing outside the scope can show up; averages of
a wider area (the province's, shown to a city's official for comparison) come from
``Scope.stats_of`` and are labelled as such by the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from assessments import permissions
from assessments import selectors as assessment_selectors
from assessments.choices import RegionLevel
from assessments.models import Assessment, Region, Round
from common.params import int_param
from indicators.grades import grade_name, grade_tone
from scoring.models import AreaStats, RankState, ScoreCard
from scoring.services import standings_for_page


def area_card_filter(region: Region | None, prefix: str = "") -> dict[str, Any]:
    """Filter arguments that keep scorecards (or rows reached through ``prefix``) in the
    area of a city or district (none for the province or None): scorecards carry their
    city and district, so no region path is joined."""
    if region is None or region.level == RegionLevel.PROVINCE:
        return {}
    field = "city_id" if region.level == RegionLevel.CITY else "district_id"
    return {f"{prefix}{field}": region.pk}


@dataclass(frozen=True)
class Scope:
    """A user's view of one round's results (``user`` is None for an area's scope built
    without a request, see ``area_scope``)."""

    user: Any
    region: Region | None  # None: the whole province
    rounds: list[Round]
    round: Round | None
    standings: RankState | None  # how fresh ranks and statistics are

    # -- where -------------------------------------------------------------------------
    @property
    def level(self) -> str:
        """ "province", "city" or "district": the level of the scope's area."""
        return self.region.level if self.region is not None else RegionLevel.PROVINCE

    @property
    def label(self) -> str:
        return self.region.name if self.region is not None else _("Whole province")

    @property
    def is_limited(self) -> bool:
        return self.region is not None

    def card_filter(self, prefix: str = "") -> dict[str, Any]:
        """Filter arguments that keep scorecards (or rows reached through ``prefix``) in
        the scope's area."""
        return area_card_filter(self.region, prefix)

    def contains(self, region: Region | None) -> bool:
        """Whether ``region`` lies within the scope (the province for None)."""
        if self.region is None:
            return True
        return region is not None and region.path.startswith(self.region.path)

    # -- what ----------------------------------------------------------------------------
    def cards(self, round_id: int | None = None) -> QuerySet[ScoreCard]:
        """Scorecards of the round (the scope's own by default) within the scope."""
        wanted = round_id if round_id is not None else (self.round.pk if self.round else None)
        if wanted is None:
            return ScoreCard.objects.none()
        return ScoreCard.objects.filter(round_id=wanted, **self.card_filter())

    def assessments(self) -> QuerySet[Assessment]:
        """Assessments of the round within the scope (for status and coverage). A scope
        without a reader (``area_scope``) holds every assessment of its area."""
        if self.round is None:
            return Assessment.objects.none()
        if self.user is None:
            found = Assessment.objects.filter(round=self.round)
            if self.region is not None:
                found = found.filter(community__region__path__startswith=self.region.path)
            return found
        return permissions.assessments_visible_to(self.user).filter(round=self.round)

    def stats_of(self, region: Region | None, round_id: int | None = None) -> AreaStats | None:
        """Stored statistics of an area (the province for None) in the round."""
        wanted = round_id if round_id is not None else (self.round.pk if self.round else None)
        if wanted is None:
            return None
        return AreaStats.objects.filter(round_id=wanted, region=region).first()

    def own_stats(self) -> AreaStats | None:
        return self.stats_of(self.region)

    # -- how it reads --------------------------------------------------------------------
    @property
    def grade_bands(self) -> list[dict[str, Any]]:
        if self.round is None:
            return []
        return list(self.round.grade_bands or self.round.framework.grade_bands)

    def grade_name(self, code: str) -> str:
        return grade_name(self.grade_bands, code)

    def grade_tone(self, code: str) -> int:
        """1 for the best grade, rising to the worst (see indicators.grades.grade_tone)."""
        return grade_tone(self.grade_bands, code)

    @property
    def stale(self) -> bool:
        """Ranks and statistics are older than the latest totals (being updated)."""
        state = self.standings
        return state is not None and state.ranked_version != state.scores_version

    def query(self, **extra: Any) -> str:
        """The query string that keeps this round, plus ``extra``."""
        params = QueryDict(mutable=True)
        if self.round is not None:
            params["round"] = str(self.round.pk)
        for key, value in extra.items():
            if value not in (None, ""):
                params[key] = str(value)
        return params.urlencode()


def can_see_results(user: Any) -> bool:
    return permissions.is_admin(user) or permissions.is_official(user)


def area_scope(round_: Round, region: Region | None) -> Scope:
    """The scope of an area (the province for None) in a round, without a reader: for
    documents built by a task, after the view that asked for them checked the reader's
    scope. Ranks and statistics are read as stored, never refreshed here."""
    if region is not None and region.level == RegionLevel.PROVINCE:
        region = None
    return Scope(
        user=None,
        region=region,
        rounds=[round_],
        round=round_,
        standings=RankState.objects.filter(round_id=round_.pk).first(),
    )


def dashboard_scope(request: HttpRequest) -> Scope:
    """The scope of the requesting user, in the round named by ``?round=`` (the newest
    round otherwise); see ``user_scope``."""
    return user_scope(request.user, int_param(request.GET.get("round")))


def user_scope(user: Any, round_id: int | None) -> Scope:
    """The scope of ``user`` in round ``round_id`` (the newest round they may see when
    it is None or not theirs to see), as the dashboard and the tasks working for a user
    read it. Assessors and others get PermissionDenied: results are for administrators
    and officials. Standings of the round are brought up to date first (at most once per
    ``STANDINGS_MAX_LAG_SECONDS``, see scoring.services.standings_for_page)."""
    if not can_see_results(user):
        raise PermissionDenied
    rounds, chosen = assessment_selectors.round_choice(user=user, round_id=round_id)
    region = user.region if permissions.is_official(user) and user.region_id else None
    if region is not None and region.level == RegionLevel.PROVINCE:
        region = None
    standings = None
    if chosen is not None:
        standings = standings_for_page(
            round_id=chosen.pk, max_lag=timedelta(seconds=settings.STANDINGS_MAX_LAG_SECONDS)
        )
    return Scope(user=user, region=region, rounds=rounds, round=chosen, standings=standings)
