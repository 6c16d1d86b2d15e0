"""Portal users and their role."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ASSESSOR = "assessor", _("Assessor")
    ADMINISTRATOR = "administrator", _("Administrator")
    OFFICIAL = "official", _("Official")


class User(AbstractUser):
    """A portal user. What the role allows is decided in assessments.permissions only.

    An official may be limited to one region and its subtree (a city, a district...);
    without a region an official sees the whole province.
    """

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.ASSESSOR)
    region = models.ForeignKey(
        "assessments.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Officials only: limit what they see to this region and its subtree."),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(role="official"),
                name="user_region_only_for_officials",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
        ]

    @property
    def display_name(self) -> str:
        """ "李明" for Chinese names (family name first, no space), "Ming Li" otherwise."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if not (first or last):
            return self.username
        if any(ord(ch) > 0x2E7F for ch in first + last):
            return f"{last}{first}"
        return f"{first} {last}".strip()


class LoginFailures(AccessAttempt):
    """Failed logins of one user name from one address (django-axes' record), shown to
    administrators, who can lift a lockout by deleting it."""

    class Meta:
        proxy = True
        verbose_name = _("failed login record")
        verbose_name_plural = _("failed login records")


class LoginRecord(AccessLog):
    """A successful login (django-axes' record)."""

    class Meta:
        proxy = True
        verbose_name = _("login record")
        verbose_name_plural = _("login records")


class ApiToken(models.Model):
    """A secret that lets a machine call the REST API as ``user`` (``Authorization: Bearer
    <token>``). Only the SHA-256 of the secret is kept: the secret is shown once, when it is
    made. A token ends when it is revoked, when it expires, or with its user's account."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("begins with"), max_length=16)
    key_hash = models.CharField(_("hash of the secret"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def throttle_ident(self) -> str:
        """What the API's token throttle counts by (common.api.throttles)."""
        return f"token-{self.pk}"
