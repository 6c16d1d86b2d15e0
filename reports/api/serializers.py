"""Pieces the results endpoints share: short references to regions and communities (a
round's is the assessments API's), and the query parameter that names a round."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from common.params import MAX_ID


def score_field(**kwargs: Any) -> serializers.DecimalField:
    """A score as stored, with two decimals ("78.42")."""
    return serializers.DecimalField(max_digits=5, decimal_places=2, **kwargs)


def weight_field(**kwargs: Any) -> serializers.DecimalField:
    """A weight as stored, with three decimals ("4.000")."""
    return serializers.DecimalField(max_digits=6, decimal_places=3, **kwargs)


def percent_field(**kwargs: Any) -> serializers.DecimalField:
    """A percentage as the pages show it, with one decimal ("97.5")."""
    return serializers.DecimalField(max_digits=4, decimal_places=1, **kwargs)


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """A query parameter holding a database id: a whole number from 1 up."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_serializer(component_name="ResultsRegion")
class RegionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField(help_text="province, city, district or street")


@extend_schema_serializer(component_name="ResultsCommunity")
class CommunityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField(help_text="the community's registry code")
    name = serializers.CharField()


class RoundQuerySerializer(serializers.Serializer):
    """``?round=``: a round the reader may see; the newest of them when left out."""

    round = id_field(
        required=False,
        help_text=_("Round id; the newest round the reader may see when left out."),
    )
