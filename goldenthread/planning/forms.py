"""The form a team or group fills in for its organisation's strategic plan."""
from __future__ import annotations

import datetime as dt

from django import forms

from goldenthread.reviews.person_reviews import MAX_LINE
from goldenthread.planning.models import TeamPlan, TeamPlanItem


#: What each kind of group is asked, in order: (kind, label, asks "how").
TEAM_QUESTIONS = {
    TeamPlan.GroupType.TEAM: [
        (TeamPlanItem.Kind.PROUD, "Something the team is proud of", False),
        (TeamPlanItem.Kind.CHANGE, "Something the team wants to change", True),
        (TeamPlanItem.Kind.QUESTION, "A question the strategic plan should answer", False),
    ],
    TeamPlan.GroupType.FAMILY: [
        (TeamPlanItem.Kind.PLEASED, "Something the group is pleased about", False),
        (TeamPlanItem.Kind.WANT_CHANGED, "Something the group wants changed", False),
    ],
}
TEAM_QUESTIONS[TeamPlan.GroupType.SELF_ADVOCACY] = TEAM_QUESTIONS[TeamPlan.GroupType.FAMILY]


class TeamPlanForm(forms.Form):
    provider = forms.CharField(max_length=120, label="Organisation",
                               help_text='The provider whose strategic plan this is for, for example "Acorn Support".')
    team = forms.CharField(max_length=120, label="Team or group name", help_text='For example "Finance".')
    year = forms.IntegerField(min_value=2000, max_value=2100, label="Year",
                              error_messages={"invalid": "Enter a year as a number, for example 2026."})

    def __init__(self, *args, group_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_type = group_type
        self.fields["year"].initial = dt.date.today().year
        self.groups = []
        for kind, label, asks_how in TEAM_QUESTIONS[group_type]:
            names = []
            for n in range(1, 4):
                name = f"{kind}_{n}"
                self.fields[name] = forms.CharField(required=False, max_length=MAX_LINE, label=f"{label} ({n} of 3)",
                                                    widget=forms.Textarea(attrs={"rows": 2}))
                names.append(name)
                if asks_how:
                    self.fields[f"{name}_how"] = forms.CharField(
                        required=False, max_length=1000, label=f"How the team will make change {n}",
                        widget=forms.Textarea(attrs={"rows": 2}))
                    names.append(f"{name}_how")
            self.groups.append({"kind": kind, "label": label, "fields": names})

    def clean(self):
        data = super().clean()
        count = 0
        for kind, _, asks_how in TEAM_QUESTIONS[self.group_type]:
            for n in range(1, 4):
                text = (data.get(f"{kind}_{n}") or "").strip()
                count += bool(text)
                if asks_how and text and not (data.get(f"{kind}_{n}_how") or "").strip():
                    self.add_error(f"{kind}_{n}_how", "Write how the team will make this change.")
                if asks_how and not text and (data.get(f"{kind}_{n}_how") or "").strip():
                    self.add_error(f"{kind}_{n}", "Write the change, or clear how the team will make it.")
        if not count and not self.errors:
            first = TEAM_QUESTIONS[self.group_type][0][0]
            self.add_error(f"{first}_1", "Write at least one thing the team or group said.")
        return data

    def bound_groups(self) -> list[dict]:
        return [{"label": g["label"], "fields": [self[n] for n in g["fields"]]} for g in self.groups]

    def items(self) -> list[dict]:
        data = self.cleaned_data
        items = []
        for kind, _, asks_how in TEAM_QUESTIONS[self.group_type]:
            for n in range(1, 4):
                text = (data.get(f"{kind}_{n}") or "").strip()
                if text:
                    items.append({"kind": kind, "text": text,
                                  "how": (data.get(f"{kind}_{n}_how") or "").strip() if asks_how else ""})
        return items
