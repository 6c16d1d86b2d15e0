"""What an item still needs, in words (assessments.gap_messages): the item's own labels, units,
options and levels, and figures rounded so that doing what the sentence says meets the item.

Chinese sentences are checked for their parts (the figures and the framework's Chinese
texts): their wording comes from the translation catalogue.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import pytest
from django.utils.translation import override

from assessments.gap_messages import describe_gap
from indicators.models import Item
from scoring.engine import Comparator, FrameworkSpec, Gap, GapKind, item_gap, score

pytestmark = pytest.mark.django_db

F = Fraction
LEFTOVER_PLACEHOLDER = re.compile(r"%\(|%[sd]")


def item_of(framework: Any, code: str) -> Item:
    return Item.objects.prefetch_related("options").get(framework=framework, code=code)


def gap_of(spec: FrameworkSpec, code: str, answer: object) -> Gap:
    gap = item_gap(spec.items[code], answer)
    assert gap is not None
    return gap


def english(item: Item, gap: Gap) -> str:
    with override("en"):
        return describe_gap(item, gap)


def chinese(item: Item, gap: Gap) -> str:
    with override("zh-hans"):
        return describe_gap(item, gap)


def met(spec: FrameworkSpec, code: str, answer: object) -> bool:
    result = score(spec, {code: answer})
    (found,) = [i for ind in result.indicators for i in ind.items if i.code == code]
    return bool(found.met)


# --- the worked example of docs/scoring.md section 6 ------------------------------------------


def test_smart_lights_in_english(framework: Any, spec: FrameworkSpec) -> None:
    gap = gap_of(spec, "L1P8.1", {"numerator": 480, "denominator": 1000})
    assert english(item_of(framework, "L1P8.1"), gap) == (
        "needs 120 more (public lighting fixtures fitted with smart control devices) to reach 60%"
    )


def test_smart_lights_in_chinese(framework: Any, spec: FrameworkSpec) -> None:
    gap = gap_of(spec, "L1P8.1", {"numerator": 480, "denominator": 1000})
    text = chinese(item_of(framework, "L1P8.1"), gap)
    assert "120" in text
    assert "安装了智能控制设备的公共照明设备数" in text
    assert "60%" in text
    assert "120.00" not in text and "60.00%" not in text
    assert not LEFTOVER_PLACEHOLDER.search(text)


def test_energy_saving_in_english(framework: Any, spec: FrameworkSpec) -> None:
    gap = gap_of(spec, "L1P8.2", {"baseline": 200_000, "actual": 170_000})
    assert english(item_of(framework, "L1P8.2"), gap) == (
        "Annual electricity use of public lighting with smart lighting must fall to at most "
        "160000 kWh (10000 less)"
    )


def test_energy_saving_in_chinese(framework: Any, spec: FrameworkSpec) -> None:
    gap = gap_of(spec, "L1P8.2", {"baseline": 200_000, "actual": 170_000})
    text = chinese(item_of(framework, "L1P8.2"), gap)
    assert "采用智能照明后的公共照明年度耗电量" in text
    assert "160000 千瓦时" in text
    assert "10000" in text
    assert not LEFTOVER_PLACEHOLDER.search(text)


# --- every kind, on a real item of its type ---------------------------------------------------

EVERY_KIND = [
    (GapKind.UNANSWERED, "L1P1.2", None, "not answered yet"),
    (
        GapKind.RAISE_NUMERATOR,
        "L2P4.3",
        {"numerator": 5, "denominator": 100},
        "needs 1 more (parking spaces open for sharing) to exceed 5%",
    ),
    (
        GapKind.LOWER_ACTUAL,
        "L1P8.2",
        {"baseline": 1000, "actual": 1000},
        "Annual electricity use of public lighting with smart lighting must fall to at most "
        "800 kWh (200 less)",
    ),
    (
        GapKind.LOWER_VALUE,
        "L2P6.2",
        {"value": 20.5},
        "Response time to accidents of older people at home must fall to at most 15 minutes "
        "(5.5 less)",
    ),
    (
        GapKind.RAISE_COUNT,
        "L2P1.1",
        {"count": 1},
        "needs 2 more (commonly used government services connected) to reach 3 services",
    ),
    (
        GapKind.CHECK_MORE,
        "L2P6.1",
        {"checked": ["a", "b", "c", "e", "g"]},
        "needs 2 more options checked, from: telemedicine, home help",
    ),
    (
        GapKind.CHECK_MORE,
        "L1P7.1",
        {"checked": ["c"]},
        "needs 1 more option checked, from: WeChat, APP, self-service kiosk, large screen",
    ),
    (GapKind.SET_TRUE, "L1P1.2", {"value": False}, "needs to be “Yes”"),
    (
        GapKind.RAISE_LEVEL,
        "L4P1.1",
        {"level": 2},
        "needs to reach level 4: Level 3, with measured results",
    ),
]


@pytest.mark.parametrize(
    ("kind", "code", "answer", "expected"), EVERY_KIND, ids=[row[0] for row in EVERY_KIND]
)
def test_every_kind_in_english(
    framework: Any, spec: FrameworkSpec, kind: GapKind, code: str, answer: Any, expected: str
) -> None:
    gap = gap_of(spec, code, answer)
    assert gap.kind is kind
    assert english(item_of(framework, code), gap) == expected


@pytest.mark.parametrize(
    ("kind", "code", "answer", "expected"), EVERY_KIND, ids=[row[0] for row in EVERY_KIND]
)
def test_every_kind_in_chinese(
    framework: Any, spec: FrameworkSpec, kind: GapKind, code: str, answer: Any, expected: str
) -> None:
    text = chinese(item_of(framework, code), gap_of(spec, code, answer))
    assert text
    assert not LEFTOVER_PLACEHOLDER.search(text)


def test_chinese_uses_the_framework_texts(framework: Any, spec: FrameworkSpec) -> None:
    text = chinese(item_of(framework, "L2P6.1"), gap_of(spec, "L2P6.1", {"checked": ["a"]}))
    assert "6" in text
    for name in ("紧急支援", "信息查询", "远程医疗", "社区服务", "家政上门", "电器维修"):
        assert name in text
    assert "远程看护" not in text  # already checked
    text = chinese(item_of(framework, "L4P1.1"), gap_of(spec, "L4P1.1", {"level": 0}))
    assert "4" in text and "达到第3级，且应用成效有实测数据" in text
    text = chinese(item_of(framework, "L2P6.2"), gap_of(spec, "L2P6.2", {"value": 30}))
    assert "居家老人意外事故响应时间" in text and "15 分钟" in text
    text = chinese(item_of(framework, "L2P1.1"), gap_of(spec, "L2P1.1", {"count": 0}))
    assert "对接的常用政务服务业务数" in text and "3 项" in text


def test_checklist_options_not_applicable_are_not_offered(
    framework: Any, spec: FrameworkSpec
) -> None:
    gap = gap_of(spec, "L3P1.1", {"checked": ["b"], "na": ["a", "d"]})
    assert english(item_of(framework, "L3P1.1"), gap) == (
        "needs 2 more options checked, from: markets, underpasses"
    )


def test_unreachable(framework: Any) -> None:
    gap = Gap("L2P4.3", GapKind.UNREACHABLE, target=F(1), comparator=Comparator.GT)
    item = item_of(framework, "L2P4.3")
    assert english(item, gap) == "cannot be met by any answer: the target is out of reach"
    assert chinese(item, gap)
    checklist = Gap(
        "L1P7.1",
        GapKind.UNREACHABLE,
        field="checked",
        current=0,
        required=2,
        whole=True,
        options=("a",),
    )
    item = item_of(framework, "L1P7.1")
    assert english(item, checklist) == (
        "cannot be met: 2 options are required, but only 1 is applicable"
    )
    assert not LEFTOVER_PLACEHOLDER.search(chinese(item, checklist))


# --- rounding ---------------------------------------------------------------------------------


def test_an_amount_still_needed_is_rounded_up(framework: Any, spec: FrameworkSpec) -> None:
    # 0.6 x 10.555 = 6.333: 6.33 more would not reach 60%, 6.34 does
    answer = {"numerator": 0, "denominator": 10.555}
    gap = gap_of(spec, "L1P8.1", answer)
    assert gap.amount == F("6.333")
    text = english(item_of(framework, "L1P8.1"), gap)
    assert text.startswith("needs 6.34 more ")
    assert not met(spec, "L1P8.1", {**answer, "numerator": 6.33})
    assert met(spec, "L1P8.1", {**answer, "numerator": 6.34})


def test_a_value_not_to_exceed_is_rounded_down(framework: Any, spec: FrameworkSpec) -> None:
    # 1000.01 x 0.8 = 800.008: at most 800.01 would not save 20%, at most 800 does, and
    # "199.99 less" would leave 800.01: the amount is rounded up to 200
    answer = {"baseline": 1000.01, "actual": 1000}
    gap = gap_of(spec, "L1P8.2", answer)
    assert (gap.required, gap.amount) == (F("800.008"), F("199.992"))
    text = english(item_of(framework, "L1P8.2"), gap)
    assert text.endswith(" must fall to at most 800 kWh (200 less)")
    assert not met(spec, "L1P8.2", {**answer, "actual": 800.01})
    assert met(spec, "L1P8.2", {**answer, "actual": 800})


def test_a_maximum_under_a_strict_comparator(framework: Any) -> None:
    gap = Gap(
        "L2P6.2",
        GapKind.LOWER_VALUE,
        field="value",
        current=F(20),
        required=F("14.99"),
        amount=F("5.01"),
        target=F(15),
        comparator=Comparator.LT,
        achievement=F("14.99"),
        s_gain=F(1, 4),
    )
    assert english(item_of(framework, "L2P6.2"), gap).endswith(
        " must fall to at most 14.99 minutes (5.01 less)"
    )


def test_whole_amounts_are_whole_numbers(framework: Any, spec: FrameworkSpec) -> None:
    gap = gap_of(spec, "L1P8.1", {"numerator": 1, "denominator": 7})  # 0.6 x 7 = 4.2
    assert (gap.amount, gap.whole) == (4, True)
    assert english(item_of(framework, "L1P8.1"), gap).startswith("needs 4 more ")


def test_target_percentages_round_half_up(framework: Any) -> None:
    item = item_of(framework, "L1P8.1")
    for target, shown in (("0.12345", "12.35%"), ("1/3", "33.33%"), ("2/3", "66.67%")):
        gap = Gap(
            "L1P8.1",
            GapKind.RAISE_NUMERATOR,
            field="numerator",
            current=0,
            required=1,
            amount=1,
            whole=True,
            target=F(target),
            comparator=Comparator.GE,
        )
        assert english(item, gap).endswith(f" to reach {shown}")


def test_english_labels_keep_a_leading_acronym(framework: Any) -> None:
    item = item_of(framework, "L1P3.2")
    item.params = {
        **item.params,
        "labels": {"numerator": {"zh": "开通IPTV的用户数", "en": "IPTV users"}},
    }
    gap = Gap(
        "L1P3.2",
        GapKind.RAISE_NUMERATOR,
        field="numerator",
        current=1,
        required=5,
        amount=4,
        whole=True,
        target=F("0.5"),
        comparator=Comparator.GE,
    )
    assert english(item, gap) == "needs 4 more (IPTV users) to reach 50%"
