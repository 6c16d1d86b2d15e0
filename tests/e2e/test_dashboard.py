"""The dashboard in a browser, as its readers use it: an administrator narrows the ranking
to a city, opens a community, follows its path to the next grade, compares three
communities and downloads the ranking; an official limited to 济南市 does the same and
never meets 青岛市. Screenshots on a laptop and on a phone."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import ARTIFACTS, log_in
from tests.results import Results, build_results

pytestmark = pytest.mark.django_db(transaction=True)
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def results(framework: Any, spec: Any) -> Results:
    """Built for each test: the live server reads committed data, so these tests cannot
    share the rolled-back data set of the other dashboard tests."""
    return build_results(framework, spec)


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def ranked_names(page: Any) -> list[str]:
    return page.locator("table.ranking td.who a").all_inner_texts()


def walk(page: Any, live_server: Any, results: Any, who: str) -> dict[str, Any]:
    """The reader's journey; returns what they saw on the way."""
    seen: dict[str, Any] = {}
    page.click("nav.mainnav >> text=数据看板")
    page.wait_for_selector("main h1")
    charts = page.locator("[data-chart]")
    page.wait_for_function(
        "[...document.querySelectorAll('[data-chart]')].every(c => c.dataset.drawn)"
    )
    seen["charts"] = charts.count()
    seen["overview"] = page.inner_text("main")
    shot(page, f"dashboard-{who}-overview")

    page.click("nav.dash-tabs >> text=排名")
    page.wait_for_selector("table.ranking")
    seen["ranking, all"] = ranked_names(page)
    page.select_option("select[name=city]", label="济南市")  # submits by itself
    page.wait_for_url("**city=*")
    jinan = ranked_names(page)
    seen["ranking, 济南市"] = jinan
    shot(page, f"dashboard-{who}-ranking")

    page.click(f"table.ranking td.who a >> text={jinan[0]}")
    page.wait_for_selector("text=晋级路径")
    seen["community"] = page.inner_text("main h1")
    shot(page, f"dashboard-{who}-community")
    page.click("text=晋级路径")
    page.wait_for_url("**/next-grade/**")
    seen["next grade"] = page.inner_text(".plan-summary .headline")
    shot(page, f"dashboard-{who}-next-grade")

    page.go_back()
    page.go_back()
    page.wait_for_selector("table.ranking")
    for name in jinan[:3]:
        page.check(f"input[aria-label='选择“{name}”进行对比']")
    page.click("text=对比所选社区")
    page.wait_for_url("**/compare/**")
    seen["compared"] = page.locator("table.side-by-side thead th").all_inner_texts()
    shot(page, f"dashboard-{who}-compare")

    page.go_back()
    page.wait_for_selector("table.ranking")
    with page.expect_download() as download:
        page.click(".ranking-exports >> text=排名 · Excel")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    seen["export"] = {str(cell.value) for row in sheet.iter_rows() for cell in row}
    seen["export name"] = download.value.suggested_filename

    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_selector("table.ranking")
    shot(page, f"dashboard-{who}-ranking-phone")
    # On a phone the table becomes cards: nothing may stick out sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{who}: the ranking is {width}px wide on a phone"
    page.set_viewport_size(LAPTOP)
    return seen


def test_administrator_and_city_official_find_compare_and_download(results, live_server, browser):
    jinan, qingdao = results.in_region("jinan"), results.in_region("qingdao")
    for who, username in (("admin", "wang"), ("official-jinan", "zhao")):
        context = browser.new_context(viewport=LAPTOP, locale="en-US", reduced_motion="reduce")
        page = context.new_page()
        log_in(page, live_server, username)
        seen = walk(page, live_server, results, who)
        context.close()

        assert seen["charts"] >= 2  # the grade distribution and the primaries, drawn
        assert set(seen["ranking, 济南市"]) == jinan
        if who == "admin":
            assert set(seen["ranking, all"]) == jinan | qingdao
        else:
            # The official's whole ranking is their city's, and no page shows 青岛市.
            assert set(seen["ranking, all"]) == jinan
            assert "青岛" not in seen["overview"]
            assert not seen["export"] & qingdao
        best = seen["ranking, 济南市"][0]
        assert seen["community"] == best
        assert "达到" in seen["next grade"] or "已达最高等级" in seen["next grade"]
        top3 = seen["ranking, 济南市"][:3]
        assert all(any(name in th for th in seen["compared"]) for name in top3)
        assert jinan <= seen["export"] and not seen["export"] & qingdao
        assert seen["export name"].endswith(".xlsx")


def test_the_official_cannot_open_a_community_of_another_city(results, live_server, page):
    log_in(page, live_server, "zhao")
    community = results.communities["庚社区"]  # 青岛市
    response = page.goto(f"{live_server.url}/dashboard/communities/{community.pk}/")
    assert response.status == 404
    assert "庚社区" not in page.inner_text("body")
