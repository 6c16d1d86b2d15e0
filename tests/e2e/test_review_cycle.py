"""The whole cycle in a browser: an assessor fills a complete assessment through the page,
uploads evidence and submits; a reviewer rejects one item's evidence and returns the
assessment with a reason; the assessor corrects it and submits again; the reviewer sees
what changed and approves. Screenshots on a laptop and on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accounts.models import Role
from assessments.models import Assessment, ItemReview
from indicators.specs import framework_catalog
from scoring.engine import ItemType
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import UserFactory, make_assessment, make_community, make_round, region_chain

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def field(page: Any, name: str) -> Any:
    return page.locator(f"[name='{name}']")


def fill_item(page: Any, spec: Any) -> None:
    """A good answer for the item, typed or clicked the way a person would."""
    code = spec.code
    if spec.type == ItemType.RATIO:
        field(page, f"{code}.numerator").fill("1000")
        field(page, f"{code}.denominator").fill("1,000")
    elif spec.type == ItemType.SAVING:
        field(page, f"{code}.baseline").fill("200000")
        field(page, f"{code}.actual").fill("150000")
    elif spec.type == ItemType.MAX_VALUE:
        field(page, f"{code}.value").fill("10")
    elif spec.type == ItemType.COUNT_MIN:
        field(page, f"{code}.count").fill("5")
    elif spec.type == ItemType.BOOLEAN:
        page.check(f"[name='{code}.value'][value='true']")
    elif spec.type == ItemType.CHECKLIST:
        for option in spec.options:
            page.check(f"[name='{code}.checked'][value='{option}']")
    else:
        page.check(f"[name='{code}.level'][value='{spec.max_level}']")
        field(page, f"{code}.applications.0.name").fill("智慧养老平台")
        field(page, f"{code}.applications.0.technology").select_option("ai")
        field(page, f"{code}.applications.0.domain").select_option("service")


def save(page: Any, indicator: str) -> None:
    page.click(f"#{indicator} .save-bar button")
    page.wait_for_function(
        f"document.getElementById('status-{indicator}').textContent.match(/\\d\\d:\\d\\d/)"
    )


def test_fill_submit_return_correct_resubmit_approve(
    framework, live_server, browser, tmp_path, settings
):
    settings.UPLOAD_ROOT = tmp_path
    assessor = UserFactory(username="li", role=Role.ASSESSOR, last_name="李", first_name="晓明")
    UserFactory(username="wang", role=Role.ADMINISTRATOR, is_staff=True, last_name="王")
    round_ = make_round(framework, name="2026年度智慧社区评估", evidence_required=False)
    assessment = make_assessment(
        framework,
        round=round_,
        community=make_community(region_chain(), "阳光社区"),
        assessors=(assessor,),
    )
    catalog = framework_catalog(framework)
    pdf = tmp_path / "路灯台账.pdf"
    pdf.write_bytes(b"%PDF-1.4 ledger of public lights")
    stamped = tmp_path / "路灯台账-盖章.pdf"
    stamped.write_bytes(b"%PDF-1.4 ledger of public lights, stamped")

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    log_in(page, live_server, "li")
    page.click("text=阳光社区")
    page.wait_for_selector("#L1P8")
    snap(page, "assessment-empty")

    for primary in catalog.primaries:
        for indicator in primary.indicators.all():
            for item in indicator.items.all():
                fill_item(page, catalog.spec.items[item.code])
            save(page, indicator.code)
    assert page.inner_text("[data-score-for='total']") == "100.00"
    page.set_input_files("[form='evidence-form-L1P8.1'][type=file]", str(pdf))
    page.wait_for_selector("#evidence-L1P8\\.1 >> text=路灯台账.pdf")
    snap(page, "assessment-filled")

    page.click("[data-submit-form] button")
    page.wait_for_selector(".badge.status-submitted")
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"
    context.close()

    # The reviewer rejects the lights' evidence and returns the indicator.
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    log_in(page, live_server, "wang")
    page.goto(f"{live_server.url}/review/")
    page.click("text=阳光社区")
    page.fill("#review-L1P8\\.1 input[name=comment]", "台账缺少盖章")
    page.click("#review-L1P8\\.1 button[value=rejected]")
    page.wait_for_selector("#review-L1P8\\.1 >> text=台账缺少盖章")
    assert ItemReview.objects.get(item__code="L1P8.1").status == "rejected"
    page.click(".return-form summary")
    page.check("input[name=indicators][value=L1P8]")
    page.fill("input[name='reason-L1P8']", "请补充盖章的路灯台账，并核对智能控制的路灯数量")
    snap(page, "review-return")
    page.click(".return-form button.danger")
    page.wait_for_url(re.compile(r".*/review/$"))
    assert Assessment.objects.get(pk=assessment.pk).status == "returned"
    context.close()

    # The assessor sees the reason, corrects the figure and the evidence, submits again.
    context = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True)
    page = context.new_page()
    log_in(page, live_server, "li")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    assert "请补充盖章的路灯台账" in page.inner_text(".returned")
    assert page.locator("#L2P1 fieldset[disabled]").count() == 1, "other indicators stay shut"
    field(page, "L1P8.1.numerator").fill("980")
    save(page, "L1P8")
    page.set_input_files("[form='evidence-form-L1P8.1'][type=file]", str(stamped))
    page.wait_for_function(
        "document.querySelectorAll('#evidence-L1P8\\\\.1 .evidence-list li').length === 2"
    )
    snap(page, "assessment-returned-phone")
    page.click("[data-submit-form] button")
    page.wait_for_selector(".badge.status-submitted")
    context.close()

    # The reviewer sees exactly what changed and approves.
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    log_in(page, live_server, "wang")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/review/")
    diff = page.inner_text(".diff")
    assert "1000 / 1000" in diff and "980 / 1000" in diff and "路灯台账-盖章.pdf" in diff
    snap(page, "review-diff")
    page.click("#review-L1P8\\.1 button[value=accepted]")
    page.wait_for_selector("#review-L1P8\\.1 .review-accepted")
    page.click(".decision button.primary")
    page.wait_for_url(re.compile(r".*/review/$"))
    assert Assessment.objects.get(pk=assessment.pk).status == "approved"
    context.close()


def snap(page: Any, name: str) -> None:
    """A screenshot of any page (the ``screenshot`` fixture takes only its own)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
