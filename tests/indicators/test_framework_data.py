"""The bundled DB37/T 3890.3-2020 file holds the standard's Table 5 exactly."""

from decimal import Decimal

import pytest

from indicators.models import Indicator, Item, PrimaryIndicator

# Table 5 of DB37/T 3890.3-2020, typed in from the standard.
TABLE_5 = {
    "L1": (
        "基础设施",
        "29",
        {
            "L1P1": ("宽带网络", "3.0"),
            "L1P2": ("无线网络", "3.0"),
            "L1P3": ("广播电视网", "3.0"),
            "L1P4": ("物联网", "3.0"),
            "L1P5": ("综合服务平台", "6.0"),
            "L1P6": ("智能运营中心", "4.0"),
            "L1P7": ("信息终端", "2.0"),
            "L1P8": ("智能照明", "5.0"),
        },
    ),
    "L2": (
        "社区服务",
        "39",
        {
            "L2P1": ("政务服务", "4.0"),
            "L2P2": ("缴费查询", "4.0"),
            "L2P3": ("便民网购", "3.0"),
            "L2P4": ("便捷通行", "6.0"),
            "L2P5": ("社区医疗", "6.0"),
            "L2P6": ("居家养老", "6.0"),
            "L2P7": ("家政服务", "4.0"),
            "L2P8": ("残疾人托养", "2.0"),
            "L2P9": ("退役军人服务", "2.0"),
            "L2P10": ("居民电子投票", "2.0"),
        },
    ),
    "L3": (
        "社区安全",
        "22",
        {
            "L3P1": ("智能监控", "5.0"),
            "L3P2": ("安防消防", "6.0"),
            "L3P3": ("社区网格化治理", "5.0"),
            "L3P4": ("警民联动", "4.0"),
            "L3P5": ("特殊人群监管", "2.0"),
        },
    ),
    "L4": ("服务创新", "10", {"L4P1": ("创新应用", "10.0")}),
}

# Item count per indicator and item types, from scoring.md section 5.
ITEM_TYPES = {
    "L1P1": "ratio boolean",
    "L1P2": "ratio checklist",
    "L1P3": "ratio ratio",
    "L1P4": "checklist",
    "L1P5": "boolean checklist boolean",
    "L1P6": "boolean boolean",
    "L1P7": "checklist boolean",
    "L1P8": "ratio saving",
    "L2P1": "count_min boolean",
    "L2P2": "boolean checklist",
    "L2P3": "ratio",
    "L2P4": "boolean checklist ratio",
    "L2P5": "ratio boolean boolean",
    "L2P6": "checklist max_value",
    "L2P7": "checklist boolean",
    "L2P8": "boolean boolean",
    "L2P9": "boolean boolean",
    "L2P10": "checklist",
    "L3P1": "checklist checklist boolean",
    "L3P2": "checklist boolean",
    "L3P3": "checklist",
    "L3P4": "ratio",
    "L3P5": "checklist checklist",
    "L4P1": "graded",
}


@pytest.mark.django_db
def test_loaded_framework_has_4_primaries_24_indicators_46_items(framework):
    assert framework.code == "DB37/T 3890.3-2020"
    assert framework.primaries.count() == 4
    assert framework.indicators.count() == 24
    assert framework.items.count() == 46
    assert str(framework.published) == "2020-03-31"
    assert str(framework.effective) == "2020-05-01"


@pytest.mark.django_db
def test_weights_and_names_match_table_5(framework):
    primaries = {p.code: p for p in PrimaryIndicator.objects.filter(framework=framework)}
    assert set(primaries) == set(TABLE_5)
    for code, (name, weight, indicators) in TABLE_5.items():
        assert primaries[code].name_zh == name
        assert primaries[code].weight == Decimal(weight)
        stored = {
            i.code: (i.name_zh, i.weight)
            for i in Indicator.objects.filter(framework=framework, primary=primaries[code])
        }
        assert stored == {c: (n, Decimal(w)) for c, (n, w) in indicators.items()}
    assert sum(i.weight for i in Indicator.objects.filter(framework=framework)) == 100


@pytest.mark.django_db
def test_items_have_the_types_of_scoring_rules(framework):
    stored: dict[str, list[str]] = {}
    for item in Item.objects.filter(framework=framework).select_related("indicator"):
        assert item.code.startswith(item.indicator.code + ".")
        stored.setdefault(item.indicator.code, []).append(item.type)
    assert {code: " ".join(types) for code, types in stored.items()} == ITEM_TYPES


@pytest.mark.django_db
def test_item_parameters_and_options_as_scoring_rules_say(framework):
    items = {
        i.code: i for i in Item.objects.filter(framework=framework).prefetch_related("options")
    }
    assert items["L1P1.1"].params["target"] == "1.00"
    assert items["L1P1.1"].params["bounded"] is True
    assert items["L2P4.3"].params["comparator"] == "gt"
    assert items["L2P6.2"].params["comparator"] == "le"
    assert items["L2P6.2"].params["target"] == "15"
    assert items["L1P7.1"].params["min_required"] == 2
    assert items["L1P7.2"].params["conditional"] is True
    assert items["L3P1.1"].params["na_options"] is True
    assert items["L4P1.1"].params["max_level"] == 4
    assert [o.name_zh for o in items["L1P2.2"].options.all()] == ["4G", "5G", "公共WiFi"]
    assert [o.code for o in items["L2P6.1"].options.all()] == list("abcdefg")


@pytest.mark.django_db
def test_every_indicator_carries_the_standards_texts(framework):
    for indicator in Indicator.objects.filter(framework=framework):
        assert indicator.definition_zh and indicator.requirement_zh, indicator.code
        assert indicator.name_en and indicator.definition_en, indicator.code
    l1p8 = Indicator.objects.get(framework=framework, code="L1P8")
    assert "60%以上" in l1p8.requirement_zh
