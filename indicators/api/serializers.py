"""The framework as machines read it: both languages side by side, codes as in the
framework file, each item's type and parameters exactly as scored."""

from __future__ import annotations

from rest_framework import serializers

from indicators.models import Framework, Indicator, Item, Option, PrimaryIndicator


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ("code", "name_zh", "name_en", "order")


class ItemSerializer(serializers.ModelSerializer):
    options = OptionSerializer(many=True, read_only=True)
    params = serializers.JSONField(
        help_text="The item type's parameters as the framework file gives them (target, "
        "comparator, min_required, max_level, conditional, na_options, unit, …)."
    )

    class Meta:
        model = Item
        fields = (
            "code",
            "type",
            "name_zh",
            "name_en",
            "help_zh",
            "help_en",
            "weight",
            "params",
            "order",
            "options",
        )


class IndicatorSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = (
            "code",
            "name_zh",
            "name_en",
            "weight",
            "definition_zh",
            "definition_en",
            "requirement_zh",
            "requirement_en",
            "order",
            "items",
        )


class PrimarySerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = PrimaryIndicator
        fields = ("code", "name_zh", "name_en", "weight", "order", "indicators")


class FrameworkSerializer(serializers.ModelSerializer):
    grade_bands = serializers.JSONField(help_text="[{code, minimum, name_zh, name_en}, …]")

    class Meta:
        model = Framework
        fields: tuple[str, ...] = (
            "id",
            "code",
            "version",
            "title_zh",
            "title_en",
            "short_title_zh",
            "short_title_en",
            "issuer_zh",
            "issuer_en",
            "grade_bands",
            "content_hash",
            "loaded_at",
        )


class FrameworkDetailSerializer(FrameworkSerializer):
    primaries = PrimarySerializer(many=True, read_only=True)

    class Meta(FrameworkSerializer.Meta):
        fields = (*FrameworkSerializer.Meta.fields, "primaries")
