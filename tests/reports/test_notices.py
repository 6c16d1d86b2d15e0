"""Public notices (公示): an administrator publishes a round's approved results for the
province or an area and may withdraw them; anyone reads the notice as a page and a PDF.

The ``results`` world's 2026 round has approved (甲, 丙, 庚), submitted (乙, 辛), returned
(戊) and draft (丁, 己) assessments: only the approved ones may ever appear. The PDFs are
rendered by WeasyPrint and read back with poppler's pdftotext and pdffonts."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services
from assessments.models import Community
from common.errors import NotAllowedError
from demo.answers import make_answers
from indicators.specs import framework_spec
from reports.models import PublicNotice, RenderedPdf
from reports.notices import selectors
from reports.notices import services as notice_services
from reports.pdf.store import pdf_path
from scoring.models import ScoreCard
from scoring.services import scorecards_compute

from .pdf_helpers import assert_cjk_subset_embedded, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

APPROVED = {"甲社区", "丙社区", "庚社区"}
NOT_APPROVED = {"乙社区", "丁社区", "戊社区", "己社区", "辛社区"}  # submitted, draft, returned
CONTACT = "山东省大数据局数字社会处，电话：0531-86000000，地址：济南市历下区"
NEW = reverse("dashboard:notice-new")
MANAGE = reverse("dashboard:notices")


@pytest.fixture(autouse=True)
def pdf_root(settings: Any, tmp_path: Path) -> Path:
    settings.PDF_ROOT = tmp_path / "pdfs"
    return settings.PDF_ROOT


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def form_data(results: Any, **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "round": results.current.pk,
        "region": "",
        "title": "",
        "preamble": "",
        "period_start": today.isoformat(),
        "period_end": (today + dt.timedelta(days=7)).isoformat(),
        "contact": CONTACT,
        "issuer": "山东省大数据局",
    }
    data.update(changes)
    return data


def publish(client: Any, results: Any, **changes: Any) -> PublicNotice:
    """Publish through the form as the administrator; the new notice."""
    client.force_login(results.users["admin"])
    before = set(PublicNotice.objects.values_list("pk", flat=True))
    response = client.post(NEW, form_data(results, **changes))
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == MANAGE
    (notice,) = PublicNotice.objects.exclude(pk__in=before)
    client.logout()
    return notice


def page_text(client: Any, notice: PublicNotice) -> str:
    response = client.get(reverse("notices:detail", args=[notice.pk]))
    assert response.status_code == 200
    return response.content.decode().replace("\xa0", " ")


def pdf_file(client: Any, notice: PublicNotice, tmp_path: Path) -> Path:
    response = client.get(reverse("notices:pdf", args=[notice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    path = tmp_path / f"notice-{notice.pk}-{len(list(tmp_path.glob('notice-*.pdf')))}.pdf"
    path.write_bytes(data)
    return path


def listed(text: str, names: set[str]) -> set[str]:
    return {name for name in names if name in text}


def add_approved(results: Any, count: int, *, prefix: str) -> None:
    """``count`` more approved and scored assessments in the 2026 round (解放路街道)."""
    spec = framework_spec(results.current.framework)
    assessor, admin = results.users["assessor"], results.users["admin"]
    made = []
    for n in range(count):
        community = services.community_create(
            data=services.CommunityData(
                code=f"PN-{prefix}-{n}", name=f"公示{prefix}{n:02d}社区",
                region=results.regions["jiefang"], households=600, residents=1800,
            )
        )  # fmt: skip
        assessment = services.assessment_create(
            round=results.current, community=community, assessors=(assessor,)
        )
        values = make_answers(spec, 0.4 + 0.02 * n, random.Random(f"{prefix}{n}"))
        services.answers_save(actor=assessor, assessment=assessment, values=values)
        services.assessment_submit(actor=assessor, assessment=assessment)
        services.assessment_approve(actor=admin, assessment=assessment)
        made.append(assessment.pk)
    scorecards_compute(assessment_ids=made)


# -- what a notice lists -------------------------------------------------------------------


def test_a_notice_published_through_the_form_lists_only_approved_communities(
    client, results, tmp_path
):
    notice = publish(client, results)
    assert notice.region is None and notice.published_by == results.users["admin"]
    body = page_text(client, notice)  # anonymous
    assert listed(body, APPROVED) == APPROVED
    assert listed(body, NOT_APPROVED) == set(), "a draft, submitted or returned one is listed"
    text = pdf_text(pdf_file(client, notice, tmp_path))
    assert listed(text, APPROVED) == APPROVED
    assert listed(text, NOT_APPROVED) == set()
    for card in ScoreCard.objects.filter(round=results.current, assessment__status="approved"):
        assert f"{card.total:.2f}" in text and f"{card.total:.2f}" in body


def test_the_notice_never_contains_an_unapproved_community(client, results, tmp_path):
    """Also after publishing: an approved result reopened since drops out of the page and
    the PDF, and one approved since joins them."""
    notice = publish(client, results)
    first = pdf_file(client, notice, tmp_path)
    admin = results.users["admin"]
    services.assessment_reopen(
        actor=admin, assessment=results.assessment("2026", "甲社区"), comment="复核"
    )
    services.assessment_approve(actor=admin, assessment=results.assessment("2026", "乙社区"))
    body = page_text(client, notice)
    text = pdf_text(pdf_file(client, notice, tmp_path))
    expected = (APPROVED - {"甲社区"}) | {"乙社区"}
    for shown in (body, text):
        assert listed(shown, APPROVED | NOT_APPROVED) == expected
    assert "甲社区" in pdf_text(first), "the first rendering was of the notice as it was then"


def test_the_rows_are_ranked_by_total_with_shared_ranks_for_equal_totals(client, results):
    notice = publish(client, results)
    cards = ScoreCard.objects.filter(round=results.current, assessment__status="approved")
    totals = sorted((card.total for card in cards), reverse=True)
    rows = selectors.notice_rows(notice)
    assert [row.total for row in rows] == totals
    assert [row.rank for row in rows] == [1, 2, 3]
    cards.filter(assessment__community__name__in=["甲社区", "丙社区"]).update(total="80.00")
    cards.filter(assessment__community__name="庚社区").update(total="90.00")
    rows = selectors.notice_rows(notice)
    assert [(row.rank, row.community, row.total_text) for row in rows] == [
        (1, "庚社区", "90.00"),
        (2, "丙社区", "80.00"),  # equal totals: by name, sharing the rank
        (2, "甲社区", "80.00"),
    ]
    with translation.override("zh-hans"):
        assert selectors.notice_rows(notice)[0].area == "青岛市市南区"
    with translation.override("en"):
        assert selectors.notice_rows(notice)[0].area == "市南区, 青岛市"


@pytest.mark.parametrize(
    ("key", "expected"),
    [("jinan", {"甲社区", "丙社区"}), ("lixia", {"甲社区", "丙社区"}), ("qingdao", {"庚社区"})],
)
def test_a_notice_of_an_area_lists_only_that_area(client, results, tmp_path, key, expected):
    region = results.regions[key]
    notice = publish(client, results, region=region.pk)
    assert notice.region == region
    assert region.name_zh in notice.title
    body = page_text(client, notice)
    text = pdf_text(pdf_file(client, notice, tmp_path))
    for shown in (body, text):
        assert listed(shown, APPROVED | NOT_APPROVED) == expected


def test_the_page_and_the_pdf_have_the_parts_of_a_notice(client, results, tmp_path):
    notice = publish(client, results, period_start="2026-11-26", period_end="2026-12-02", region="")
    assert notice.title == "关于2026年度评估结果的公示"
    body = page_text(client, notice)
    path = pdf_file(client, notice, tmp_path)
    text = pdf_text(path)
    published = timezone.localtime(notice.published_at).date()
    date = f"{published.year}年{published.month}月{published.day}日"
    for shown in (body, text):
        assert "关于2026年度评估结果的公示" in shown
        assert "DB37/T 3890.3-2020" in shown
        assert "公示期：2026年11月26日至2026年12月2日" in shown
        assert "0531-86000000" in shown
        assert "山东省大数据局" in shown
        assert date in shown
        for header in ("Rank", "Community name", "District or county", "Total", "Grade"):
            assert zh(header) in shown
    assert reverse("notices:pdf", args=[notice.pk]) in body
    # The districts of a province-wide notice come with their cities.
    assert re.search(r"济南市\s*历下区", text) and re.search(r"青岛市\s*市南区", text)
    response = client.get(reverse("notices:pdf", args=[notice.pk]))
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "%E5%85%AC%E7%A4%BA-" in response["Content-Disposition"]  # 公示-<title>.pdf


def test_an_edited_preamble_is_escaped_and_kept_in_paragraphs(client, results, tmp_path):
    preamble = "依据DB37/T 3890.3-2020开展评价。<script>x</script>\n\n第二段说明。"
    notice = publish(client, results, preamble=preamble)
    body = page_text(client, notice)
    assert "<script>x</script>" not in body and "&lt;script&gt;x&lt;/script&gt;" in body
    assert body.count('class="notice-preamble"') == 2
    assert '<span class="nowrap">DB37/T 3890.3-2020</span>' in body
    text = pdf_text(pdf_file(client, notice, tmp_path))
    assert "第二段说明" in text and "DB37/T 3890.3-2020" in text


def test_nothing_personal_is_on_the_page_or_the_pdf(client, results, tmp_path):
    Community.objects.filter(name__in=APPROVED).update(
        contact_name="张联络", contact_phone="13800138000", address="幸福路88号"
    )
    notice = publish(client, results)
    body = page_text(client, notice)
    text = pdf_text(pdf_file(client, notice, tmp_path))
    people = [results.users[key] for key in ("admin", "assessor")]
    for shown in (body, text):
        for secret in ("张联络", "13800138000", "幸福路88号"):
            assert secret not in shown
        for user in people:
            assert user.display_name not in shown
            assert f">{user.username}<" not in shown and f" {user.username} " not in shown
        assert "请补充材料" not in shown  # the reason a result was returned


def test_the_pdf_embeds_a_subset_cjk_font(client, results, tmp_path):
    path = pdf_file(client, publish(client, results), tmp_path)
    assert_cjk_subset_embedded(path)


def test_a_long_notice_repeats_the_table_header_and_keeps_its_queries(client, results, tmp_path):
    add_approved(results, 2, prefix="a")
    notice = publish(client, results)
    url = reverse("notices:detail", args=[notice.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert len(response.context["content"].rows) == 5
    add_approved(results, 25, prefix="b")
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["content"].rows) == 30
    assert len(many) == len(few) <= 4, [q["sql"] for q in many.captured_queries]
    path = pdf_file(client, notice, tmp_path)
    assert pdf_pages(path) >= 2
    header = [zh("Rank"), zh("Community name"), zh("Total")]
    for number in range(1, pdf_pages(path) + 1):
        lines = pdf_text(path, number).splitlines()
        rows = [n for n, line in enumerate(lines) if re.search(r"公示[ab]\d\d社区", line)]
        if rows:
            above = lines[: rows[0]]
            assert any(all(word in line for word in header) for line in above), (number, above)


def test_an_english_reader_gets_the_notice_in_english(client, results, tmp_path):
    notice = publish(client, results)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = page_text(client, notice)
    text = pdf_text(pdf_file(client, notice, tmp_path))
    for shown in (body, text):
        assert "Notice period:" in shown
        assert listed(shown, APPROVED | NOT_APPROVED) == APPROVED
    assert RenderedPdf.objects.filter(key=f"notice:{notice.pk}:en").exists()


# -- withdrawing ---------------------------------------------------------------------------


def test_a_withdrawn_notice_is_gone_from_the_public(client, results, tmp_path):
    notice = publish(client, results)
    pdf = pdf_file(client, notice, tmp_path)
    stored = RenderedPdf.objects.get(key=f"notice:{notice.pk}:zh")
    assert pdf_path(stored).is_file() and pdf.stat().st_size
    assert notice.title in client.get(reverse("notices:list")).content.decode()
    client.force_login(results.users["admin"])
    url = reverse("dashboard:notice-withdraw", args=[notice.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'name="reason"' in confirm.content.decode()
    response = client.post(url, {"reason": "数据复核中"})
    assert response.status_code == 302 and response["Location"] == MANAGE
    notice.refresh_from_db()
    assert notice.is_withdrawn and notice.withdraw_reason == "数据复核中"
    assert notice.withdrawn_by == results.users["admin"]
    listing = client.get(MANAGE).content.decode()
    assert notice.title in listing and "数据复核中" in listing
    client.logout()
    assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 404
    assert client.get(reverse("notices:pdf", args=[notice.pk])).status_code == 404
    assert notice.title not in client.get(reverse("notices:list")).content.decode()
    assert not RenderedPdf.objects.filter(key__startswith=f"notice:{notice.pk}:").exists()


def test_withdrawing_needs_a_reason_and_happens_once(client, results):
    notice = publish(client, results)
    client.force_login(results.users["admin"])
    url = reverse("dashboard:notice-withdraw", args=[notice.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    notice.refresh_from_db()
    assert not notice.is_withdrawn
    assert client.post(url, {"reason": "重复发布"}).status_code == 302
    again = client.post(url, {"reason": "再次撤回"})
    assert again.status_code == 409
    notice.refresh_from_db()
    assert notice.withdraw_reason == "重复发布"


def test_unknown_notices_are_404(client, results):
    for name in ("notices:detail", "notices:pdf"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
    client.force_login(results.users["admin"])
    url = reverse("dashboard:notice-withdraw", args=[999999])
    assert client.get(url).status_code == 404


# -- who may do what -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["assessor", "official", "official_jinan"])
def test_only_administrators_manage_notices(client, results, who):
    notice = publish(client, results)
    client.force_login(results.users[who])
    withdraw = reverse("dashboard:notice-withdraw", args=[notice.pk])
    for url in (MANAGE, NEW, withdraw):
        assert client.get(url).status_code == 403, url
    assert client.post(NEW, form_data(results)).status_code == 403
    assert client.post(withdraw, {"reason": "不应成功"}).status_code == 403
    assert PublicNotice.objects.count() == 1
    notice.refresh_from_db()
    assert not notice.is_withdrawn
    # They read the public pages like anyone.
    assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 200
    assert client.get(reverse("notices:list")).status_code == 200


def test_anonymous_visitors_read_notices_but_are_sent_to_log_in_to_manage(client, results):
    notice = publish(client, results)
    withdraw = reverse("dashboard:notice-withdraw", args=[notice.pk])
    for url in (MANAGE, NEW, withdraw):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(withdraw, {"reason": "x"}).status_code == 302
    listing = client.get(reverse("notices:list"))
    assert listing.status_code == 200 and notice.title in listing.content.decode()
    body = page_text(client, notice)
    assert 'class="mainnav"' not in body, "no portal menus for anonymous visitors"
    assert reverse("dashboard:overview") not in body


def test_the_notices_tab_is_shown_to_administrators_only(client, results):
    client.force_login(results.users["admin"])
    assert MANAGE in client.get(reverse("dashboard:overview")).content.decode()
    client.force_login(results.users["official"])
    assert MANAGE not in client.get(reverse("dashboard:overview")).content.decode()


def test_the_service_refuses_non_administrators(results):
    for who in ("assessor", "official"):
        with pytest.raises(NotAllowedError):
            notice_services.notice_publish(
                actor=results.users[who], round=results.current, region=None, title="",
                preamble="", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 1, 8),
                contact=CONTACT, issuer="山东省大数据局",
            )  # fmt: skip
    assert not PublicNotice.objects.exists()


# -- the form ------------------------------------------------------------------------------


def test_the_form_is_prefilled(client, results):
    client.force_login(results.users["admin"])
    response = client.get(NEW, {"round": results.previous.pk})
    assert response.status_code == 200
    form = response.context["form"]
    today = timezone.localdate()
    assert form.initial["period_start"] == today
    assert form.initial["period_end"] == today + dt.timedelta(days=7)
    assert form.initial["round"] == results.previous.pk
    assert form.initial["title"] == "关于2025年度评估结果的公示"
    assert form.initial["issuer"] == "山东省大数据局"
    labels = [label for _value, label in form.fields["region"].choices]
    assert labels[0] == zh("Whole province")
    assert "济南市" in labels and any("历下区" in label for label in labels)
    assert not any("街道" in label for label in labels), "streets are not offered"


def test_a_prefilled_title_follows_the_area_chosen(client, results):
    client.force_login(results.users["admin"])
    form = client.get(NEW).context["form"]
    prefilled = form.initial["title"]
    notice = publish(
        client, results, region=results.regions["jinan"].pk, title=prefilled,
        prefilled_title=prefilled, preamble=form.initial["preamble"],
        prefilled_preamble=form.initial["preamble"],
    )  # fmt: skip
    assert notice.title == "关于济南市2026年度评估结果的公示"
    assert notice.preamble == ""  # worded for its round and area when shown
    content = selectors.notice_content(notice)
    assert "济南市" in content.preamble
    edited = publish(client, results, title="关于某某的公示", prefilled_title=prefilled)
    assert edited.title == "关于某某的公示"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"period_start": "2026-12-02", "period_end": "2026-11-26"},
            "period_end",
            "The notice period must not end before it starts.",
        ),
        ({"contact": ""}, "contact", "This field is required."),
        ({"contact": "   "}, "contact", "This field is required."),
        ({"issuer": ""}, "issuer", "This field is required."),
        ({"period_end": "2026-13-45"}, "period_end", "Enter a valid date."),
        (
            {"round": "999999"},
            "round",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
)
def test_bad_input_is_shown_at_its_field_and_nothing_is_saved(
    client, results, changes, field, message
):
    client.force_login(results.users["admin"])
    response = client.post(NEW, form_data(results, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert zh(message) in errors[field][0]
    assert zh(message) in response.content.decode()
    assert not PublicNotice.objects.exists()


def test_an_area_without_approved_results_cannot_have_a_notice(client, results):
    client.force_login(results.users["admin"])
    shizhong = results.regions["shizhong_district"]  # 戊 returned, 己 draft
    response = client.post(NEW, form_data(results, region=shizhong.pk))
    assert response.status_code == 200
    (error,) = response.context["form"].errors["region"]
    assert "市中区" in error and results.current.name in error
    ScoreCard.objects.filter(round=results.current).delete()
    response = client.post(NEW, form_data(results))
    assert response.context["form"].errors["round"]
    assert not PublicNotice.objects.exists()


def test_every_problem_of_a_form_shows_at_once(client, results):
    client.force_login(results.users["admin"])
    changes = {
        "region": results.regions["shizhong_district"].pk,
        "period_start": "2026-12-02",
        "period_end": "2026-11-26",
        "contact": "",
    }
    response = client.post(NEW, form_data(results, **changes))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"region", "period_end", "contact"}
    assert not PublicNotice.objects.exists()


def test_the_management_list_shows_every_notice_with_its_status(client, results):
    first = publish(client, results)
    second = publish(client, results, region=results.regions["qingdao"].pk)
    client.force_login(results.users["admin"])
    notice_services.notice_withdraw(actor=results.users["admin"], notice=first, reason="有误")
    response = client.get(MANAGE)
    assert response.status_code == 200
    assert [n.pk for n in response.context["notices"]] == [second.pk, first.pk]
    body = response.content.decode()
    assert zh("Withdrawn") in body and zh("Published") in body
    assert reverse("dashboard:notice-withdraw", args=[second.pk]) in body
    assert reverse("dashboard:notice-withdraw", args=[first.pk]) not in body
