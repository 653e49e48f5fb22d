"""Forms for the providers' pages. Checking that a change is allowed is done by the services, not here."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from goldenthread.providers.models import (
    Doughnut,
    FourPlusOne,
    LearningLog,
    PlanLine,
    RuleKind,
    StaffMember,
    SupportedPerson,
    Wishes,
)

DATE = forms.DateInput(attrs={"type": "date"})

KIND_CHOICES = [
    ("delivered", "Support delivered (hours)"),
    ("purchase", "Something the person chose to buy (money)"),
    ("management", "Management and service costs (money)"),
    ("banked", "Save unused hours in the bank"),
    ("from_bank", "Take hours out of the bank"),
    ("converted", "Turn unused hours into money"),
    ("allocation", "Add the week's allocation"),
]
NEEDS_HOURS = {"delivered", "banked", "from_bank", "converted"}
NEEDS_MONEY = {"purchase", "management"}


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label="What happened?", choices=KIND_CHOICES, widget=forms.RadioSelect)
    occurred_on = forms.DateField(label="Date", widget=DATE, initial=dt.date.today)
    hours = forms.DecimalField(label="Hours", required=False, min_value=Decimal("0.01"), decimal_places=2,
                               max_digits=7, help_text="Hours of support actually given, or hours to move.")
    amount = forms.DecimalField(label="Amount in pounds", required=False, min_value=Decimal("0.01"),
                                decimal_places=2, max_digits=10)
    band = forms.ChoiceField(label="Time band", required=False,
                             help_text="Only if the support was at a time paid at a different rate.")
    from_bank = forms.BooleanField(label="Use banked hours for this support", required=False)
    description = forms.CharField(label="What was it?", max_length=300, required=False)
    with_whom = forms.CharField(label="Who gave the support?", max_length=120, required=False)
    approval_reason = forms.CharField(
        label="Approval to go below nothing", required=False, max_length=500,
        help_text="Only a manager may approve this. Leave empty unless the person has agreed to overspend; say why.")

    summary_labels = {"kind": "What happened", "occurred_on": "Date"}

    def __init__(self, *args, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        bands = [r.name for r in fund.flex_rules.filter(active=True, kind=RuleKind.TIME_BAND)] if fund else []
        self.fields["band"].choices = [("", "Standard rate")] + [(b, b) for b in bands]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in NEEDS_HOURS and not data.get("hours"):
            self.add_error("hours", "Enter the hours.")
        if kind in NEEDS_MONEY:
            if not data.get("amount"):
                self.add_error("amount", "Enter the amount in pounds.")
            if not data.get("description"):
                self.add_error("description", "Say what the money was spent on.")
        if kind == "allocation" and data.get("occurred_on") and data["occurred_on"].weekday() != 0:
            self.add_error("occurred_on", "An allocation is added for a week: enter the Monday it starts.")
        return data


class CorrectionForm(forms.Form):
    reason = forms.CharField(label="Why is this line wrong?", max_length=300)
    approval_reason = forms.CharField(label="Approval to go below nothing", required=False, max_length=500,
                                      help_text="Only if cancelling this line takes a balance below nothing.")


class PlanLineForm(forms.ModelForm):
    class Meta:
        model = PlanLine
        fields = ["what", "when", "with_whom", "hours_per_week", "rate", "band"]


class RedivideForm(forms.Form):
    """A share of the shared allocation for each person who is leaving it; the rest stay with the others."""

    effective_from = forms.DateField(label="From", widget=DATE)
    reason = forms.CharField(max_length=300, help_text="For example: Paul moves to his own home.")

    def __init__(self, *args, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(fund.shared_by.all()) if fund else []
        for p in self.people:
            self.fields[f"share_{p.pk}"] = forms.DecimalField(
                label=f"Hours a week for {p.name} in their own fund", required=False, min_value=Decimal("0"),
                decimal_places=2, max_digits=7, help_text="Leave empty if they stay in the shared allocation.")

    def shares(self) -> dict[SupportedPerson, Decimal]:
        return {p: self.cleaned_data[f"share_{p.pk}"] for p in self.people if self.cleaned_data.get(f"share_{p.pk}")}

    def clean(self):
        data = super().clean()
        if not any(data.get(f"share_{p.pk}") for p in self.people):
            raise forms.ValidationError("Enter hours for at least one person who is leaving the shared allocation.")
        return data


class FourPlusOneForm(forms.ModelForm):
    class Meta:
        model = FourPlusOne
        fields = ["held_on", "tried", "learned", "pleased", "concerned", "next_steps"]
        widgets = {"held_on": DATE}


class LearningLogForm(forms.ModelForm):
    class Meta:
        model = LearningLog
        fields = ["happened_on", "activity", "who_was_there", "went_well", "did_not_go_well", "differently"]
        widgets = {"happened_on": DATE}


class DoughnutForm(forms.ModelForm):
    class Meta:
        model = Doughnut
        fields = ["role", "core", "judgement", "not_our_job"]


class WishesForm(forms.ModelForm):
    class Meta:
        model = Wishes
        fields = ["must_have_skills", "wanted_skills", "wanted_characteristics", "unwanted_characteristics",
                  "interests", "times_needed", "hours_needed", "min_team"]
        labels = {"must_have_skills": "Must-have skills", "wanted_skills": "Skills that would be good",
                  "wanted_characteristics": "Characteristics wanted",
                  "unwanted_characteristics": "Characteristics not wanted", "interests": "Interests to share",
                  "times_needed": "Times support is needed", "hours_needed": "Hours of support a week",
                  "min_team": "Fewest people on the team"}
        widgets = {k: forms.Textarea(attrs={"rows": 3}) for k in fields[:6]}


class StaffMemberForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["name", "skills", "characteristics", "interests", "times_available", "hours_available"]
        help_texts = {"skills": "One a line.", "characteristics": "One a line.", "interests": "One a line.",
                      "times_available": 'One a line, the same words as people use (for example "after 11 pm").',
                      "hours_available": "Hours a week this person can work."}
        widgets = {k: forms.Textarea(attrs={"rows": 3}) for k in fields[1:5]}
