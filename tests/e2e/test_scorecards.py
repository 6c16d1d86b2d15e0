"""In a browser: a city official downloads a community's PDF scorecard from its page, and
anyone holding the paper checks its verification code on a phone without logging in."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import ARTIFACTS, log_in
from tests.reports.pdf_helpers import pdf_text
from tests.results import Results, build_results

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def results(framework: Any, spec: Any, settings: Any, tmp_path: Any) -> Results:
    # Built per test: the live server's threads read committed data.
    settings.PDF_ROOT = tmp_path / "pdfs"
    return build_results(framework, spec)


def test_download_the_scorecard_then_verify_its_code_on_a_phone(results, live_server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    log_in(page, live_server, "zhao")  # the Jinan city official
    community = results.communities["甲社区"]
    page.goto(f"{live_server.url}/dashboard/communities/{community.pk}/")
    with page.expect_download() as download:
        page.click("text=下载评分卡（PDF）")
    assert download.value.suggested_filename.endswith(".pdf")
    text = pdf_text(download.value.path().read_bytes())
    assert "甲社区" in text and "智慧社区评价评分卡" in text
    code = re.search(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b", text)
    assert code is not None
    context.close()

    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/verify/")
    page.fill("#id_code", code.group(0).lower().replace("-", " "))
    page.click(".verify-form button")
    page.wait_for_selector(".verdict")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "verify-valid-phone.png"), full_page=True)
    body = page.inner_text("main")
    assert page.locator(".verdict-valid").count() == 1, (code.group(0), page.url, body)
    assert "甲社区" in body and "有效" in body
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.close()
