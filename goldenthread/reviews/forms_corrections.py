"""Forms for correcting a review and withdrawing consent. The rules are in :mod:`goldenthread.reviews.corrections`."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from goldenthread.core.forms import DateInput, fixed_list_field
from goldenthread.core.models import Kind, Perspective
from goldenthread.reviews.forms import PRIORITY_CHOICES, clean_person_ref
from goldenthread.reviews.models import Review

REASON_HELP = "Who asked for it and why, for example \u201cthe person said the date was wrong\u201d. It is kept " \
              "with the change."


def _reason_field() -> forms.CharField:
    return forms.CharField(label="Reason for the change", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=REASON_HELP, error_messages={"required": "Enter the reason for the change."})


class DetailsCorrectionForm(forms.ModelForm):
    """The review's details, as recorded, with the reason for correcting them."""

    area = fixed_list_field("area", help_text="The area, for comparing places.")
    service = fixed_list_field("service", required=False, help_text="The service or provider, if any.")
    user_group = fixed_list_field("user_group", label="User group", help_text="For example Older people.")
    reason = _reason_field()

    class Meta:
        model = Review
        fields = ["reference", "person_ref", "person_name", "review_date", "facilitator", "location", "area",
                  "service", "user_group"]
        labels = {"person_name": "Person's name"}
        widgets = {"review_date": DateInput()}

    def clean_person_ref(self):
        return clean_person_ref(self.cleaned_data["person_ref"])

    def clean_review_date(self):
        date = self.cleaned_data["review_date"]
        if date and not dt.date(2000, 1, 1) <= date <= dt.date.today():
            raise ValidationError("The review date must be between 1 1 2000 and today.")
        return date


class StatementCorrectionForm(forms.Form):
    text = forms.CharField(label="What was said", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Enter what was said."})
    kind = forms.ChoiceField(label="Kind of statement", choices=Kind.choices)
    perspective = forms.ChoiceField(label="Whose view", choices=Perspective.choices)
    priority = forms.ChoiceField(label="Top choice", choices=PRIORITY_CHOICES, required=False)
    reason = _reason_field()

    def clean_priority(self):
        value = self.cleaned_data.get("priority")
        return int(value) if value else None


class WithdrawConsentForm(forms.Form):
    reason = _reason_field()
