"""How the API shows an assessment: a row for lists, a detail with its answers, notes and
the actions open to the requesting user, and its history entries. Other endpoints that
show assessments reuse these."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from assessments import services
from assessments.history import describe
from assessments.models import Assessment, AssessmentEvent
from common.params import MAX_ID
from indicators.specs import framework_catalog

ANSWERS_HELP = _(
    "Answers keyed by item code, each the JSON object of its item type (scoring rules, "
    'section 3): ratio {"numerator", "denominator"}, saving {"baseline", "actual"}, '
    'max_value {"value"}, count_min {"count"}, boolean {"value": true|false}, checklist '
    '{"checked": [option codes], "na": [option codes]}, graded {"level"}; {"na": true} '
    "for a whole item marked not applicable."
)
NOTES_HELP = _('Notes keyed by indicator code, e.g. {"L1P8": "…"}.')


#: What an item or indicator code may look like (``L1P8.1``, ``L1P8``) before the framework
#: is asked whether it knows it.
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,23}")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class _CodeKeyedField(serializers.DictField):
    """An object keyed by item or indicator codes. Keys that cannot be codes are refused
    here, before they reach a query (PostgreSQL refuses NUL characters in any text)."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        value = super().to_internal_value(data)
        bad = {
            str(key): [_("Not an item or indicator code.")]
            for key in value
            if not CODE_PATTERN.fullmatch(str(key))
        }
        if bad:
            raise serializers.ValidationError(bad)
        return value


class AnswersField(_CodeKeyedField):
    """An object of answers keyed by item code, with free-form values (the engine checks
    each against its item type, so the rules live in one place)."""

    child = serializers.JSONField(allow_null=True)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", ANSWERS_HELP)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        value = super().to_internal_value(data)
        bad = {code: [_("Text may not contain NUL characters.")] for code, v in value.items()
               if _has_nul(v)}  # fmt: skip
        if bad:
            raise serializers.ValidationError(bad)
        return value


class NotesField(_CodeKeyedField):
    child = serializers.CharField(allow_blank=True, trim_whitespace=False)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", NOTES_HELP)
        super().__init__(**kwargs)


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


@extend_schema_serializer(component_name="UserRef")
class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()


@extend_schema_serializer(component_name="RegionRef")
class RegionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField(help_text=_("in the request's language"))


@extend_schema_serializer(component_name="RoundRef")
class RoundRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


@extend_schema_serializer(component_name="AssessmentCommunity")
class CommunityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text=_("registry code"))
    name = serializers.CharField()
    city = RegionRefSerializer(allow_null=True)
    district = RegionRefSerializer(allow_null=True)


def assessment_notes(assessment: Assessment) -> dict[str, str]:
    """The assessment's indicator notes by indicator code."""
    return dict(assessment.notes.values_list("indicator__code", "text"))


class AssessmentSerializer(serializers.ModelSerializer):
    """A row of a list. Load with ``round__framework``, ``community__city`` and
    ``community__district`` joined and ``assessors`` prefetched."""

    url = serializers.HyperlinkedIdentityField(view_name="api:assessment-detail")
    round = RoundRefSerializer()
    community = CommunityRefSerializer()
    assessors = UserRefSerializer(many=True)
    item_total = serializers.SerializerMethodField(help_text=_("items of the framework"))
    submission_deadline = serializers.DateField(source="round.submission_deadline")

    class Meta:
        model = Assessment
        fields: tuple[str, ...] = (
            "id",
            "url",
            "status",
            "version",
            "round",
            "community",
            "assessors",
            "answered_count",
            "evidenced_count",
            "item_total",
            "submitted_at",
            "approved_at",
            "submission_deadline",
            "updated_at",
        )
        read_only_fields = fields

    def get_item_total(self, assessment: Assessment) -> int:
        return len(framework_catalog(assessment.round.framework).spec.items)


class AssessmentDetailSerializer(AssessmentSerializer):
    """One assessment with its answers and what the user may do; needs ``access`` (the
    selectors' Access of the requesting user) and ``request`` in the context."""

    answers = serializers.SerializerMethodField(help_text=ANSWERS_HELP)
    notes = serializers.SerializerMethodField(help_text=NOTES_HELP)
    available_actions = serializers.SerializerMethodField(
        help_text=_("workflow actions the user may take now: submit, return, approve, reopen")
    )
    open_indicators = serializers.SerializerMethodField(
        help_text=_("after a return: the indicators that may change (null when every one may)")
    )
    return_reasons = serializers.SerializerMethodField(
        help_text=_("while returned: the reviewer's reason by indicator code")
    )
    editable = serializers.SerializerMethodField(
        help_text=_("whether the user may change answers, notes and evidence now")
    )

    class Meta(AssessmentSerializer.Meta):
        fields = (
            *AssessmentSerializer.Meta.fields,
            "answers",
            "notes",
            "available_actions",
            "open_indicators",
            "return_reasons",
            "editable",
        )
        read_only_fields = fields

    @extend_schema_field(AnswersField())
    def get_answers(self, assessment: Assessment) -> dict[str, Any]:
        return services.current_engine_answers(assessment)

    @extend_schema_field(NotesField())
    def get_notes(self, assessment: Assessment) -> dict[str, str]:
        return assessment_notes(assessment)

    def get_available_actions(self, assessment: Assessment) -> list[str]:
        return services.available_actions(self.context["request"].user, assessment)

    def get_open_indicators(self, assessment: Assessment) -> list[str] | None:
        opened = services.returned_indicators(assessment)
        return sorted(opened) if opened is not None else None

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_return_reasons(self, assessment: Assessment) -> dict[str, str]:
        return services.return_reasons(assessment)

    def get_editable(self, assessment: Assessment) -> bool:
        return bool(self.context["access"].edit)


class HistorySummarySerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("what happened, in words"))
    what = serializers.CharField(help_text=_("the item or indicator, with its name"))
    before = serializers.CharField()
    after = serializers.CharField()


class HistoryEventSerializer(serializers.ModelSerializer):
    """One history entry; needs ``catalog`` (the framework's catalog) in the context for
    the entry in words, as the history page shows it."""

    actor = UserRefSerializer(allow_null=True, help_text=_("null when the user was deleted"))
    old = serializers.JSONField(help_text=_("the value before (null: nothing was there)"))
    new = serializers.JSONField(help_text=_("the value after (null: removed)"))
    summary = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentEvent
        fields = ("at", "kind", "target", "old", "new", "comment", "actor", "version", "summary")
        read_only_fields = fields

    @extend_schema_field(HistorySummarySerializer())
    def get_summary(self, event: AssessmentEvent) -> dict[str, str]:
        entry = describe(event, self.context["catalog"])
        return {
            "kind": entry.kind,
            "what": entry.what,
            "before": entry.before,
            "after": entry.after,
        }
