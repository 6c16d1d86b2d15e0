"""Regions: the administrative tree. Paths and city/district links are derived here only."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from assessments.choices import REGION_LEVEL_DEPTH, RegionLevel
from assessments.errors import ValidationFailed
from assessments.models import Community, Region
from assessments.signals import communities_relocated
from common.errors import Problem

_CODE = re.compile(r"^[0-9A-Za-z-]{1,12}$")


def region_placement_problem(*, level: str, parent: Region | None) -> str | None:
    """Why a region of ``level`` cannot sit under ``parent`` (None when it can)."""
    if level not in RegionLevel.values:
        return _("Unknown region level %(level)s.") % {"level": level}
    if (parent is None) != (level == RegionLevel.PROVINCE):
        return _("Only a province has no parent region.")
    if parent is not None and REGION_LEVEL_DEPTH[RegionLevel(level)] != (
        REGION_LEVEL_DEPTH[RegionLevel(parent.level)] + 1
    ):
        return _("A region must be one level below its parent.")
    return None


def _problems(
    *, code: str, name_zh: str, level: str, parent: Region | None, exclude_pk: int | None
) -> list[Problem]:
    problems = []
    if not _CODE.match(code):
        problems.append(Problem(_("A region code has 1 to 12 letters, digits or hyphens."), "code"))
    elif Region.objects.filter(code=code).exclude(pk=exclude_pk or 0).exists():
        problems.append(Problem(_("A region with code %(code)s exists.") % {"code": code}, "code"))
    if not name_zh.strip():
        problems.append(Problem(_("The Chinese name is required."), "name_zh"))
    placement = region_placement_problem(level=level, parent=parent)
    if placement:
        problems.append(Problem(placement, "parent"))
    return problems


def _links(level: str, parent: Region | None) -> tuple[Region | None, Region | None]:
    """The city and district a region of ``level`` under ``parent`` belongs to (a city and
    a district link to themselves, which is set after the row exists)."""
    if parent is None:
        return None, None
    city = parent.city if level != RegionLevel.CITY else None
    district = parent.district if level == RegionLevel.STREET else None
    return city, district


@transaction.atomic
def region_create(
    *, code: str, name_zh: str, name_en: str = "", level: str, parent: Region | None
) -> Region:
    """Create a region; its path and its city and district links are derived here."""
    code = code.strip()
    problems = _problems(code=code, name_zh=name_zh, level=level, parent=parent, exclude_pk=None)
    if problems:
        raise ValidationFailed(*problems)
    city, district = _links(level, parent)
    region = Region.objects.create(
        code=code,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        level=level,
        parent=parent,
        path=f"{parent.path if parent else ''}{code}/",
        city=city,
        district=district,
    )
    if level in (RegionLevel.CITY, RegionLevel.DISTRICT):
        field = "city" if level == RegionLevel.CITY else "district"
        Region.objects.filter(pk=region.pk).update(**{field: region})
        setattr(region, field, region)
    return region


@transaction.atomic
def region_update(
    *, region: Region, code: str, name_zh: str, name_en: str = "", parent: Region | None
) -> Region:
    """Rename, recode or move a region (its level stays). A new code or parent re-paths the
    whole subtree, and a district moved to another city takes its streets and communities
    along: their city links follow in the same transaction, and so does every row that
    carries a community's city (see ``communities_relocated``)."""
    locked = Region.objects.select_for_update().get(pk=region.pk)
    code = code.strip()
    problems = _problems(
        code=code, name_zh=name_zh, level=locked.level, parent=parent, exclude_pk=locked.pk
    )
    if parent is not None and parent.path.startswith(locked.path):
        problems.append(Problem(_("A region cannot move into its own subtree."), "parent"))
    if problems:
        raise ValidationFailed(*problems)
    old_path, old_links = locked.path, (locked.city_id, locked.district_id)
    new_path = f"{parent.path if parent else ''}{code}/"
    city, district = _links(locked.level, parent)
    locked.code, locked.name_zh, locked.name_en = code, name_zh.strip(), name_en.strip()
    locked.parent, locked.path = parent, new_path
    if locked.level != RegionLevel.CITY:
        locked.city = city
    if locked.level == RegionLevel.STREET:
        locked.district = district
    locked.save()
    if new_path != old_path:
        # Same depth, other codes: old and new paths never collide within the subtree.
        Region.objects.filter(path__startswith=old_path).exclude(pk=locked.pk).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
        )
    if (locked.city_id, locked.district_id) != old_links:
        Region.objects.filter(path__startswith=new_path).update(city=locked.city_id)
        moved = Community.objects.filter(region__path__startswith=new_path)
        moved.update(
            city_id=Subquery(Region.objects.filter(pk=OuterRef("region_id")).values("city_id")),
            district_id=Subquery(
                Region.objects.filter(pk=OuterRef("region_id")).values("district_id")
            ),
        )
        ids = list(moved.values_list("pk", flat=True))
        if ids:
            communities_relocated.send(Community, community_ids=ids)
    return locked


@transaction.atomic
def region_delete(*, region: Region) -> None:
    """Delete a region that has no subregions, communities or users limited to it."""
    if Region.objects.filter(parent=region).exists():
        raise ValidationFailed(_("This region has subregions; delete or move them first."))
    if Community.objects.filter(region=region).exists():
        raise ValidationFailed(_("Communities belong to this region; move them first."))
    if get_user_model().objects.filter(region=region).exists():
        raise ValidationFailed(_("Officials are limited to this region; change them first."))
    region.delete()
