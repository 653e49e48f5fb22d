"""Forms for the person-centred review, one-page profiles and success indicators."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from goldenthread.core.forms import DateInput
from goldenthread.core.models import Service
from goldenthread.reviews.models import IndividualAction, OnePageProfile
from goldenthread.reviews.person_reviews import MAX_LINE, item_lines
from goldenthread.reviews.forms import ReviewForm

CHOICE_WORDS = ["1st choice", "2nd choice", "3rd choice"]


class StartReviewForm(ReviewForm):
    """The first page: who the review is for, when and where. Consent is asked at the end."""

    consent_given = None  # asked at the end, with the top choices

    class Meta(ReviewForm.Meta):
        fields = ["reference", "person_ref", "person_name", "review_date", "facilitator", "location"]


def _check_lines(text: str, what: str) -> list[str]:
    lines = item_lines(text)
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE:
            raise ValidationError(f"Line {number} is too long. Write {what} in {MAX_LINE} characters or fewer, "
                                  "or split it over two lines.")
    return lines


class ItemsForm(forms.Form):
    """One question: the answers, one a line."""

    items = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, question: str, hint: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].label = question
        self.fields["items"].help_text = hint

    def clean_items(self):
        return _check_lines(self.cleaned_data["items"], "each thing")


class WorkingForm(forms.Form):
    """What is working and not working, from one perspective."""

    working = forms.CharField(required=False, label="What is working", widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="Write each thing on its own line.")
    not_working = forms.CharField(required=False, label="What is not working",
                                  widget=forms.Textarea(attrs={"rows": 6}), help_text="Write each thing on its own line.")

    def clean_working(self):
        return _check_lines(self.cleaned_data["working"], "each thing")

    def clean_not_working(self):
        return _check_lines(self.cleaned_data["not_working"], "each thing")


class ActionForm(forms.Form):
    text = forms.CharField(required=False, max_length=1000, label="What will happen",
                           widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(required=False, max_length=200, label="Who will do it")
    due_date = forms.DateField(required=False, label="When by", help_text="For example, 30 6 2026",
                               widget=DateInput(),
                               error_messages={"invalid": "Enter a real date, for example 30 6 2026."})
    status = forms.ChoiceField(choices=IndividualAction.Status.choices, initial=IndividualAction.Status.NOT_STARTED,
                               label="Progress")

    def clean(self):
        data = super().clean()
        text = (data.get("text") or "").strip()
        if not text and (data.get("owner") or "").strip():
            self.add_error("text", "Write what will happen, or clear who will do it.")
        if text and not (data.get("owner") or "").strip():
            self.add_error("owner", "Write who will do this action.")
        if text and not data.get("due_date") and "due_date" not in self.errors:
            self.add_error("due_date", "Enter the date this action should be done by.")
        return data

    @property
    def is_filled(self) -> bool:
        return bool((self.cleaned_data.get("text") or "").strip())


ActionFormSet = forms.formset_factory(ActionForm, extra=2, max_num=30)


class TopChoicesForm(forms.Form):
    """The person's 1st, 2nd and 3rd choice of each ranked kind, and their consent."""

    consent = forms.ChoiceField(
        label="Does the person agree that their top choices can be used, without their name, by the council?",
        choices=[("yes", "Yes, they agree"), ("no", "No, they do not agree")], widget=forms.RadioSelect,
        error_messages={"required": "Say whether the person agrees their top choices can be used."},
    )

    def __init__(self, *args, groups: list[dict], **kwargs):
        """``groups``: each with section, heading and items (the person's own items of that section)."""
        super().__init__(*args, **kwargs)
        self.groups = groups
        self.summary_labels = {"consent": "Consent"}
        for group in groups:
            choices = [("", "Nothing picked")] + [(str(i.pk), i.text[:120]) for i in group["items"]]
            group["fields"] = []
            for n, words in enumerate(CHOICE_WORDS, start=1):
                name = f"{group['section']}_{n}"
                self.fields[name] = forms.TypedChoiceField(choices=choices, required=False, coerce=int,
                                                           empty_value=None, label=words)
                self.summary_labels[name] = f"{group['heading']}, {words}"
                group["fields"].append(name)
        self.order_fields(["consent"] + [f for g in groups for f in g["fields"]])

    def clean(self):
        data = super().clean()
        for group in self.groups:
            picked = [(name, data.get(name)) for name in group["fields"]]
            seen = set()
            for name, value in picked:
                if value is None:
                    continue
                if value in seen:
                    self.add_error(name, "This is already picked as a higher choice. Pick a different thing, "
                                         "or Nothing picked.")
                seen.add(value)
            values = [v for _, v in picked]
            for index in range(1, len(values)):
                if values[index] is not None and values[index - 1] is None:
                    self.add_error(group["fields"][index - 1],
                                   f"Pick the {CHOICE_WORDS[index - 1]} before the {CHOICE_WORDS[index]}.")
        return data

    def picks(self) -> dict[str, list[int | None]]:
        return {g["section"]: [self.cleaned_data.get(name) for name in g["fields"]] for g in self.groups}


SHARED_LABEL = "Can the service that supports the person see this profile?"
SHARED_HINT = ("Ask the person. This is a separate question from whether the council may use their top choices: "
               "the answer to one does not change the other.")


def _shared_field():
    return forms.TypedChoiceField(
        label=SHARED_LABEL, help_text=SHARED_HINT, widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", "Yes, the managers and staff of the service that supports them can see it"),
                 ("no", "No, only the people who facilitate their reviews can see it")],
        error_messages={"required": "Select whether the service that supports the person can see this profile"})


class ProfileConsentForm(forms.Form):
    """The profile's own consent, asked on its own when a profile is made or updated from a review."""

    def __init__(self, *args, current: bool | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with_supporters"] = _shared_field()
        if current is not None:
            self.initial["shared_with_supporters"] = "yes" if current else "no"


class ProfileForm(forms.ModelForm):
    class Meta:
        model = OnePageProfile
        fields = ["name", "appreciate", "important", "support", "shared_with_supporters"]
        widgets = {f: forms.Textarea(attrs={"rows": 6}) for f in ("appreciate", "important", "support")}
        error_messages = {f: {"required": "Write at least one thing."} for f in ("appreciate", "important", "support")}
        error_messages["name"] = {"required": "Write the name the person likes to be called."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with_supporters"] = _shared_field()
        value = self.initial.get("shared_with_supporters")
        if isinstance(value, bool):
            self.initial["shared_with_supporters"] = "yes" if value else "no"

    def _lines(self, field):
        lines = _check_lines(self.cleaned_data[field], "each thing")
        if not lines:
            raise ValidationError("Write at least one thing.")
        return "\n".join(lines)

    def clean_appreciate(self):
        return self._lines("appreciate")

    def clean_important(self):
        return self._lines("important")

    def clean_support(self):
        return self._lines("support")


class IndicatorScopeForm(forms.Form):
    provider = forms.ChoiceField(required=False, label="Provider")
    service = forms.ModelChoiceField(queryset=Service.objects.all(), required=False, label="Service",
                                     empty_label="All services")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        providers = sorted({p for p in Service.objects.values_list("provider", flat=True) if p})
        self.fields["provider"].choices = [("", "All providers (the whole council)")] + [(p, p) for p in providers]
