from django import forms

from goldenthread.batch.models import BatchRun


class StartForm(forms.Form):
    """How to theme: per kind (the usual), or per kind in each area or user group. Shown as GOV.UK radios."""

    per = forms.ChoiceField(label="Find themes for",
                            choices=[(value or "kind", label) for value, label in BatchRun.Per.choices],
                            widget=forms.RadioSelect, initial="kind",
                            error_messages={"required": "Choose how to find themes."})

    def clean_per(self) -> str:
        """The run's ``per``: "" for each kind of statement."""
        return "" if self.cleaned_data["per"] == "kind" else self.cleaned_data["per"]


class RenameForm(forms.Form):
    name = forms.CharField(label="Theme name", max_length=200,
                           help_text='Short, in the first person, for example "I want to get out more".')


class MoveForm(forms.Form):
    """Move one statement of a proposed theme to another theme of the same kind (the choices are only those)."""

    statement = forms.IntegerField(widget=forms.HiddenInput)
    to = forms.TypedChoiceField(label="Move to", coerce=int, empty_value=None)

    def __init__(self, *args, targets=(), statement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [("", "Choose a theme")] + [(t.pk, f"{t.name} ({t.size})") for t in targets]
        if statement is not None:
            self.initial["statement"] = statement


class WorkshopForm(forms.Form):
    """Which workshop's proposal board to start from a confirmed run's themes."""

    workshop = forms.ModelChoiceField(label="Workshop", queryset=None, empty_label=None,
                                      error_messages={"invalid_choice": "Choose one of this cycle's workshops."})

    def __init__(self, *args, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops
