"""Communities: registry codes, checked data, moves, imports; never deleted with history."""

from __future__ import annotations

import pytest
from django.utils import translation

from assessments import services
from assessments.errors import ValidationFailed
from assessments.models import Community
from tests.factories import make_assessment, make_community, region_chain

pytestmark = pytest.mark.django_db


def data(street, **changes):
    values = {
        "code": "370102001001",
        "name": "阳光社区",
        "region": street,
        "households": 100,
        "residents": 250,
    }
    return services.CommunityData(**{**values, **changes})


def test_a_community_gets_its_city_and_district_from_its_region():
    street = region_chain()
    community = services.community_create(data=data(street))
    assert (community.city, community.district) == (street.city, street.district)


def test_every_bad_field_is_named():
    street = region_chain()
    with pytest.raises(ValidationFailed) as caught:
        services.community_create(
            data=data(street.city, code="有 空格", name="", households=-1, area_type="moon")
        )
    assert sorted(str(p.field) for p in caught.value.problems) == [
        "area_type",
        "code",
        "households",
        "name",
        "region",
    ]
    with pytest.raises(ValidationFailed) as fewer:
        services.community_create(data=data(street, households=300, residents=10))
    assert [p.field for p in fewer.value.problems] == ["residents"]
    assert not Community.objects.exists()


def test_registry_codes_and_names_in_a_region_are_unique():
    street = region_chain()
    services.community_create(data=data(street))
    with pytest.raises(ValidationFailed) as caught:
        services.community_create(data=data(street))
    assert sorted(str(p.field) for p in caught.value.problems) == ["code", "name"]


def test_a_moved_community_carries_its_links():
    first, second = region_chain("济南市"), region_chain("青岛市")
    community = services.community_create(data=data(first))
    services.community_update(community=community, data=data(second))
    community.refresh_from_db()
    assert (community.city, community.district) == (second.city, second.district)


def test_a_community_with_assessments_is_never_deleted(framework):
    community = make_community()
    make_assessment(framework, community=community)
    with pytest.raises(ValidationFailed):
        services.community_delete(community=community)
    assert Community.objects.filter(pk=community.pk).exists()


def test_an_import_is_all_or_nothing_and_idempotent():
    street = region_chain()
    rows = [data(street, code=f"C{n}", name=f"社区{n}") for n in range(3)]
    first = services.communities_import(rows=rows)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    again = services.communities_import(rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = [*rows[:2], data(street, code="C2", name="社区2", households=120, residents=300)]
    assert services.communities_import(rows=changed).updated == 1

    bad = [data(street, code="C9", name="社区9"), data(street, code="C9", name="另一个")]
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.communities_import(rows=bad)
    assert caught.value.messages == ["Row 2: registry code C9 repeats row 1."]
    clash = [data(street, code="C10", name="社区0")]
    with pytest.raises(ValidationFailed):
        services.communities_import(rows=clash)
    assert Community.objects.count() == 3
