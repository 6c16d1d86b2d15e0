"""Communities: one at a time (forms, admin) or many at once (registry imports, demo data),
with the same checks either way."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.choices import AreaType, RegionLevel
from assessments.errors import ValidationFailed
from assessments.models import Assessment, Community, Region
from assessments.signals import communities_relocated
from common.errors import Problem

_CODE = re.compile(r"^[0-9A-Za-z_-]{1,32}$")
_COMMUNITY_LEVELS = (RegionLevel.STREET, RegionLevel.DISTRICT)


@dataclass(frozen=True)
class CommunityData:
    """What a community is made of, as a form, an import row or the demo data gives it."""

    code: str
    name: str
    region: Region
    households: int
    residents: int
    address: str = ""
    area_type: str = AreaType.URBAN
    contact_name: str = ""
    contact_phone: str = ""
    is_active: bool = True

    def cleaned(self) -> CommunityData:
        """The same data with surrounding spaces removed from the texts."""
        return replace(
            self,
            code=str(self.code).strip(),
            name=str(self.name).strip(),
            address=str(self.address).strip(),
            contact_name=str(self.contact_name).strip(),
            contact_phone=str(self.contact_phone).strip(),
        )


def community_problems(data: CommunityData) -> list[Problem]:
    """Every rule a community's data breaks, each at its field (uniqueness is checked by the
    callers, which know whether they create or update)."""
    problems = []
    if not _CODE.match(data.code):
        problems.append(Problem(_("A registry code has 1 to 32 letters, digits, - or _."), "code"))
    if not data.name:
        problems.append(Problem(_("The name is required."), "name"))
    elif len(data.name) > 100:
        problems.append(Problem(_("The name is longer than 100 characters."), "name"))
    if data.region.level not in _COMMUNITY_LEVELS:
        problems.append(Problem(_("A community belongs to a street, town or district."), "region"))
    for name in ("households", "residents"):
        value = getattr(data, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(Problem(_("Enter a whole number of 0 or more."), name))
    if not problems and data.residents < data.households:
        problems.append(
            Problem(_("A community cannot have fewer residents than households."), "residents")
        )
    if data.area_type not in AreaType.values:
        problems.append(Problem(_("Choose urban or rural."), "area_type"))
    return problems


def _apply(community: Community, data: CommunityData) -> None:
    for name, value in asdict(data).items():
        if name != "region":
            setattr(community, name, value)
    community.region = data.region
    community.city_id = data.region.city_id
    community.district_id = data.region.district_id


@transaction.atomic
def community_create(*, data: CommunityData) -> Community:
    data = data.cleaned()
    problems = community_problems(data)
    if Community.objects.filter(code=data.code).exists():
        problems.append(Problem(_("A community with this registry code exists."), "code"))
    if Community.objects.filter(region=data.region, name=data.name).exists():
        problems.append(Problem(_("This region already has a community of this name."), "name"))
    if problems:
        raise ValidationFailed(*problems)
    community = Community()
    _apply(community, data)
    community.save()
    return community


@transaction.atomic
def community_update(*, community: Community, data: CommunityData) -> Community:
    """Change a community; a move to another city or district carries its derived rows."""
    locked = Community.objects.select_for_update().get(pk=community.pk)
    data = data.cleaned()
    problems = community_problems(data)
    if Community.objects.filter(code=data.code).exclude(pk=locked.pk).exists():
        problems.append(Problem(_("A community with this registry code exists."), "code"))
    clash = Community.objects.filter(region=data.region, name=data.name).exclude(pk=locked.pk)
    if clash.exists():
        problems.append(Problem(_("This region already has a community of this name."), "name"))
    if problems:
        raise ValidationFailed(*problems)
    place = _place(locked)
    _apply(locked, data)
    locked.save()
    if _place(locked) != place:
        communities_relocated.send(Community, community_ids=[locked.pk])
    return locked


def _place(community: Community) -> tuple[object, ...]:
    """What derived rows copy or group by: city, district, and what decides the peers."""
    return (community.city_id, community.district_id, community.area_type, community.households)


@transaction.atomic
def community_delete(*, community: Community) -> None:
    """Delete a community entered by mistake; one with assessments is deactivated instead."""
    if Assessment.objects.filter(community=community).exists():
        raise ValidationFailed(
            _("This community has assessments and cannot be deleted; deactivate it instead.")
        )
    community.delete()


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def communities_import(*, rows: Sequence[CommunityData], batch_size: int = 2_000) -> ImportOutcome:
    """Create or update many communities by registry code, all or nothing and idempotent:
    the same rows twice change nothing. Raises ValidationFailed naming every bad row."""
    rows = [row.cleaned() for row in rows]
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        problems.extend(
            Problem(_("Row %(n)d: %(problem)s") % {"n": number, "problem": p.message}, p.field)
            for p in community_problems(row)
        )
        if row.code in seen:
            problems.append(
                Problem(
                    _("Row %(n)d: registry code %(code)s repeats row %(first)d.")
                    % {"n": number, "code": row.code, "first": seen[row.code]},
                    "code",
                )
            )
        seen.setdefault(row.code, number)
    problems.extend(_name_clashes(rows))
    if problems:
        raise ValidationFailed(*problems)
    existing = {
        c.code: c
        for code_batch in _batches([row.code for row in rows], batch_size)
        for c in Community.objects.filter(code__in=code_batch)
    }
    outcome = ImportOutcome()
    new, changed, relocated = [], [], []
    for row in rows:
        community = existing.get(row.code)
        if community is None:
            community = Community()
            _apply(community, row)
            new.append(community)
            continue
        before, place = _snapshot(community), _place(community)
        _apply(community, row)
        if _snapshot(community) == before:
            outcome.unchanged += 1
            continue
        changed.append(community)
        if _place(community) != place:
            relocated.append(community.pk)
    Community.objects.bulk_create(new, batch_size=batch_size)
    if changed:
        Community.objects.bulk_update(
            changed,
            [f.name for f in fields(CommunityData)] + ["city", "district"],
            batch_size=batch_size,
        )
    if relocated:
        communities_relocated.send(Community, community_ids=relocated)
    outcome.created, outcome.updated = len(new), len(changed)
    return outcome


def _name_clashes(rows: Sequence[CommunityData]) -> list[Problem]:
    """Rows that would give a region two communities of one name (with each other, or with
    a community of another code already there)."""
    owner: dict[tuple[int, str], str] = {
        (region_id, name): code
        for region_id, name, code in Community.objects.filter(
            region_id__in={row.region.pk for row in rows}, name__in={row.name for row in rows}
        ).values_list("region_id", "name", "code")
    }
    incoming = {row.code for row in rows}
    owner = {key: code for key, code in owner.items() if code not in incoming}
    problems = []
    for number, row in enumerate(rows, start=1):
        key = (row.region.pk, row.name)
        if owner.setdefault(key, row.code) != row.code:
            problems.append(
                Problem(
                    _("Row %(n)d: %(region)s already has a community named %(name)s.")
                    % {"n": number, "region": row.region.name_zh, "name": row.name},
                    "name",
                )
            )
    return problems


def _snapshot(community: Community) -> tuple[object, ...]:
    return tuple(
        getattr(community, "region_id" if f.name == "region" else f.name)
        for f in fields(CommunityData)
    )


def _batches(values: list[str], size: int) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
