import pytest

from accounts.models import User


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [("明", "李", "李明"), ("Ming", "Li", "Ming Li"), ("", "", "u1"), ("", "王", "王")],
)
def test_display_name_orders_chinese_names_family_first(first, last, expected):
    assert User(username="u1", first_name=first, last_name=last).display_name == expected
