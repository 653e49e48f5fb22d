"""Forms for the providers' pages. Checking that a change is allowed is done by the services, not here."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.validators import MaxLengthValidator

from goldenthread.core.forms import DateInput, ManyFromList, PlainErrors, plain_english_errors
from goldenthread.providers.models import (
    Approval,
    Doughnut,
    FlexRule,
    FourPlusOne,
    Fund,
    LearningLog,
    PlanLine,
    RuleKind,
    StaffMember,
    SupportedPerson,
    Wishes,
    lines,
)

DATE = DateInput()

#: The longest answer a text box takes (the 4 plus 1 questions, learning logs, doughnuts, wishes).
MAX_TEXT = 4000
#: Bounds that catch a slip of the keyboard (a misplaced decimal point, an extra nought).
MAX_WEEKLY_HOURS = Decimal("500")  # a shared tenancy's allocation can pass a week's 168 hours
MAX_WEEKLY_MONEY = Decimal("10000")
MAX_RATE = Decimal("500")
MAX_MULTIPLIER = Decimal("5")
MAX_BANK_HOURS = Decimal("2000")
MAX_MONTH_HOURS = Decimal("744")  # 31 days of 24 hours


def amount(label: str, *, low: Decimal = Decimal("0"), high: Decimal, places: int = 2, required: bool = True,
           above_low: bool = False, help_text: str = "", pounds: bool = False) -> forms.DecimalField:
    """A decimal field whose every error names the field in plain words (never floating point).

    ``above_low`` makes ``low`` itself not allowed (a rate of £0 buys nothing).
    """
    show = (lambda v: f"£{v:,}") if pounds else (lambda v: f"{v:,}")
    floor = (f"{label} must be more than {show(low)}" if above_low else f"{label} must be {show(low)} or more")
    field = forms.DecimalField(
        label=label, required=required, help_text=help_text, max_digits=12, decimal_places=places,
        min_value=low, max_value=high,
        error_messages={
            "required": f"Enter the {label[0].lower() + label[1:]}",
            "invalid": f"{label} must be a number, like 24 or 7.5",
            "min_value": floor,
            "max_value": f"{label} must be {show(high)} or less",
            "max_decimal_places": f"{label} can have at most {places} decimal places",
            "max_digits": f"{label} must be {show(high)} or less",
            "max_whole_digits": f"{label} must be {show(high)} or less",
        })
    if above_low:
        def more_than(value, low=low):
            if value is not None and value <= low:
                raise forms.ValidationError(floor)
        field.validators.append(more_than)
    return field


#: A fund cannot start before this day (a slip such as 1900 is refused) or more than a year from today.
EARLIEST_START = dt.date(2000, 1, 1)


def check_start_date(on, label: str = "Starts on"):
    """The start of a fund or tenancy: a real day from 2000 to a year from today, with the reason in words."""
    if on is None:
        return on
    if on < EARLIEST_START:
        raise forms.ValidationError(f"{label} must be on or after 1 January 2000: check the year")
    latest = dt.date.today() + dt.timedelta(days=366)
    if on > latest:
        raise forms.ValidationError(f"{label} must be no later than {latest.day} {latest:%B %Y}: a fund is set up "
                                    "at most a year ahead")
    return on


class BoundedText:
    """Every text box of a model form takes at most :data:`MAX_TEXT` characters, and says so by name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                if field.max_length is None:
                    field.max_length = MAX_TEXT
                    field.validators.append(MaxLengthValidator(MAX_TEXT))
                limit = field.max_length
                field.widget.attrs.setdefault("maxlength", str(limit))
                field.error_messages["max_length"] = f"{field.label} must be {limit:,} characters or fewer"
                if field.required:
                    field.error_messages["required"] = f"Enter {str(field.label).rstrip('?').lower()}" \
                        if not str(field.label).endswith("?") else f"Answer “{field.label}”"
        plain_english_errors(self)

KIND_CHOICES = [
    ("delivered", "Support delivered (hours)"),
    ("purchase", "Something the person chose to buy (money)"),
    ("management", "Management and service costs (money)"),
    ("banked", "Save unused hours in the bank"),
    ("from_bank", "Take hours out of the bank"),
    ("converted", "Turn unused hours into money"),
    ("allocation", "Add the week's allocation"),
]
NEEDS_HOURS = {"delivered", "banked", "from_bank", "converted"}
NEEDS_MONEY = {"purchase", "management"}


