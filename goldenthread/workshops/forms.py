"""Forms for setting up and joining a workshop, and for action and sharing plans."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q

from goldenthread.core.forms import DateParts, ManyFromList
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops.templatetags.workshop_words import cluster_title
from goldenthread.workshops.models import Action, Cluster, DelegateGroup, RootCause, Workshop


def required(message: str, **more) -> dict:
    """Django's default messages ("This field is required.") replaced by ones that say what to do."""
    return {"required": message, **more}


class WorkshopForm(forms.Form):
    cycle = forms.ModelChoiceField(ProgrammeCycle.objects.all(), label="Programme cycle",
                                   help_text="The cards come from this cycle's reviews.",
                                   error_messages=required("Choose the programme cycle the cards come from"))
    name = forms.CharField(max_length=200, label="Workshop name", help_text='For example "Ashdown workshop, May".',
                           error_messages=required("Enter a name for the workshop",
                                                   max_length="The workshop name must be 200 characters or fewer"))
    cards_used = forms.ChoiceField(choices=Workshop.Cards.choices, label="Which statements to use",
                                   widget=forms.RadioSelect, initial=Workshop.Cards.ALL,
                                   error_messages=required("Choose which statements to use"),
                                   help_text="With many reviews, use each person's top choices.")


class JoinForm(forms.Form):
    code = forms.CharField(max_length=8, label="Workshop code", help_text="6 letters and numbers, shown on the screen.",
                           error_messages=required("Enter the workshop code from the screen",
                                                   max_length="The workshop code is 6 letters and numbers"))
    name = forms.CharField(max_length=60, label="Your first name or a nickname",
                           help_text="Everyone in the room will see it.",
                           error_messages=required("Enter your first name or a nickname",
                                                   max_length="Your name must be 60 characters or fewer"))
    group = forms.ChoiceField(choices=DelegateGroup.choices, label="Which group are you in?", widget=forms.RadioSelect,
                              error_messages=required("Choose which group you are in"))

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper().replace(" ", "")
        self.cleaned_data["workshop"] = Workshop.objects.filter(code=code).first()
        if self.cleaned_data["workshop"] is None:
            raise forms.ValidationError("There is no workshop with that code. Check the code on the screen.")
        closed = self.cleaned_data["workshop"].joining_refusal()
        if closed:
            raise forms.ValidationError(closed)
        return code


class DateField(forms.MultiValueField):
    """A date typed as day, month and year, with messages in plain words naming what is missing or wrong.

    ``noun`` names the date in messages ("the due date"); ``allow_past=False`` refuses a date before today
    (a plan's "by when" in the past makes no sense), except the date the form started with, so an old action
    can still be edited.
    """

    widget = DateParts

    def __init__(self, *, noun: str, allow_past: bool = True, **kwargs):
        self.noun, self.allow_past = noun, allow_past
        fields = [forms.IntegerField(required=False) for _ in DateParts.PARTS]
        super().__init__(fields=fields, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter {noun}"
        self.initial_date = None

    def clean(self, value):
        value = list(value or []) + [""] * 3
        raw = [str(v or "").strip() for v in value[:3]]
        if not any(raw):
            if self.required:
                raise forms.ValidationError(f"Enter {self.noun}", code="required")
            return None
        missing = [label.lower() for (_, label, _), v in zip(DateParts.PARTS, raw) if not v]
        if missing:
            raise forms.ValidationError(f"{self.noun.capitalize()} must include a {' and a '.join(missing)}",
                                        code="incomplete")
        if not all(v.isdigit() for v in raw):
            raise forms.ValidationError(f"{self.noun.capitalize()} must be numbers, like 27 3 2027", code="invalid")
        day, month, year = (int(v) for v in raw)
        if year < 1000:
            raise forms.ValidationError(f"The year of {self.noun} must have 4 numbers, like 2027", code="invalid")
        try:
            date = dt.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"{self.noun.capitalize()} must be a real date", code="invalid") from None
        if not self.allow_past and date < dt.date.today() and date != self.initial_date:
            raise forms.ValidationError(f"{self.noun.capitalize()} must be today or in the future", code="past")
        return date

    def compress(self, data_list):  # clean() does the work; kept for MultiValueField's contract
        return data_list


