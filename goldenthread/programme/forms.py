"""Forms for the programme pages. Every form's errors go into the page's error summary (core.forms.form_errors)."""
from __future__ import annotations

import datetime as dt

from django import forms

from goldenthread.core.forms import DateInput, PlainErrors, plain_english_errors
from goldenthread.programme.models import (
    MAX_TEXT, SAMPLE_ENOUGH, SAMPLE_MIN, ActionUpdate, Comment, Evaluation, Invitee, Milestone, Plan, PopulationCount,
)
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.reviews.models.cycles import CYCLE_NAME_TAKEN
from goldenthread.workshops.models import Status


class PurposeForm(PlainErrors, forms.Form):
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                              help_text="Why the cycle is being run and what it should inform.")
    scope_type = forms.ChoiceField(label="What the cycle covers", choices=Plan.ScopeType.choices,
                                   widget=forms.RadioSelect)
    scope = forms.CharField(label="Who and where, in a sentence", widget=forms.Textarea(attrs={"rows": 2}),
                            max_length=2000, help_text='For example "People supported in Northbrook and Harford".')


class DecisionsForm(PlainErrors, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["meeting_date", "top_three", "information", "whose_reviews", "existing_facilitators",
                  "train_facilitators", "independent_facilitators"]
        widgets = {"meeting_date": DateInput(),
                   "information": forms.Textarea(attrs={"rows": 3}), "whose_reviews": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if not (data.get("top_three") or (data.get("information") or "").strip()):
            self.add_error("information", "Say what information to gather, or tick the top three.")
        return data


class SampleForm(PlainErrors, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["sample_target"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["sample_target"]
        field.required = True
        field.error_messages["required"] = "Enter how many reviews to use, for example 30."
        field.help_text = (f"At least {SAMPLE_MIN}: fewer gives the workshop too little to work with. "
                           f"Past about {SAMPLE_ENOUGH} the themes only repeat.")

    def clean_sample_target(self):
        n = self.cleaned_data["sample_target"]
        if n < SAMPLE_MIN:
            raise forms.ValidationError(f"Use at least {SAMPLE_MIN} reviews.")
        return n


class PopulationForm(PlainErrors, forms.ModelForm):
    class Meta:
        model = PopulationCount
        fields = ["dimension", "value", "count"]

    def __init__(self, *args, cycle: ProgrammeCycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle

    def clean(self):
        from goldenthread.core.lookups import NotOnTheList
        from goldenthread.programme.services import check_population_group

        data = super().clean()
        if data.get("dimension") and data.get("value"):
            try:
                data["value"] = check_population_group(data["dimension"], data["value"].strip())
            except NotOnTheList as err:
                self.add_error("value", f"{err} Choose a name on the council's {err.fixed.plural} list.")
                return data
        if data.get("dimension") and data.get("value") and self.cycle.population.filter(
                dimension=data["dimension"], value__iexact=data["value"].strip()).exists():
            self.add_error("value", "This group already has a number. Import a file to replace all of them.")
        return data


class PopulationFileForm(PlainErrors, forms.Form):
    file = forms.FileField(label="Population file (CSV)",
                           help_text="Columns: dimension, group, count. It replaces the numbers already entered.")


class InviteeForm(PlainErrors, forms.ModelForm):
    class Meta:
        model = Invitee
        fields = ["name", "organisation", "group", "provider_manager", "reply", "induction_loop", "easy_read",
                  "interpreter", "step_free", "other_needs"]
        widgets = {"group": forms.RadioSelect, "reply": forms.RadioSelect}


class EvaluationForm(PlainErrors, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["worked", "not_so_well", "future"]
        widgets = {name: forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT}) for name in
                   ("worked", "not_so_well", "future")}

    def clean(self):
        data = super().clean()
        if not any((data.get(n) or "").strip() for n in ("worked", "not_so_well", "future")):
            self.add_error("worked", "Answer at least one question.")
        return data


class FacilitatorEvaluationForm(EvaluationForm):
    class Meta(EvaluationForm.Meta):
        fields = ["group", "worked", "not_so_well", "future"]


class UpdateForm(PlainErrors, forms.ModelForm):
    class Meta:
        model = ActionUpdate
        fields = ["on", "status", "note"]
        widgets = {"on": DateInput(), "status": forms.RadioSelect,
                   "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = Status.choices

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > dt.date.today():
            raise forms.ValidationError("The date of the update cannot be in the future.")
        return on


class MilestoneForm(PlainErrors, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["text", "due"]
        widgets = {"due": DateInput()}


class CommentCodeForm(PlainErrors, forms.Form):
    code = forms.CharField(label="Comment code", max_length=12,
                           help_text="The code on the letter or poster about the actions.")


class CommentForm(PlainErrors, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["came_from", "text"]
        widgets = {"came_from": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT})}


class NextCycleForm(forms.Form):
    name = forms.CharField(max_length=200, help_text='For example "Older people, Harford, 2027".')
    slug = forms.SlugField(label="Short name", max_length=80, help_text="Used in web addresses, for example harford-2027.")
    year = forms.IntegerField(min_value=2000, max_value=2100, error_messages={
        "required": "Enter the year of the next cycle, for example 2027",
        "invalid": "Year must be a whole number, like 2027",
        "min_value": "Year must be 2000 or later", "max_value": "Year must be 2100 or earlier"})

    def __init__(self, *args, previous: ProgrammeCycle | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous = previous
        plain_english_errors(self)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if self.previous is not None and year <= self.previous.year:
            raise forms.ValidationError(f"Year must be after {self.previous.year}, the year of this cycle: the next "
                                        f"cycle is {self.previous.year + 1} or later")
        return year

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if ProgrammeCycle.objects.filter(slug=slug).exists():
            raise forms.ValidationError("Another cycle already uses this short name.")
        return slug

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if ProgrammeCycle.name_taken(name):
            raise forms.ValidationError(CYCLE_NAME_TAKEN)
        return name


class WorkshopDayForm(PlainErrors, forms.ModelForm):
    class Meta:
        from goldenthread.programme.models import WorkshopDay

        model = WorkshopDay
        fields = ["date", "times", "venue", "contact"]
        widgets = {"date": DateInput()}
