import pytest

from accounts.models import Role, User
from accounts.services import user_save
from common.errors import ValidationFailed
from tests.factories import UserFactory, region_chain


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [("明", "李", "李明"), ("Ming", "Li", "Ming Li"), ("", "", "u1"), ("", "王", "王")],
)
def test_display_name_orders_chinese_names_family_first(first, last, expected):
    assert User(username="u1", first_name=first, last_name=last).display_name == expected


@pytest.mark.django_db
def test_an_official_is_limited_to_a_city_or_a_district_not_a_street():
    street = region_chain()
    official = UserFactory.build(role=Role.OFFICIAL, region=street)
    with pytest.raises(ValidationFailed) as caught:
        user_save(user=official)
    assert caught.value.problems[0].field == "region"
    official.region = street.parent
    assert user_save(user=official).pk
