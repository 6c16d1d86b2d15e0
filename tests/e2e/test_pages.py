"""A person logs in and finds their assessments and the indicator framework."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.factories import UserFactory, make_assessment, make_community, make_round, region_chain

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-only")
    page.click("button.primary")


def test_assessor_logs_in_and_sees_only_assigned_communities(
    framework, live_server, page, screenshot
):
    assessor = UserFactory(username="li", role=Role.ASSESSOR, last_name="李", first_name="晓明")
    round_ = make_round(framework, name="2026年度智慧社区评估")
    for name, street in (("阳光社区", region_chain()), ("和平社区", region_chain("青岛市"))):
        make_assessment(
            framework,
            round=round_,
            community=make_community(street, name),
            assessors=(assessor,) if name == "阳光社区" else (),
        )
    log_in(page, live_server, "li")
    page.wait_for_selector("table.grid")
    body = page.inner_text("body")
    assert "阳光社区" in body and "和平社区" not in body
    # The home page in Chinese: an assessor's list is "My assessments", "我的评估".
    assert page.title() == "评估"
    assert page.inner_text("main h1") == "我的评估"
    # The header names the signed-in user (family name first) and their role.
    assert page.inner_text("header .who") == "李晓明 · 评估员"
    screenshot("home-assessor")


def test_wrong_password_shows_an_error_in_chinese(framework, live_server, page, screenshot):
    UserFactory(username="wang", role=Role.ADMINISTRATOR)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "wang")
    page.fill("#id_password", "wrong")
    page.click("button.primary")
    assert "请输入一个正确的" in page.inner_text(".errors")
    screenshot("login-error")


def test_framework_page_lists_the_indicators_and_switches_to_english(
    framework, live_server, page, screenshot
):
    UserFactory(username="chen", role=Role.OFFICIAL)
    log_in(page, live_server, "chen")
    page.goto(f"{live_server.url}/frameworks/{framework.pk}/")
    assert "智能照明" in page.inner_text("main")
    screenshot("framework-zh")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert "Smart lighting" in page.inner_text("main")
    screenshot("framework-en")
