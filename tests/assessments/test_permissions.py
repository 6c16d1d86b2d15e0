"""Each role against each kind of object: who sees and who may change what."""

from __future__ import annotations

import pytest

from accounts.models import Role
from assessments import permissions
from assessments.models import Assessment, Community
from tests.factories import UserFactory, make_assessment, make_community, make_round, region_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(framework):
    """Two cities with one community each, one round, and a user of every kind."""
    street_a = region_chain("济南市", "历下区", "解放路街道")
    street_b = region_chain("青岛市", "市南区", "八大关街道")
    round_ = make_round(framework)
    assessor_a = UserFactory(role=Role.ASSESSOR)
    assessor_b = UserFactory(role=Role.ASSESSOR)
    a = make_assessment(
        framework,
        round=round_,
        community=make_community(street_a, "甲社区"),
        assessors=(assessor_a,),
    )
    b = make_assessment(
        framework,
        round=round_,
        community=make_community(street_b, "乙社区"),
        assessors=(assessor_b,),
    )
    return {
        "a": a,
        "b": b,
        "assessor_a": assessor_a,
        "admin": UserFactory(role=Role.ADMINISTRATOR),
        "superuser": UserFactory(role=Role.ASSESSOR, is_superuser=True),
        "official_all": UserFactory(role=Role.OFFICIAL),
        "official_city_a": UserFactory(role=Role.OFFICIAL, region=street_a.city),
        "official_district_b": UserFactory(role=Role.OFFICIAL, region=street_b.district),
        "inactive_admin": UserFactory(role=Role.ADMINISTRATOR, is_active=False),
    }


# user -> (assessments visible, can edit a, can review a)
EXPECTED = {
    "admin": ({"a", "b"}, True, True),
    "superuser": ({"a", "b"}, True, True),
    "assessor_a": ({"a"}, True, False),
    "official_all": ({"a", "b"}, False, False),
    "official_city_a": ({"a"}, False, False),
    "official_district_b": ({"b"}, False, False),
    "inactive_admin": (set(), False, False),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_assessment_visibility_and_rights_per_role(world, who):
    user = world[who]
    visible_names, edits_a, reviews_a = EXPECTED[who]
    visible = set(permissions.assessments_visible_to(user).values_list("pk", flat=True))
    assert visible == {world[n].pk for n in visible_names}
    for name in ("a", "b"):
        assert permissions.can_view_assessment(user, world[name]) == (name in visible_names)
    assert permissions.can_edit_assessment(user, world["a"]) == edits_a
    assert permissions.can_edit_assessment(user, world["b"]) == (edits_a and who != "assessor_a")
    assert permissions.can_review_assessment(user, world["a"]) == reviews_a


def test_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert not permissions.assessments_visible_to(anon).exists()
    assert not permissions.can_view_assessment(anon, world["a"])
    assert Assessment.objects.count() == 2 and Community.objects.count() == 2
