"""Forms for the outcome framework and its measures."""
from __future__ import annotations

from django import forms


class OutcomeFileForm(forms.Form):
    file = forms.FileField(label="File", help_text="A CSV or Excel (.xlsx) file.")
    file_format = forms.ChoiceField(choices=[("", "Work it out from the file name"), ("csv", "CSV"), ("xlsx", "XLSX")],
                                    required=False, label="File format")
