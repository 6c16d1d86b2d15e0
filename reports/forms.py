"""The administrators' form that starts a ranking stability run. Its limits are the
service's (scoring.services.stability), so the form refuses at the field what the service
would refuse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.services.stability import (
    DEFAULT_DRAWS,
    DEFAULT_SPREAD,
    MAX_DRAWS,
    MAX_SPREAD,
    MIN_DRAWS,
    MIN_SPREAD,
)


class StabilityRunForm(forms.Form):
    draws = forms.IntegerField(
        label=_("Draws"),
        min_value=MIN_DRAWS,
        max_value=MAX_DRAWS,
        initial=DEFAULT_DRAWS,
        help_text=_("How many random weightings to rank under."),
    )
    spread = forms.DecimalField(
        label=_("Weight spread"),
        min_value=MIN_SPREAD,
        max_value=MAX_SPREAD,
        max_digits=4,
        decimal_places=3,
        initial=DEFAULT_SPREAD,
        help_text=_("0.2: every weight between 0.8 and 1.2 times its value."),
    )
