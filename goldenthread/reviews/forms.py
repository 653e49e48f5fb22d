"""Forms for the web pages. Values are parsed with the same rules as file import."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from goldenthread.core.forms import DateInput, fixed_list_field
from goldenthread.reviews.drafts import InvalidValue, check_review_date, parse_attendees, parse_person_ref
from goldenthread.core.models import MAX_PRIORITY, Kind, Perspective
from goldenthread.reviews.models import ProgrammeCycle, Review
from goldenthread.reviews.models.cycles import CYCLE_NAME_TAKEN
from goldenthread.reviews.importing import FORMATS

CONSENT_REQUIRED = "Select yes if the person agreed to what they said being used, or no if they did not"

PRIORITY_CHOICES = [("", "Not a top choice")] + [
    (str(n), label) for n, label in zip(range(1, MAX_PRIORITY + 1), ["1st choice", "2nd choice", "3rd choice"])
]


class CycleForm(forms.ModelForm):
    class Meta:
        model = ProgrammeCycle
        fields = ["name", "slug", "year", "purpose", "scope", "people_involved", "previous"]
        labels = {"slug": "Short name", "previous": "Last year's cycle"}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if ProgrammeCycle.name_taken(name, exclude_pk=self.instance.pk):
            raise ValidationError(CYCLE_NAME_TAKEN)
        return name


def clean_person_ref(value: str) -> str:
    """A form's person ID, checked by the rule the import and the API use (:func:`parse_person_ref`)."""
    try:
        return parse_person_ref(value)
    except InvalidValue as exc:
        raise ValidationError(f"Person ID: {exc}.") from None


class ReviewForm(forms.ModelForm):
    """The review feedback template's details about the review itself."""

    # The council's fixed lists: only names on them can be picked (see goldenthread.core.lookups).
    area = fixed_list_field("area", help_text="The area, for comparing places.")
    service = fixed_list_field("service", required=False, help_text="The service or provider, if any.")
    user_group = fixed_list_field("user_group", label="User group", help_text="For example Older people.")
    attendees = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Who came to the review",
        help_text="One person per line, like: Kim Hart (sister). Their names will be hidden on cards.",
    )
    # A required yes/no with nothing chosen at first: an unanswered question must not save as "No".
    consent_given = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        label="Did the person agree that their anonymised statements can be used in this cycle?",
        help_text="Their name and other details are taken out first. If they say no, their statements are not "
                  "used on cards.",
        error_messages={"required": CONSENT_REQUIRED},
    )

    class Meta:
        model = Review
        fields = ["reference", "person_ref", "person_name", "review_date", "facilitator", "location",
                  "consent_given"]
        labels = {"person_name": "Person's name"}
        widgets = {"review_date": DateInput()}

    def __init__(self, *args, cycle: ProgrammeCycle, **kwargs):
        self.cycle = cycle
        super().__init__(*args, **kwargs)
        self.fields["review_date"].help_text = "For example, 14 3 2026"
        self.fields["review_date"].error_messages["invalid"] = "Enter the review date as a real date, like 14 3 2026."
        # The consent message is a whole sentence already: the error summary shows it without the question in front.
        self.summary_labels = {"consent_given": ""}
        for name, field in self.fields.items():
            label = field.label or name.replace("_", " ").capitalize()
            if not isinstance(field, forms.ModelChoiceField) and name != "consent_given":
                field.error_messages["required"] = f"Enter the {label[0].lower() + label[1:]}."

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if Review.objects.filter(cycle=self.cycle, reference=reference).exists():
            raise ValidationError("A review with this ID is already in this cycle. Use a different ID.")
        return reference

    def clean_person_ref(self):
        return clean_person_ref(self.cleaned_data["person_ref"])

    def clean_review_date(self):
        import datetime as dt

        date = self.cleaned_data["review_date"]
        if date and date > dt.date.today():
            raise ValidationError("The review date must be today or in the past.")
        if date:
            try:
                check_review_date(date)  # the bounds the import and the API use too
            except InvalidValue as exc:
                raise ValidationError(f"Review date: {exc}.") from None
        year = getattr(self.cycle, "year", None)
        if date and year and not year - 1 <= date.year <= year:
            # The rule the import and the API use too (drafts.check_in_cycle), said for this form.
            raise ValidationError(f"Review date must be in {year - 1} or {year} for the {year} cycle: check the year")
        return date

    def clean_attendees(self):
        try:
            return parse_attendees(self.cleaned_data["attendees"])
        except InvalidValue as exc:
            raise ValidationError(f"Could not read who came: {exc}.") from None


class StatementForm(forms.Form):
    text = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                           label="What was said")
    perspective = forms.ChoiceField(choices=Perspective.choices, initial=Perspective.PERSON, label="Whose view")
    priority = forms.ChoiceField(choices=PRIORITY_CHOICES, required=False, label="Top choice")

    def clean(self):
        data = super().clean()
        if data.get("priority") and not (data.get("text") or "").strip():
            self.add_error("text", "Write what was said, or remove the top choice.")
        if data.get("priority") and data.get("perspective") != Perspective.PERSON:
            self.add_error("priority", "Only the person's own statements can be their top choices.")
        return data


class BaseStatementFormSet(forms.BaseFormSet):
    kind: str = ""

    def clean(self):
        if any(self.errors):
            return
        used: dict[str, int] = {}
        for form in self.forms:
            priority = form.cleaned_data.get("priority")
            if priority:
                used[priority] = used.get(priority, 0) + 1
        for priority, count in used.items():
            if count > 1:
                raise ValidationError(
                    f"{dict(PRIORITY_CHOICES)[priority]} is picked {count} times. "
                    "Pick each top choice once."
                )


StatementFormSet = forms.formset_factory(StatementForm, formset=BaseStatementFormSet, extra=4, max_num=20)

#: The sections of the review form: kind, heading, prompt.
STATEMENT_SECTIONS = [
    (Kind.WORKING, "What is working", "What is working well in the person's life? Ask the person first, then others."),
    (Kind.NOT_WORKING, "What is not working", "What is not working, or could be better?"),
    (Kind.FUTURE, "What is important for the future", "What does the person want for their future?"),
    (Kind.IMPORTANT_NOW, "What is important to the person now", "What matters most to the person today?"),
]


class ImportForm(forms.Form):
    file = forms.FileField(label="Review file", help_text="A CSV, Excel (.xlsx) or JSON file.")
    file_format = forms.ChoiceField(
        choices=[("", "Work it out from the file name")] + [(f, f.upper()) for f in FORMATS],
        required=False, label="File format",
    )
