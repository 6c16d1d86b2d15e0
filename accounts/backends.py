"""Signing in with Django's model backend; what a user may do follows their role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.models import Role


class RoleBackend(ModelBackend):
    """Administrators hold every permission of the admin site (the portal decides rights by
    role, in assessments.permissions, not by Django's per-model permissions)."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if _is_administrator(user_obj):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if _is_administrator(user_obj):
            return True
        return super().has_module_perms(user_obj, app_label)


def _is_administrator(user: Any) -> bool:
    return bool(user.is_active and getattr(user, "role", None) == Role.ADMINISTRATOR)
