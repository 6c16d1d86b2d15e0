"""The administrators' forms: publishing a notice and withdrawing one. The rules are the
services' (reports.notices.services); a refusal is shown at its field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.choices import RegionLevel
from assessments.models import Region, Round
from reports.models import PublicNotice
from reports.notices.selectors import default_preamble, default_title, notice_regions
from reports.notices.services import area_problem, period_problem

#: The usual notice period (公示期) is five to seven working days.
PERIOD_DAYS = 7
DEFAULT_ISSUER = _("Shandong Provincial Big Data Bureau")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        if obj.level == RegionLevel.DISTRICT and obj.city is not None:
            return f"\u3000{obj.city.name} · {obj.name}"
        return obj.name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class NoticePublishForm(forms.Form):
    """The title and preamble are prefilled for the initial round and the whole province;
    left as prefilled (or emptied) they follow the round and area chosen."""

    round = forms.ModelChoiceField(
        label=_("Round"), queryset=Round.objects.none(), empty_label=None
    )
    region = RegionChoiceField(
        label=_("Area"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Whole province"),
        help_text=_("Only approved results of this area are listed."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=PublicNotice._meta.get_field("title").max_length,
        required=False,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=_(
            "Left as prefilled, the title and the introduction follow the round and area chosen."
        ),
    )
    preamble = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The paragraph above the table of results."),
    )
    period_start = forms.DateField(label=_("Notice period starts"), widget=DateInput())
    period_end = forms.DateField(
        label=_("Notice period ends"),
        widget=DateInput(),
        help_text=_("A notice period usually lasts five to seven working days."),
    )
    contact = forms.CharField(
        label=_("Contact for objections"),
        max_length=PublicNotice._meta.get_field("contact").max_length,
        widget=forms.TextInput(
            attrs={"size": 60, "placeholder": _("Office, telephone and address")}
        ),
        help_text=_("The office, telephone and address that receive objections."),
    )
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=PublicNotice._meta.get_field("issuer").max_length,
        widget=forms.TextInput(attrs={"size": 40}),
    )
    # The title and preamble as prefilled, to tell whether they were edited.
    prefilled_title = forms.CharField(required=False, widget=forms.HiddenInput)
    prefilled_preamble = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, round: Round | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rounds = Round.objects.select_related("framework").order_by("-period_start", "-pk")
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["region"].queryset = notice_regions()  # type: ignore[attr-defined]
        if not self.is_bound:
            first = round or rounds.first()
            today = timezone.localdate()
            title = default_title(first, None) if first else ""
            preamble = default_preamble(first, None) if first else ""
            self.initial.update(
                round=first.pk if first else None,
                title=title,
                preamble=preamble,
                prefilled_title=title,
                prefilled_preamble=preamble,
                period_start=today,
                period_end=today + timedelta(days=PERIOD_DAYS),
                issuer=str(DEFAULT_ISSUER),
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        round_, region = data.get("round"), data.get("region")
        # The service's rules, asked here too so every problem shows at once.
        start, end = data.get("period_start"), data.get("period_end")
        problems = [
            area_problem(round_, region) if round_ is not None else None,
            period_problem(start, end) if start and end else None,
        ]
        for problem in problems:
            if problem is not None and problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        if round_ is not None:
            title = (data.get("title") or "").strip()
            if not title or title == (data.get("prefilled_title") or "").strip():
                data["title"] = default_title(round_, region)
            preamble = (data.get("preamble") or "").strip()
            if preamble == (data.get("prefilled_preamble") or "").strip():
                # As prefilled: left empty, the notice words it for its round and area.
                data["preamble"] = ""
        return data


class NoticeWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        max_length=PublicNotice._meta.get_field("withdraw_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the notice; the public no longer sees it."),
    )
