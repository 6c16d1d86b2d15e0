"""Answers in words, for the admin and the history: every item type."""

from __future__ import annotations

import pytest
from django.utils import translation

from assessments.display import answer_text

pytestmark = pytest.mark.django_db


def item(framework, code):
    return framework.items.prefetch_related("options").get(code=code)


@pytest.mark.parametrize(
    ("code", "value", "zh", "en"),
    [
        ("L1P8.1", {"numerator": 480, "denominator": 1000}, "480 / 1000 (48.00%)", None),
        ("L1P8.1", {"numerator": 1, "denominator": 8}, "1 / 8 (12.50%)", None),
        ("L1P8.1", {"numerator": 1, "denominator": 16}, "1 / 16 (6.25%)", None),
        ("L1P8.1", {"numerator": 1, "denominator": 800}, "1 / 800 (0.13%)", None),
        ("L1P1.2", {"value": True}, "是", "Yes"),
        ("L1P1.2", {"value": False}, "否", "No"),
        ("L2P6.2", {"value": 12}, "12 分钟", "12 minutes"),
        ("L2P1.1", {"count": 3}, "3 项", None),
        ("L1P2.2", {"checked": ["a", "c"]}, "4G、公共WiFi", None),
        ("L1P2.2", {"checked": []}, "无", "none"),
        ("L4P1.1", {"level": 2}, "第2级：在社区服务或社区安全方面有创新应用并投入日常使用", None),
    ],
)
def test_answers_read_as_words(framework, code, value, zh, en):
    with translation.override("zh-hans"):
        assert answer_text(item(framework, code), value) == zh
    if en:
        with translation.override("en"):
            assert answer_text(item(framework, code), value) == en


def test_saving_and_not_applicable(framework):
    text = answer_text(item(framework, "L1P8.2"), {"baseline": 200000, "actual": 170000})
    assert text.startswith("200000 → 170000") and "15.00%" in text
    assert answer_text(item(framework, "L1P7.2"), None, not_applicable=True) == "不适用"
