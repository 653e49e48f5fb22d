"""Forms for tenders: setting one up, its success lines, criteria, bids and panel, and the panel's scores."""
from __future__ import annotations

from django import forms

from goldenthread.core.forms import ManyFromList
from goldenthread.tenders.models import SCORE_WORDS, Bid, Criterion, PanelMember, Tender
from goldenthread.tenders.services import theme_choices


class TenderForm(forms.ModelForm):
    class Meta:
        model = Tender
        fields = ["name", "service_type", "area", "user_group", "purpose"]
        error_messages = {"name": {"required": "Enter a name for the tender"},
                          "service_type": {"required": "Choose the kind of support"},
                          "area": {"required": "Choose the area"}}
        labels = {"service_type": "Kind of support"}


class ThemeField(ManyFromList):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.board.get_kind_display().lower()}, {obj.board.workshop.name})"


class ThemesForm(forms.Form):
    themes = ThemeField(queryset=theme_choices(), required=False, widget=forms.CheckboxSelectMultiple,
                        label="Themes this tender should answer")

    def __init__(self, *args, suggested=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["themes"]
        field.queryset = theme_choices()
        # The engine's suggestions first, in its order and marked; then every other theme.
        first = {c.pk: score for c, score in suggested}
        themes = [c for c, _ in suggested] + [c for c in field.queryset if c.pk not in first]
        field.choices = [(c.pk, field.label_from_instance(c)
                          + (f" (suggested: {round(first[c.pk] * 100)}% alike)" if c.pk in first else ""))
                         for c in themes]


class SuccessForm(forms.Form):
    text = forms.CharField(max_length=300, label="What success looks like",
                           help_text='In the words of someone who uses the service: "I get home safely at night."',
                           error_messages={"required": "Enter what success looks like"})


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["theme", "text", "weight"]
        labels = {"text": "The question, in plain words", "theme": "The theme it comes from"}
        widgets = {"weight": forms.NumberInput(attrs={"min": 1, "max": 5})}
        error_messages = {"text": {"required": "Enter the question the panel will answer"},
                          "theme": {"required": "Choose the theme it comes from"}}

    def __init__(self, *args, tender: Tender, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = tender.themes.all()
        self.fields["weight"].min_value, self.fields["weight"].max_value = 1, 5

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if not 1 <= weight <= 5:
            raise forms.ValidationError("Enter a weight from 1 to 5")
        return weight


class BidForm(forms.ModelForm):
    class Meta:
        model = Bid
        fields = ["bidder", "summary"]
        error_messages = {"bidder": {"required": "Enter who made the bid"},
                          "summary": {"required": "Enter what the bid offers"}}


class MemberForm(forms.ModelForm):
    class Meta:
        model = PanelMember
        fields = ["name", "role"]
        widgets = {"role": forms.RadioSelect}
        labels = {"role": "They are"}
        error_messages = {"name": {"required": "Enter what to call them"},
                          "role": {"required": "Choose who they are"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = PanelMember.Role.choices  # no empty radio


class DecideForm(forms.Form):
    bid = forms.ModelChoiceField(queryset=Bid.objects.none(), label="The bid chosen", widget=forms.RadioSelect,
                                 error_messages={"required": "Choose the bid"})
    why = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, label="Why, in plain words",
                          error_messages={"required": "Say why this bid was chosen"})

    def __init__(self, *args, tender: Tender, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].queryset = tender.bids.all()
        self.fields["bid"].label_from_instance = lambda b: f"{b.label} ({b.bidder})"


class ScoreForm(forms.Form):
    """One bid's scores: one question a criterion, answered 0 to 4 in words."""

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(v), words) for v, words in SCORE_WORDS.items()]
        for c in criteria:
            self.fields[f"c{c.pk}"] = forms.TypedChoiceField(
                choices=choices, coerce=int, widget=forms.RadioSelect, label=c.text,
                error_messages={"required": f"Choose an answer for: {c.text}"})
