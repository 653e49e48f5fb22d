"""Forms for setting up and joining a workshop, and for action and sharing plans."""
from __future__ import annotations

from django import forms

from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops.models import Action, Cluster, DelegateGroup, RootCause, Workshop


class WorkshopForm(forms.Form):
    cycle = forms.ModelChoiceField(ProgrammeCycle.objects.all(), label="Programme cycle",
                                   help_text="The cards come from this cycle's reviews.")
    name = forms.CharField(max_length=200, label="Workshop name", help_text='For example "Ashdown workshop, May".')
    cards_used = forms.ChoiceField(choices=Workshop.Cards.choices, label="Which statements to use",
                                   widget=forms.RadioSelect, initial=Workshop.Cards.ALL,
                                   help_text="With many reviews, use each person's top choices.")


class JoinForm(forms.Form):
    code = forms.CharField(max_length=8, label="Workshop code", help_text="6 letters and numbers, shown on the screen.")
    name = forms.CharField(max_length=60, label="Your first name or a nickname",
                           help_text="Everyone in the room will see it.")
    group = forms.ChoiceField(choices=DelegateGroup.choices, label="Which group are you in?", widget=forms.RadioSelect)

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper().replace(" ", "")
        self.cleaned_data["workshop"] = Workshop.objects.filter(code=code).first()
        if self.cleaned_data["workshop"] is None:
            raise forms.ValidationError("There is no workshop with that code. Check the code on the screen.")
        closed = self.cleaned_data["workshop"].joining_refusal()
        if closed:
            raise forms.ValidationError(closed)
        return code


class DateInput(forms.DateInput):
    input_type = "date"


class ActionForm(forms.Form):
    stakeholder = forms.ChoiceField(choices=Action.Stakeholder.choices, label="Who will do it")
    text = forms.CharField(max_length=300, label="What will be done", widget=forms.Textarea(attrs={"rows": 2}))
    themes = forms.ModelMultipleChoiceField(Cluster.objects.none(), label="Themes it is about",
                                            widget=forms.CheckboxSelectMultiple)
    root_causes = forms.ModelMultipleChoiceField(RootCause.objects.none(), required=False,
                                                 label="Root causes it tackles", widget=forms.CheckboxSelectMultiple)
    owner = forms.CharField(max_length=120, label="Who is in charge of it")
    measure = forms.CharField(max_length=300, label="How we will know it worked")
    due = forms.DateField(label="By when", widget=DateInput)

    def __init__(self, workshop, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Cluster.objects.filter(board__workshop=workshop, board__is_main=True)
        self.fields["themes"].label_from_instance = lambda c: f"{c.label} ({c.board.get_kind_display()})"
        self.fields["root_causes"].queryset = RootCause.objects.filter(cluster__board__workshop=workshop)


class ShareForm(forms.Form):
    audience = forms.CharField(max_length=200, label="Who needs to know")
    what = forms.CharField(max_length=300, label="What they need to know")
    how = forms.CharField(max_length=200, label="How we will tell them", help_text="For example a meeting or a letter.")
    due = forms.DateField(label="By when", widget=DateInput)
    easy_read = forms.BooleanField(required=False, label="Make an easy-read version",
                                   help_text="For the people whose reviews were used.")
