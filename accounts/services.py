"""Writes to users: a user's role decides what they may do, and the admin site flag
(``is_staff``) follows the role, so the two never disagree."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from common.errors import Problem, ValidationFailed

# Region levels an official may be limited to (values of assessments.choices.RegionLevel;
# accounts sits below assessments and does not import it).
LIMIT_LEVELS = ("province", "city", "district")


def user_role_problems(*, role: str, region: Any) -> list[Problem]:
    problems = []
    if role not in Role.values:
        problems.append(Problem(_("Choose a role."), "role"))
    if region is not None and role != Role.OFFICIAL:
        problems.append(Problem(_("Only officials can be limited to a region."), "region"))
    elif region is not None and region.level not in LIMIT_LEVELS:
        # Results are summed up by province, city and district; a smaller area would show
        # averages that include communities outside it.
        problems.append(Problem(_("An official can be limited to a city or a district."), "region"))
    return problems


@transaction.atomic
def user_save(*, user: User) -> User:
    """Save a user (new or changed) after checking its role and region; only
    administrators (and superusers) may use the admin site."""
    problems = user_role_problems(role=user.role, region=user.region)
    if problems:
        raise ValidationFailed(*problems)
    user.is_staff = user.is_superuser or user.role == Role.ADMINISTRATOR
    user.save()
    return user


@transaction.atomic
def users_set_active(*, users: list[User], active: bool) -> int:
    """Activate or deactivate users (never delete them: their names stay on the records
    they wrote)."""
    return User.objects.filter(pk__in=[u.pk for u in users]).update(is_active=active)
