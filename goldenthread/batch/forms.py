from django import forms

from goldenthread.batch.models import BatchRun


class StartForm(forms.Form):
    per = forms.ChoiceField(label="Find themes for", choices=BatchRun.Per.choices, required=False,
                            widget=forms.RadioSelect, initial="")


class RenameForm(forms.Form):
    name = forms.CharField(label="Theme name", max_length=200,
                           help_text='Short, in the first person, for example "I want to get out more".')
