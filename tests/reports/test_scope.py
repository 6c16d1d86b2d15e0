"""Who sees which results: administrators and officials by region; nobody else."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from reports.scope import dashboard_scope
from scoring.models import AreaStats

pytestmark = pytest.mark.django_db


def scope_for(user, **params):
    request = RequestFactory().get("/dashboard/", params)
    request.user = user
    return dashboard_scope(request)


@pytest.mark.parametrize(
    ("who", "region"),
    [
        ("admin", None),
        ("official", None),
        ("official_jinan", "jinan"),
        ("official_lixia", "lixia"),
    ],
)
def test_each_reader_sees_the_scorecards_of_their_area(results, who, region):
    scope = scope_for(results.users[who])
    names = set(scope.cards().values_list("assessment__community__name", flat=True))
    expected = set(results.communities) if region is None else results.in_region(region)
    assert names == expected
    assert scope.round == results.current, "the newest round by default"
    own = scope.own_stats()
    assert isinstance(own, AreaStats) and own.scored == len(expected)


def test_the_round_can_be_chosen_and_a_bogus_one_falls_back(results):
    admin = results.users["admin"]
    assert scope_for(admin, round=str(results.previous.pk)).round == results.previous
    assert scope_for(admin, round="999999").round == results.current


def test_assessors_get_no_results(results):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        scope_for(results.users["assessor"])
