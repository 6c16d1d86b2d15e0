"""GET /api/v1/communities/, /communities/<id>/ and /communities/by-code/<code>/: scoped
like the assessments (administrators all, officials their region, assessors those of their
assessments; others 404), contacts for administrators only."""

from __future__ import annotations

import pytest

from accounts.models import Role
from assessments import services
from assessments.choices import AreaType
from assessments.models import Community, Region
from tests.factories import UserFactory, make_community

from .helpers import assert_error

pytestmark = pytest.mark.django_db

LIST = "/api/v1/communities/"

#: Who sees which of the cast's communities.
SEES = {
    "administrator": ["甲社区", "乙社区"],
    "official_province": ["甲社区", "乙社区"],
    "official_city": ["甲社区"],
    "official_district": ["乙社区"],
    "assessor_a": ["甲社区"],
    "assessor_b": ["乙社区"],
}


def names(answer) -> list[str]:
    assert answer.status_code == 200, answer.content
    return [c["name"] for c in answer.json()["results"]]


@pytest.fixture
def contacts(cast):
    """甲社区 with a contact person and phone, and more about it."""
    services.community_update(
        community=cast.a.community,
        data=services.CommunityData(
            code=cast.a.community.code,
            name="甲社区",
            region=cast.a.community.region,
            households=1200,
            residents=3100,
            address="历下区解放路 1 号",
            area_type=AreaType.URBAN,
            contact_name="李四",
            contact_phone="0531-12345678",
        ),
    )
    return Community.objects.get(pk=cast.a.community_id)


@pytest.mark.parametrize("role", sorted(SEES))
def test_each_role_lists_only_the_communities_in_its_scope(cast, role):
    assert names(cast.client(role).get(LIST)) == SEES[role]


def test_an_assessor_of_nothing_and_anonymous_see_nothing(cast, api_client_for):
    stranger = api_client_for(UserFactory(role=Role.ASSESSOR))
    assert stranger.get(LIST).json()["count"] == 0
    assert_error(stranger.get(f"{LIST}{cast.a.community_id}/"), 404, "not_found")
    assert_error(cast.client("anonymous").get(LIST), 401, "not_authenticated")


def test_administrators_see_contacts_others_do_not(cast, contacts):
    admin = cast.client("administrator").get(f"{LIST}{contacts.pk}/").json()
    street = contacts.region
    assert admin == {
        "id": contacts.pk,
        "code": contacts.code,
        "name": "甲社区",
        "region": {"id": street.pk, "code": street.code, "name": "解放路街道"},
        "city": {"id": street.city_id, "code": street.city.code, "name": "济南市"},
        "district": {"id": street.district_id, "code": street.district.code, "name": "历下区"},
        "address": "历下区解放路 1 号",
        "households": 1200,
        "residents": 3100,
        "area_type": "urban",
        "is_active": True,
        "contact_name": "李四",
        "contact_phone": "0531-12345678",
    }
    for role in ("official_city", "assessor_a", "official_province"):
        seen = cast.client(role).get(f"{LIST}{contacts.pk}/").json()
        assert "contact_name" not in seen and "contact_phone" not in seen
        assert seen["households"] == 1200
        listed = cast.client(role).get(LIST).json()["results"][0]
        assert "contact_phone" not in listed


@pytest.mark.parametrize("role", sorted(SEES))
def test_a_community_out_of_scope_is_404_by_id_and_by_code(cast, role):
    for assessment in (cast.a, cast.b):
        community = assessment.community
        visible = community.name in SEES[role]
        by_id = cast.client(role).get(f"{LIST}{community.pk}/")
        by_code = cast.client(role).get(f"{LIST}by-code/{community.code}/")
        if visible:
            assert by_id.json()["code"] == by_code.json()["code"] == community.code
        else:
            assert_error(by_id, 404, "not_found")
            assert_error(by_code, 404, "not_found")


@pytest.mark.parametrize("code", ["NOPE", "x" * 40, "%00", "99999999999999999999999"])
def test_an_unknown_code_is_404(cast, code):
    assert_error(cast.client("administrator").get(f"{LIST}by-code/{code}/"), 404, "not_found")


def test_filters_by_city_district_region_code_text_area_and_state(cast, contacts):
    street_a = contacts.region
    rural = make_community(street_a, "丙村")
    services.community_update(
        community=rural,
        data=services.CommunityData(
            code=rural.code,
            name="丙村",
            region=street_a,
            households=80,
            residents=200,
            area_type=AreaType.RURAL,
            is_active=False,
        ),
    )
    client = cast.client("administrator")
    qingdao = Region.objects.get(name_zh="青岛市")
    shinan = Region.objects.get(name_zh="市南区")
    assert names(client.get(LIST, {"city": street_a.city_id})) == ["丙村", "甲社区"]
    assert names(client.get(LIST, {"district": shinan.pk})) == ["乙社区"]
    assert names(client.get(LIST, {"region": qingdao.pk})) == ["乙社区"]
    assert names(client.get(LIST, {"region": street_a.pk})) == ["丙村", "甲社区"]
    assert names(client.get(LIST, {"region": 987654})) == []
    assert names(client.get(LIST, {"code": rural.code})) == ["丙村"]
    assert names(client.get(LIST, {"q": "解放路"})) == ["甲社区"]  # the address
    assert names(client.get(LIST, {"q": "乙"})) == ["乙社区"]
    assert names(client.get(LIST, {"area_type": "rural"})) == ["丙村"]
    assert names(client.get(LIST, {"active": "false"})) == ["丙村"]
    assert names(client.get(LIST, {"active": "true"})) == ["甲社区", "乙社区"]
    # filters never widen the scope
    assert names(cast.client("official_city").get(LIST, {"region": qingdao.pk})) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"area_type": "suburban"}, "area_type"),
        ({"city": "abc"}, "city"),
        ({"region": "1.5"}, "region"),
        ({"code": "x" * 33}, "code"),
    ],
)
def test_a_bad_filter_is_400_naming_it(cast, params, field):
    body = assert_error(cast.client("official_province").get(LIST, params), 400, "invalid")
    assert [d["field"] for d in body["details"]] == [field]


def test_the_list_costs_the_same_queries_for_5_or_30_rows(cast, django_assert_max_num_queries):
    street = cast.a.community.region
    for n in range(30):
        make_community(street, f"社区{n:02d}")
    client = cast.client("official_city")
    with django_assert_max_num_queries(4) as small:
        assert len(client.get(LIST, {"page_size": 5}).json()["results"]) == 5
    with django_assert_max_num_queries(len(small.captured_queries)):
        answer = client.get(LIST, {"page_size": 30}).json()
    assert len(answer["results"]) == 30 and answer["count"] == 31
