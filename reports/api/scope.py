"""The reader's results scope as the endpoints read it: the dashboard's (``user_scope``),
except that a round named explicitly must be one the reader may see. The dashboard's
pages fall back to the newest round; a machine asking for round 7 should not silently
get round 8, so the API answers 404 instead."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from reports.scope import Scope, user_scope


def results_scope(user: Any, round_id: int | None) -> Scope:
    """``user``'s scope in round ``round_id`` (the newest visible round for None).
    PermissionDenied for readers who see no results (assessors); NotFound for a round
    they may not see."""
    scope = user_scope(user, round_id)
    if round_id is not None and (scope.round is None or scope.round.pk != round_id):
        raise NotFound(_("There is no round %(id)s in your scope.") % {"id": round_id})
    return scope
