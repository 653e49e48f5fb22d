"""Forms for correcting a review and withdrawing consent. The rules are in :mod:`goldenthread.reviews.corrections`."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from goldenthread.core.forms import DateInput, fixed_list_field
from goldenthread.core.models import Kind, Perspective
from goldenthread.reviews.corrections import attendees_text
from goldenthread.reviews.drafts import InvalidValue, parse_attendees
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
    attendees = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), label="Who came to the review",
        help_text="One person per line, like: Kim Hart (sister). Their names will be hidden on cards.")
    reason = _reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["attendees"].initial = attendees_text(self.instance)

    def clean_attendees(self):
        try:
            return parse_attendees(self.cleaned_data["attendees"])
        except InvalidValue as exc:
            raise ValidationError(f"Could not read who came: {exc}.") from None

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


class GiveConsentForm(forms.Form):
    reason = forms.CharField(
        label="How was consent given?", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who agreed, when and how, for example \u201cthe person signed the consent form at the review on "
                  "3 March\u201d. It is kept with the change.",
        error_messages={"required": "Enter how consent was given."})
