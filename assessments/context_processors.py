"""Template context: the user's role, so templates show only what the user may use."""

from __future__ import annotations

from django.http import HttpRequest

from assessments import permissions


def role(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_admin": False, "can_use_admin_site": False, "sees_results": False}
    return {
        "is_admin": permissions.is_admin(user),
        "can_use_admin_site": bool(user.is_staff and user.is_active),
        "sees_results": permissions.is_admin(user) or permissions.is_official(user),
    }