class ActionForm(forms.Form):
    stakeholder = forms.ChoiceField(choices=Action.Stakeholder.choices, label="Who will do it",
                                    error_messages=required("Choose who will do it"))
    text = forms.CharField(max_length=300, label="What will be done", widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages=required("Enter what will be done",
                                                   max_length="What will be done must be 300 characters or fewer"))
    themes = ManyFromList(Cluster.objects.none(), label="Themes it is about",
                                            widget=forms.CheckboxSelectMultiple,
                                            error_messages=required("Choose at least one theme the action is about"))
    root_causes = ManyFromList(RootCause.objects.none(), required=False,
                                                 label="Root causes it tackles", widget=forms.CheckboxSelectMultiple)
    owner = forms.CharField(max_length=120, label="Who is in charge of it",
                            error_messages=required("Enter who is in charge of it",
                                                    max_length="Who is in charge must be 120 characters or fewer"))
    measure = forms.CharField(max_length=300, label="How we will know it worked",
                              error_messages=required("Enter how you will know it worked",
                                                      max_length="How you will know must be 300 characters or fewer"))
    due = DateField(label="By when", noun="the due date", allow_past=False, help_text="For example, 27 3 2027")

    def __init__(self, workshop, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Themes are named clusters: an action is about a theme, and unnamed clusters would be a long list of
        # "Not named yet" (name them on the board first).
        # (An action already linked to an unnamed cluster keeps it, so it can still be edited.)
        linked = [c.pk for c in self.initial.get("themes", [])]
        self.fields["themes"].queryset = (Cluster.objects.filter(board__workshop=workshop, board__is_main=True)
                                          .filter(Q(name__gt="") | Q(pk__in=linked)).select_related("board"))
        self.fields["themes"].label_from_instance = lambda c: f"{cluster_title(c)} ({c.board.get_kind_display()})"
        self.fields["due"].initial_date = self.initial.get("due")
        self.fields["root_causes"].queryset = RootCause.objects.filter(cluster__board__workshop=workshop)


class ShareForm(forms.Form):
    audience = forms.CharField(max_length=200, label="Who needs to know",
                               error_messages=required("Enter who needs to know"))
    what = forms.CharField(max_length=300, label="What they need to know",
                           error_messages=required("Enter what they need to know"))
    how = forms.CharField(max_length=200, label="How we will tell them", help_text="For example a meeting or a letter.",
                          error_messages=required("Enter how you will tell them"))
    due = DateField(label="By when", noun="the date to tell them by", allow_past=False,
                    help_text="For example, 27 3 2027")
    easy_read = forms.BooleanField(required=False, label="Make an easy-read version",
                                   help_text="For the people whose reviews were used.")


class AcceptAboveForm(forms.Form):
    """"Accept every proposed place at least this sure" on the place-the-rest proposal board."""

    above = forms.TypedChoiceField(label="Accept every proposed place that is at least", coerce=int,
                                   help_text="How sure the theme engine is that the room would put the card there.")

    def __init__(self, thresholds, above, *args, **kwargs):
        super().__init__(*args, initial={"above": above}, auto_id="accept-%s", **kwargs)
        self.fields["above"].choices = [(t, f"{t}% sure" + (" (more likely than not)" if t == 50 else ""))
                                        for t in thresholds]


class MoveToForm(forms.Form):
    """"Move to…" for one proposed place: put the card in another cluster (or a new one) instead."""

    cluster = forms.ChoiceField(label="Move to…")

    def __init__(self, choices, place, *args, **kwargs):
        super().__init__(*args, auto_id=f"move-{place.card_id}-%s", **kwargs)
        self.fields["cluster"].choices = choices
        self.fields["cluster"].label = f"Move card {place.card.statement.card_code} to…"
