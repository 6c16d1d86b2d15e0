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
