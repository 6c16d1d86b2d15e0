"""API tokens: making, revoking and recognising them. Only administrators make and revoke
tokens (in the portal or with ``manage.py create_api_token``, which acts for nobody in
particular: whoever can run it owns the server)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ApiToken, Role, User
from common.errors import NotAllowedError, Problem, ValidationFailed

#: Every secret starts so, which tells a leaked one apart in logs and scanners.
TOKEN_PREFIX = "scp_"  # noqa: S105 (a marker, not a secret)
PREFIX_LENGTH = 12
#: A token's last use is written at most this often (not on every request).
LAST_USED_RESOLUTION = timedelta(minutes=1)
NAME_MAX_LENGTH = 100
MAX_LIFETIME_DAYS = 3650


def token_hash(secret: str) -> str:
    """The stored form of a secret. The secret is 256 random bits, so a plain hash is
    enough (a slow password hash would only slow every API call)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenStatus(models.TextChoices):
    ACTIVE = "active", gettext_lazy("active")
    EXPIRED = "expired", gettext_lazy("expired")
    REVOKED = "revoked", gettext_lazy("revoked")


def may_manage_tokens(user: Any) -> bool:
    """Whether a signed-in user may see, make and revoke API tokens (administrators)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "role", None) == Role.ADMINISTRATOR)
    )


def _may_manage(actor: Any) -> bool:
    return actor is None or may_manage_tokens(actor)


@transaction.atomic
def api_token_create(
    *, actor: Any, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret (shown once, never stored). ``actor`` None
    is the command line."""
    if not _may_manage(actor):
        raise NotAllowedError(_("Only administrators can create API tokens."))
    name = name.strip()
    problems = []
    if not name:
        problems.append(Problem(_("Give the token a name, e.g. the system that uses it."), "name"))
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(
            Problem(_("A name has at most %(n)d characters.") % {"n": NAME_MAX_LENGTH}, "name")
        )
    if not user.is_active:
        problems.append(Problem(_("This user is deactivated."), "user"))
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        problems.append(Problem(_("The expiry must lie in the future."), "expires_at"))
    elif expires_at is not None and expires_at > now + timedelta(days=MAX_LIFETIME_DAYS):
        problems.append(
            Problem(_("A token lasts at most %(n)d days.") % {"n": MAX_LIFETIME_DAYS}, "expires_at")
        )
    if problems:
        raise ValidationFailed(*problems)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        key_hash=token_hash(secret),
        created_by=actor,
        expires_at=expires_at,
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """End a token at once; revoking it again changes nothing."""
    if not _may_manage(actor):
        raise NotAllowedError(_("Only administrators can revoke API tokens."))
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def token_status(token: ApiToken, now: datetime | None = None) -> TokenStatus:
    """Active, expired or revoked (a deactivated user's tokens count as revoked); the
    same rule as ``token_status_q`` says in a query."""
    now = now or timezone.now()
    if token.revoked_at is not None or not token.user.is_active:
        return TokenStatus.REVOKED
    if token.expires_at is not None and token.expires_at <= now:
        return TokenStatus.EXPIRED
    return TokenStatus.ACTIVE


def token_status_q(status: TokenStatus, now: datetime) -> Q:
    """The tokens of one status, as a query filter."""
    revoked = Q(revoked_at__isnull=False) | Q(user__is_active=False)
    expired = Q(expires_at__isnull=False, expires_at__lte=now)
    if status == TokenStatus.REVOKED:
        return revoked
    if status == TokenStatus.EXPIRED:
        return ~revoked & expired
    return ~revoked & ~expired


def token_list(*, status: str | None = None, search: str | None = None) -> QuerySet[ApiToken]:
    """Every token, newest first, with its user and maker loaded; ``status`` one of
    TokenStatus, ``search`` a part of the user's user name or name."""
    tokens = ApiToken.objects.select_related("user", "created_by", "revoked_by")
    if status in TokenStatus.values:
        tokens = tokens.filter(token_status_q(TokenStatus(status), timezone.now()))
    if search:
        tokens = tokens.filter(
            Q(user__username__icontains=search)
            | Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
        )
    return tokens.order_by("-created_at", "-pk")


def token_authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret (its user loaded), or None; notes its use."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__region")
        .filter(key_hash=token_hash(secret))
        .first()
    )
    now = timezone.now()
    if token is None or token_status(token, now) != TokenStatus.ACTIVE:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
