"""The administrators' forms for API tokens. The rules are the service's (accounts.tokens);
a refusal is shown at its field (common.forms.add_domain_error)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.tokens import NAME_MAX_LENGTH

#: The lifetimes offered, in days ("" is never).
EXPIRY_CHOICES = (
    ("", _("Never")),
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In 365 days")),
)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.display_name
        who = name if name == obj.username else f"{name} ({obj.username})"
        return f"{who} · {obj.get_role_display()}"


class TokenCreateForm(forms.Form):
    user = UserChoiceField(
        label=_("User"),
        queryset=User.objects.none(),
        empty_label=_("Choose a user"),
        help_text=_("The API answers the token as this user would be answered: same role, "
                    "same region, same assignments."),
    )  # fmt: skip
    name = forms.CharField(
        label=_("Name"),
        # shown beside the other fields' errors; the service refuses an empty name too
        error_messages={"required": _("Give the token a name, e.g. the system that uses it.")},
        widget=forms.TextInput(attrs={"size": 40, "maxlength": NAME_MAX_LENGTH}),
        help_text=_("What uses the token, e.g. “Jinan city platform”."),
    )
    expires_at = forms.ChoiceField(
        label=_("Expires"), choices=EXPIRY_CHOICES, required=False, initial="90"
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        users = User.objects.filter(is_active=True).order_by("username")
        self.fields["user"].queryset = users  # type: ignore[attr-defined]

    def expiry(self) -> datetime | None:
        """The chosen expiry as a moment (None: never)."""
        days = self.cleaned_data.get("expires_at")
        return timezone.now() + timedelta(days=int(days)) if days else None
