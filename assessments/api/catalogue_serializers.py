"""Regions, communities and rounds as machines read them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments import permissions
from assessments.api.serializers import RegionRefSerializer
from assessments.choices import RegionLevel
from assessments.models import Community, Region, Round


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields: tuple[str, ...] = (
            "id",
            "code",
            "name_zh",
            "name_en",
            "level",
            "parent",
            "path",
            "city",
            "district",
        )
        read_only_fields = fields
        extra_kwargs = {
            "path": {"help_text": "The codes from the province down: 370000/370100/370102/."},
            "city": {"help_text": "The city the region lies in (a city names itself)."},
            "district": {"help_text": "The district the region lies in (a district names itself)."},
        }


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ("id", "code", "name_zh", "name_en", "level")


class RegionDetailSerializer(RegionSerializer):
    ancestors = serializers.SerializerMethodField(help_text="From the province down.")
    children = serializers.SerializerMethodField(help_text="In code order.")

    class Meta(RegionSerializer.Meta):
        fields = (*RegionSerializer.Meta.fields, "ancestors", "children")

    @extend_schema_field(RegionBriefSerializer(many=True))
    def get_ancestors(self, region: Region) -> Any:
        codes = [code for code in region.path.split("/") if code and code != region.code]
        ancestors = Region.objects.filter(code__in=codes).order_by("path")
        return RegionBriefSerializer(ancestors, many=True).data

    @extend_schema_field(RegionBriefSerializer(many=True))
    def get_children(self, region: Region) -> Any:
        return RegionBriefSerializer(region.children.order_by("code"), many=True).data


class RegionTreeNodeSerializer(serializers.Serializer):
    """A region with its subtree (``children`` are nodes of the same shape)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    level = serializers.ChoiceField(choices=RegionLevel.choices)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["children"] = RegionTreeNodeSerializer(many=True)
        return fields


class CommunitySerializer(serializers.ModelSerializer):
    """``contact_name`` and ``contact_phone`` are personal data: present for administrators
    only."""

    region = RegionRefSerializer(read_only=True)
    city = RegionRefSerializer(read_only=True, allow_null=True)
    district = RegionRefSerializer(read_only=True, allow_null=True)
    contact_name = serializers.CharField(required=False, help_text="Administrators only.")
    contact_phone = serializers.CharField(required=False, help_text="Administrators only.")

    class Meta:
        model = Community
        fields = (
            "id",
            "code",
            "name",
            "region",
            "city",
            "district",
            "address",
            "households",
            "residents",
            "area_type",
            "is_active",
            "contact_name",
            "contact_phone",
        )
        read_only_fields = fields

    def to_representation(self, instance: Community) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not permissions.is_admin(request.user):
            data.pop("contact_name")
            data.pop("contact_phone")
        return data


class RoundFrameworkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    version = serializers.CharField()


class RoundGradeBandSerializer(serializers.Serializer):
    code = serializers.CharField()
    minimum = serializers.CharField(help_text="The lowest total of the band, 0 to 100.")
    name_zh = serializers.CharField()
    name_en = serializers.CharField(required=False)


class RoundSerializer(serializers.ModelSerializer):
    framework = RoundFrameworkSerializer(read_only=True)
    grade_bands = serializers.SerializerMethodField(
        help_text="The round's own grade bands, or else its framework's, highest first."
    )

    class Meta:
        model = Round
        fields = (
            "id",
            "name",
            "framework",
            "period_start",
            "period_end",
            "submission_deadline",
            "review_deadline",
            "status",
            "evidence_required",
            "grade_bands",
        )
        read_only_fields = fields

    @extend_schema_field(RoundGradeBandSerializer(many=True))
    def get_grade_bands(self, round_: Round) -> Any:
        return round_.grade_bands or round_.framework.grade_bands