class EntryForm(PlainErrors, forms.Form):
    kind = forms.ChoiceField(label="What happened?", choices=KIND_CHOICES, widget=forms.RadioSelect)
    occurred_on = forms.DateField(label="Date", widget=DATE, initial=dt.date.today)
    hours = forms.DecimalField(label="Hours", required=False, min_value=Decimal("0.01"), max_value=MAX_MONTH_HOURS,
                               decimal_places=2, max_digits=7,
                               help_text="Hours of support actually given, or hours to move.", error_messages={
                                   "invalid": "Enter the hours as a number, like 4 or 2.5",
                                   "min_value": "Enter hours of at least 0.01",
                                   "max_value": f"Enter hours of {MAX_MONTH_HOURS} or fewer",
                                   "max_digits": f"Enter hours of {MAX_MONTH_HOURS} or fewer",
                                   "max_whole_digits": f"Enter hours of {MAX_MONTH_HOURS} or fewer",
                                   "max_decimal_places": "Enter hours with no more than 2 decimal places"})
    amount = forms.DecimalField(label="Amount in pounds", required=False, min_value=Decimal("0.01"),
                                max_value=MAX_WEEKLY_MONEY * 10, decimal_places=2, max_digits=10, error_messages={
                                    "invalid": "Enter the amount as a number of pounds, like 24 or 7.50",
                                    "min_value": "Enter an amount of at least £0.01",
                                    "max_value": f"Enter an amount of £{MAX_WEEKLY_MONEY * 10:,} or less",
                                    "max_digits": f"Enter an amount of £{MAX_WEEKLY_MONEY * 10:,} or less",
                                    "max_whole_digits": f"Enter an amount of £{MAX_WEEKLY_MONEY * 10:,} or less",
                                    "max_decimal_places": "Enter the amount in pounds and pence, like 7.50"})
    band = forms.ChoiceField(label="Time band", required=False,
                             help_text="Only if the support was at a time paid at a different rate.")
    from_bank = forms.BooleanField(label="Use banked hours for this support", required=False)
    description = forms.CharField(label="What was it?", max_length=300, required=False)
    with_whom = forms.CharField(label="Who gave the support?", max_length=120, required=False)
    approval = forms.ModelChoiceField(
        label="Approval to go below nothing", required=False, queryset=None, empty_label="No approval",
        help_text="Only if this takes the fund below nothing. Another manager or an administrator must have "
                  "recorded the approval first: you cannot approve your own overspend.")

    # Each message names its field already ("Enter an amount of at least £0.01"): the summary shows it as it is.
    summary_labels = {"kind": "", "occurred_on": "Date", "hours": "", "amount": "", "description": ""}

    def __init__(self, *args, fund=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bands = [r.name for r in fund.flex_rules.filter(active=True, kind=RuleKind.TIME_BAND)] if fund else []
        self.fields["band"].choices = [("", "Standard rate")] + [(b, b) for b in bands]
        _approvals(self.fields["approval"], fund, user)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in NEEDS_HOURS and not data.get("hours") and "hours" not in self.errors:
            self.add_error("hours", "Enter the hours.")
        if kind in NEEDS_MONEY:
            if not data.get("amount") and "amount" not in self.errors:
                self.add_error("amount", "Enter the amount in pounds.")
            if not data.get("description") and "description" not in self.errors:
                self.add_error("description", "Say what the money was spent on.")
        if kind == "allocation" and data.get("occurred_on") and data["occurred_on"].weekday() != 0:
            self.add_error("occurred_on", "An allocation is added for a week: enter the Monday it starts.")
        return data


def _approvals(field, fund, user) -> None:
    """Offer the fund's unused approvals given by someone else (the services refuse one's own approval too)."""
    from goldenthread.providers.services import unused_approvals

    field.queryset = unused_approvals(fund, for_user=user) if fund is not None else Approval.objects.none()
    field.label_from_instance = lambda a: f"{a.reason} (approved by {a.approved_by.get_username()}, " \
                                          f"{a.approved_at:%-d %B %Y})"


class CorrectionForm(PlainErrors, forms.Form):
    reason = forms.CharField(label="Why is this line wrong?", max_length=300)
    approval = forms.ModelChoiceField(
        label="Approval to go below nothing", required=False, queryset=None, empty_label="No approval",
        help_text="Only if cancelling this line takes a balance below nothing. Another manager or an "
                  "administrator must have recorded the approval.")

    def __init__(self, *args, fund=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _approvals(self.fields["approval"], fund, user)


class ApprovalForm(PlainErrors, forms.Form):
    """A manager's approval for someone else to take the fund below nothing once."""

    reason = forms.CharField(label="Why may this fund go below nothing?", max_length=500,
                             help_text="For example what the person agreed to and how much. Another manager or "
                                       "an administrator then records the line; you cannot use your own approval.")


class PlanLineForm(BoundedText, forms.ModelForm):
    """A line of the costed support plan. The time band, if any, must be one of the fund's own."""

    hours_per_week = amount("Hours a week", high=Decimal("168"), required=False,
                            help_text="Leave empty for something bought rather than hours of support.")
    rate = amount("Rate in pounds", high=Decimal("10000"), pounds=True,
                  help_text="The standard rate for an hour, or the cost each week if it is not hours of support. A "
                            "time band's multiplier is applied to it: 4 hours at £21 after 11 pm at time and a half "
                            "cost £126.")
    band = forms.ChoiceField(label="Time band", required=False,
                             help_text="Only if this support is at a time paid at a different rate.")

    class Meta:
        model = PlanLine
        fields = ["what", "when", "with_whom", "hours_per_week", "rate", "band"]
        labels = {"what": "What", "when": "When", "with_whom": "With whom"}

    def __init__(self, *args, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        bands = [(r.name, f"{r.name} ({r.multiplier.normalize():f} times the standard rate)")
                 for r in fund.flex_rules.filter(kind=RuleKind.TIME_BAND)] if fund else []
        if self.instance.band and self.instance.band not in [b for b, _ in bands]:
            bands.append((self.instance.band, self.instance.band))
        self.fields["band"].choices = [("", "Standard rate")] + bands
        if fund is not None and self.instance.pk is None and not self.is_bound:
            self.fields["rate"].initial = fund.hourly_rate

    def clean_hours_per_week(self):
        return self.cleaned_data.get("hours_per_week") or Decimal("0")


class RedivideForm(PlainErrors, forms.Form):
    """A share of the shared allocation for each person who is leaving it; the rest stay with the others."""

    effective_from = forms.DateField(label="From", widget=DATE)
    reason = forms.CharField(max_length=300, help_text="For example: Paul moves to his own home.")

    def __init__(self, *args, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(fund.shared_by.all()) if fund else []
        for p in self.people:
            self.fields[f"share_{p.pk}"] = forms.DecimalField(
                label=f"Hours a week for {p.name} in their own fund", required=False, min_value=Decimal("0"),
                decimal_places=2, max_digits=7, help_text="Leave empty if they stay in the shared allocation.")
        plain_english_errors(self)

    def shares(self) -> dict[SupportedPerson, Decimal]:
        return {p: self.cleaned_data[f"share_{p.pk}"] for p in self.people if self.cleaned_data.get(f"share_{p.pk}")}

    def clean(self):
        data = super().clean()
        if not any(data.get(f"share_{p.pk}") for p in self.people):
            raise forms.ValidationError("Enter hours for at least one person who is leaving the shared allocation.")
        return data


class FourPlusOneForm(BoundedText, forms.ModelForm):
    class Meta:
        model = FourPlusOne
        fields = ["held_on", "tried", "learned", "pleased", "concerned", "next_steps"]
        widgets = {"held_on": DATE}


class LearningLogForm(BoundedText, forms.ModelForm):
    class Meta:
        model = LearningLog
        fields = ["happened_on", "activity", "who_was_there", "went_well", "did_not_go_well", "differently"]
        widgets = {"happened_on": DATE}


class DoughnutForm(BoundedText, forms.ModelForm):
    class Meta:
        model = Doughnut
        fields = ["role", "core", "judgement", "not_our_job"]


class PickList(forms.MultipleChoiceField):
    """Tick boxes from a controlled list; a posted word is accepted however it is spelt ("after 11pm")."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        from goldenthread.providers.vocabulary import key

        by_key = {key(str(v)): v for v, _ in self.choices}
        return [by_key.get(key(str(v)), str(v)) for v in super().to_python(value)]


class PickLists:
    """Skills, times and languages are ticked from lists (:mod:`goldenthread.providers.vocabulary`), not typed.

    ``pick_lists`` maps each such model field to its list. Words already in use in the service stay on offer, so
    nothing saved before the lists existed is lost; they are stored one a line, tidied, as before.
    """

    pick_lists: dict[str, str] = {}

    def __init__(self, *args, in_use: dict[str, list[str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from goldenthread.providers import vocabulary

        for name, list_name in self.pick_lists.items():
            old = self.fields[name]
            current = lines(getattr(self.instance, name, "")) if self.instance and self.instance.pk else []
            self.fields[name] = PickList(
                label=old.label, help_text=old.help_text, required=False,
                choices=vocabulary.choices(getattr(vocabulary, list_name), (in_use or {}).get(list_name, []), current))
            self.initial[name] = vocabulary.tidy(current)

    def clean(self):
        from goldenthread.providers.vocabulary import tidy

        data = super().clean()
        for name in self.pick_lists:
            if isinstance(data.get(name), list):
                data[name] = "\n".join(tidy(data[name]))
        return data


class WishesForm(PickLists, BoundedText, forms.ModelForm):
    pick_lists = {"must_have_skills": "SKILLS", "wanted_skills": "SKILLS", "languages": "LANGUAGES",
                  "times_needed": "TIMES"}

    class Meta:
        model = Wishes
        fields = ["must_have_skills", "wanted_skills", "languages", "wanted_characteristics",
                  "unwanted_characteristics", "interests", "times_needed", "hours_needed", "min_team"]
        labels = {"must_have_skills": "Must-have skills", "wanted_skills": "Skills that would be good",
                  "languages": "Languages every supporter must speak",
                  "wanted_characteristics": "Characteristics wanted",
                  "unwanted_characteristics": "Characteristics not wanted", "interests": "Interests to share",
                  "times_needed": "Times support is needed", "hours_needed": "Hours of support a week",
                  "min_team": "Fewest people on the team"}
        help_texts = {"must_have_skills": "Tick every skill a supporter must have. A must-have is never broken.",
                      "wanted_skills": "Tick the skills that would be good to have.",
                      "languages": "A must-have: only supporters who speak every language ticked are matched.",
                      "times_needed": "Tick every time the person needs support."}
        widgets = {k: forms.Textarea(attrs={"rows": 3}) for k in fields[3:6]}


class StaffMemberForm(PickLists, BoundedText, forms.ModelForm):
    pick_lists = {"skills": "SKILLS", "languages": "LANGUAGES", "times_available": "TIMES"}

    class Meta:
        model = StaffMember
        fields = ["name", "skills", "languages", "characteristics", "interests", "times_available",
                  "hours_available"]
        labels = {"times_available": "Times available", "languages": "Languages spoken"}
        help_texts = {"skills": "Tick every skill this person has.", "characteristics": "One a line.",
                      "interests": "One a line.", "times_available": "Tick every time this person can work.",
                      "languages": "Tick every language this person speaks well enough to support someone in it.",
                      "hours_available": "Hours a week this person can work."}
        widgets = {k: forms.Textarea(attrs={"rows": 3}) for k in ("characteristics", "interests")}


# --- setting people and funds up (these were in the admin only) ----------------------------------------------------

class SupportedPersonForm(BoundedText, forms.ModelForm):
    """A person the provider supports. Only services the user manages are offered."""

    class Meta:
        model = SupportedPerson
        fields = ["name", "ref", "service"]
        labels = {"name": "Name", "ref": "Person reference", "service": "Service"}

    summary_labels = {"ref": "Person reference"}

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["service"].queryset = services
        self.fields["service"].empty_label = None if self.fields["service"].queryset.count() == 1 else "Choose"
        self.fields["service"].error_messages["invalid_choice"] = "Choose one of the services you manage"
        self.fields["service"].error_messages["required"] = "Choose the service that supports this person"

    def clean_ref(self):
        ref = self.cleaned_data["ref"].strip()
        clash = SupportedPerson.objects.filter(ref__iexact=ref).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Person reference is already used by someone else; references are unique")
        return ref


class FundForm(BoundedText, forms.ModelForm):
    """Opening a fund for one person: the allocation a week, the rate of an hour of support, the start date."""

    weekly_hours = amount("Standard hours a week", high=MAX_WEEKLY_HOURS, required=False,
                          help_text="Leave empty if the allocation is money only.")
    weekly_money = amount("Money a week in pounds", high=MAX_WEEKLY_MONEY, pounds=True, required=False,
                          help_text="Money the person may spend as they choose. Leave empty if none.")
    hourly_rate = amount("Rate for an hour of support", high=MAX_RATE, pounds=True, required=False,
                         help_text="What one standard hour of direct support costs, in pounds.")
    management_percent = amount("Management and service costs as a share of the whole fund", high=Decimal("99"),
                                required=False,
                                help_text="In per cent, for example 8. The person's allocation is the rest of the "
                                          "whole fund. Leave empty for a fixed amount a week, or none.")
    management_weekly = amount("Management and service costs a week", high=MAX_WEEKLY_MONEY, pounds=True,
                               required=False, help_text="A fixed amount in pounds, instead of a share. Never taken "
                                                         "from the person's own hours or money.")

    class Meta:
        model = Fund
        fields = ["name", "weekly_hours", "weekly_money", "hourly_rate", "management_percent", "management_weekly",
                  "starts_on"]
        labels = {"name": "Name of the fund", "starts_on": "Starts on"}
        widgets = {"starts_on": DATE}
        error_messages = {"starts_on": {"required": "Enter the date the fund starts",
                                        "invalid": "Starts on must be a real date, for example 1 11 2026"}}

    def clean_starts_on(self):
        return check_start_date(self.cleaned_data["starts_on"])

    def clean(self):
        data = super().clean()
        for key in ("weekly_hours", "weekly_money", "hourly_rate"):
            if key in data and data[key] is None:
                data[key] = Decimal("0.00")
        if not self.errors:
            if not data["weekly_hours"] and not data["weekly_money"]:
                self.add_error("weekly_hours", "Enter standard hours a week, money a week, or both")
            elif data["weekly_hours"] and not data["hourly_rate"]:
                self.add_error("hourly_rate", "Enter the rate for an hour of support: the fund has hours to spend")
            _one_management(self, data)
        return data


def _one_management(form, data) -> None:
    if data.get("management_percent") is not None and data.get("management_weekly") is not None:
        form.add_error("management_weekly", "Enter management and service costs as a share or as an amount a week, "
                                            "not both")


class AllocationForm(BoundedText, forms.Form):
    """A change to the weekly allocation from a date; the old allocation stays in the fund's history."""

    effective_from = forms.DateField(label="From", widget=DATE, error_messages={
        "required": "Enter the date the new allocation starts", "invalid": "From must be a real date"})
    weekly_hours = amount("Standard hours a week", high=MAX_WEEKLY_HOURS)
    weekly_money = amount("Money a week in pounds", high=MAX_WEEKLY_MONEY, pounds=True, required=False,
                          help_text="Leave empty to keep it as it is.")
    management_percent = amount("Management and service costs as a share of the whole fund", high=Decimal("99"),
                                required=False,
                                help_text="In per cent, for example 8. The person's allocation is the rest of the "
                                          "whole fund. Leave empty for a fixed amount a week, or none.")
    management_weekly = amount("Management and service costs a week", high=MAX_WEEKLY_MONEY, pounds=True,
                               required=False, help_text="A fixed amount in pounds, instead of a share. Never taken "
                                                         "from the person's own hours or money.")
    reason = forms.CharField(label="Why is it changing?", max_length=300)

    def clean(self):
        data = super().clean()
        _one_management(self, data)
        return data


class TimeBandForm(BoundedText, forms.ModelForm):
    """A time of day paid at a different rate, e.g. "after 11 pm" at 1.5 (time and a half)."""

    multiplier = amount("Multiplier", low=Decimal("0"), above_low=True, high=MAX_MULTIPLIER,
                        help_text="1.5 is time and a half; 2 is double time.")

    class Meta:
        model = FlexRule
        fields = ["name", "multiplier", "active"]
        labels = {"name": "When", "active": "In use"}
        help_texts = {"name": 'For example "after 11 pm" or "bank holidays". It appears on the statements.',
                      "active": "Untick to stop using this band; past statements keep it."}

    def __init__(self, *args, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fund = fund
        self.fields["name"].required = True
        self.fields["name"].error_messages["required"] = 'Enter when the band applies, like "after 11 pm"'

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = FlexRule.objects.filter(fund=self.fund, kind=RuleKind.TIME_BAND, name__iexact=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"When: this fund already has a band called “{name}”")
        return name


class BankingConversionForm(PlainErrors, forms.Form):
    """Whether unused hours may be banked (and up to how many) or turned into money (at what rate)."""

    banking = forms.BooleanField(label="Unused hours can be saved in a bank for later", required=False)
    bank_limit = amount("Most hours the bank may hold", low=Decimal("0"), above_low=True, high=MAX_BANK_HOURS,
                        required=False, help_text="Leave empty for no limit.")
    conversion = forms.BooleanField(label="Unused hours can be turned into money", required=False)
    conversion_rate = amount("Money for one unused hour", low=Decimal("0"), above_low=True, high=MAX_RATE,
                             pounds=True, required=False, help_text="In pounds.")
    conversion_limit = amount("Most hours turned into money in a month", low=Decimal("0"), above_low=True,
                              high=MAX_MONTH_HOURS, required=False, help_text="Leave empty for no limit.")

    def clean(self):
        data = super().clean()
        if data.get("conversion") and "conversion_rate" not in self.errors and not data.get("conversion_rate"):
            self.add_error("conversion_rate", "Enter the money for one unused hour, or untick turning hours into money")
        return data


class LinkAccountForm(PlainErrors, forms.Form):
    """Link the person's own account, or a family member's, by its username: they can then read this person's fund."""

    username = forms.CharField(label="Username of the account", max_length=150, error_messages={
        "required": "Enter the username of the person's or family member's account",
        "max_length": "Username of the account must be 150 characters or fewer"})

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_username(self):
        from django.contrib.auth import get_user_model

        from goldenthread.core import roles

        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"There is no active account with the username “{name}”")
        if user.is_staff or user.is_superuser or roles.user_roles(user):
            raise forms.ValidationError(f"“{name}” is a staff account; link only the person's or their family's "
                                        "own accounts")
        if self.person is not None and self.person.people.filter(pk=user.pk).exists():
            raise forms.ValidationError(f"“{name}” is already linked to {self.person.name}")
        return user


# --- shared tenancies and inviting family --------------------------------------------------------------------------

class SharedTenancyForm(BoundedText, forms.Form):
    """A shared tenancy: one allocation for two or more people of the same service."""

    name = forms.CharField(label="Name of the shared tenancy", max_length=160,
                           help_text='For example "Elm Road shared tenancy".',
                           error_messages={"required": "Enter the name of the shared tenancy"})
    people = ManyFromList(
        label="Who shares it", queryset=SupportedPerson.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text="Choose two or more people supported by this service.",
        error_messages={"required": "Choose the people who share the tenancy",
                        "invalid_choice": "Choose people supported by this service"})
    weekly_hours = amount("Standard hours a week", high=MAX_WEEKLY_HOURS,
                          help_text="The hours the people share, all together.")
    hourly_rate = amount("Rate for an hour of support", high=MAX_RATE, pounds=True, low=Decimal("0"),
                         above_low=True, help_text="What one standard hour of direct support costs, in pounds.")
    starts_on = forms.DateField(label="Starts on", widget=DATE, error_messages={
        "required": "Enter the date the shared tenancy starts",
        "invalid": "Starts on must be a real date, for example 1 11 2026"})

    summary_labels = {"people": "", "starts_on": ""}

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the name of the shared tenancy"
        if service is not None:
            self.fields["people"].queryset = SupportedPerson.objects.filter(service=service)

    def clean_people(self):
        people = self.cleaned_data["people"]
        if len(people) < 2:
            raise forms.ValidationError("Choose at least two people: a tenancy for one person is their own fund")
        return people

    def clean_starts_on(self):
        return check_start_date(self.cleaned_data["starts_on"], "Starts on")


class SharedPersonForm(PlainErrors, forms.Form):
    person = forms.ModelChoiceField(label="Add someone who shares it", queryset=SupportedPerson.objects.none(),
                                    empty_label="Choose a person", error_messages={
                                        "required": "Choose the person to add",
                                        "invalid_choice": "Choose a person supported by this service"})

    def __init__(self, *args, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fund is not None:
            self.fields["person"].queryset = SupportedPerson.objects.filter(service_id=fund.service_id).exclude(
                pk__in=fund.shared_by.values("pk"))


class InviteFamilyForm(PlainErrors, forms.Form):
    email = forms.EmailField(label="Their e-mail address", max_length=254, error_messages={
        "required": "Enter the e-mail address to send the invitation to",
        "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        "max_length": "The e-mail address must be 254 characters or fewer"},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}))

    summary_labels = {"email": ""}


class ChoosePasswordForm(PlainErrors, forms.Form):
    """The invited person chooses their own password (checked by the site's password rules)."""

    password1 = forms.CharField(label="Choose a password", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), error_messages={"required": "Enter a password"},
        help_text="At least 8 characters. A few unrelated words are easy to remember and hard to guess.")
    password2 = forms.CharField(label="Type the password again", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), error_messages={"required": "Type the password again"})

    summary_labels = {"password1": "", "password2": ""}

    def __init__(self, *args, email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The passwords do not match: type the same password twice")
        elif first:
            try:
                validate_password(first, get_user_model()(username=self.email, email=self.email))
            except forms.ValidationError as err:
                self.add_error("password1", err)
        return data
