"""Writes to the framework tables: loading a framework file is the only way in."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from indicators.framework_file import FrameworkDefinition, parse_framework_file
from indicators.models import Framework, Indicator, Item, Option, PrimaryIndicator


class LoadOutcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class FrameworkInUseError(Exception):
    """A framework that rounds already use cannot be changed in place."""


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    outcome: LoadOutcome


def framework_users(framework: Framework) -> list[str]:
    """Describe the rows of other apps that refer to this framework (rounds, for example).

    The indicators app knows nothing of those apps: it walks the reverse relations instead.
    """
    users = []
    for relation in framework._meta.related_objects:
        model = relation.related_model
        if not isinstance(model, type) or model._meta.app_label == Framework._meta.app_label:
            continue
        count = model._default_manager.filter(**{relation.field.name: framework}).count()
        if count:
            users.append(f"{count} {model._meta.verbose_name_plural}")
    return users


def framework_load_file(*, path: Path) -> LoadResult:
    """Load one framework file; raises FrameworkFileError or FrameworkInUseError."""
    return framework_load(definition=parse_framework_file(path))


@transaction.atomic
def framework_load(*, definition: FrameworkDefinition) -> LoadResult:
    """Store a checked framework definition idempotently.

    The same content loads once. Changed content under the same code and version replaces
    the stored framework only while nothing uses it; otherwise the file needs a new version.
    """
    existing = (
        Framework.objects.select_for_update()
        .filter(code=definition.code, version=definition.version)
        .first()
    )
    if existing is not None:
        if existing.content_hash == definition.content_hash:
            return LoadResult(existing, LoadOutcome.UNCHANGED)
        users = framework_users(existing)
        if users:
            raise FrameworkInUseError(
                f"{definition.code} version {definition.version} is used by "
                f"{', '.join(users)} and cannot be changed in place; give the file a new "
                "version so it loads beside the old one."
            )
        existing.primaries.all().delete()
        framework = existing
        outcome = LoadOutcome.UPDATED
    else:
        framework = Framework(code=definition.code, version=definition.version)
        outcome = LoadOutcome.CREATED
    _copy_header(framework, definition)
    framework.save()
    _create_children(framework, definition)
    return LoadResult(framework, outcome)


def _copy_header(framework: Framework, definition: FrameworkDefinition) -> None:
    for field in (
        "title_zh",
        "title_en",
        "short_title_zh",
        "short_title_en",
        "issuer_zh",
        "issuer_en",
        "published",
        "effective",
        "source_file",
        "content_hash",
    ):
        setattr(framework, field, getattr(definition, field))
    framework.grade_bands = [dict(band) for band in definition.grade_bands]


def _create_children(framework: Framework, definition: FrameworkDefinition) -> None:
    indicator_order = item_order = 0
    for primary_order, p in enumerate(definition.primaries):
        primary = PrimaryIndicator.objects.create(
            framework=framework,
            code=p.code,
            name_zh=p.name_zh,
            name_en=p.name_en,
            weight=p.weight,
            order=primary_order,
        )
        for ind in p.indicators:
            indicator = Indicator.objects.create(
                framework=framework,
                primary=primary,
                code=ind.code,
                name_zh=ind.name_zh,
                name_en=ind.name_en,
                weight=ind.weight,
                definition_zh=ind.definition_zh,
                definition_en=ind.definition_en,
                requirement_zh=ind.requirement_zh,
                requirement_en=ind.requirement_en,
                order=indicator_order,
            )
            indicator_order += 1
            for it in ind.items:
                item = Item.objects.create(
                    framework=framework,
                    indicator=indicator,
                    code=it.code,
                    type=it.type,
                    name_zh=it.name_zh,
                    name_en=it.name_en,
                    help_zh=it.help_zh,
                    help_en=it.help_en,
                    weight=it.weight,
                    params=it.params,
                    order=item_order,
                )
                item_order += 1
                Option.objects.bulk_create(
                    Option(item=item, code=o.code, name_zh=o.name_zh, name_en=o.name_en, order=n)
                    for n, o in enumerate(it.options)
                )
