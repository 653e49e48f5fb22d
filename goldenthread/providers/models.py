"""Individual Service Funds, matching staff and person-centred team tools: the data.

A :class:`SupportedPerson` is someone a provider supports, known here by a
pseudonymous reference and the name they want used; the accounts in
``people`` are the person and their family, who may read their own fund.

A :class:`Fund` is an Individual Service Fund: an allocation of standard hours
and/or money a week that the provider holds for that person (or, for a shared
tenancy, for the people who share it — ``shared_by``). Its **ledger**
(:class:`LedgerEntry`) is append-only: every allocation, delivery, purchase,
management charge, banked hour and conversion is a new row with who recorded
it and when, and a correction is a new row that points at the one it
corrects. A fund's balances are *always* the sum of its ledger; nothing else
stores them. Each fund's flexible-hours rules are data (:class:`FlexRule`),
not code.

All money is ``DecimalField`` to the penny and all hours ``DecimalField`` to the
hundredth of an hour; the rounding rules are in :mod:`goldenthread.providers.flex`.
"""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse

from goldenthread.core.models import Service

HOURS = {"max_digits": 9, "decimal_places": 2}
MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


def lines(text: str) -> list[str]:
    """The non-empty lines of a text box, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SupportedPersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People whose funds and plans this user may see: managers of their service, administrators, themselves."""
        from goldenthread.core import roles

        if not user.is_authenticated:
            return self.none()
        if roles.is_administrator(user):
            return self
        return self.filter(Q(service_id__in=roles.managed_service_ids(user)) | Q(people=user)).distinct()

    def managed_by(self, user):
        """People whose funds this user may change: managers of their service and administrators."""
        from goldenthread.core import roles

        if roles.is_administrator(user):
            return self
        return self.filter(service_id__in=roles.managed_service_ids(user))


class SupportedPerson(models.Model):
    """A person the provider supports: pseudonymous, with the accounts of the person and their family."""

    ref = models.CharField("Person reference", max_length=40, unique=True,
                           help_text="A pseudonymous reference, the same as on their reviews (for example P-0042).")
    name = models.CharField(max_length=120, help_text="The name the person wants used on their own statements.")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="supported_people")
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="supported_as",
                                    help_text="The person's own account and their family's: they see this person's "
                                              "fund, statements and plan.")

    objects = SupportedPersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("providers:person", args=[self.pk])


class FundQuerySet(models.QuerySet):
    def visible_to(self, user):
        from goldenthread.core import roles

        if not user.is_authenticated:
            return self.none()
        if roles.is_administrator(user):
            return self
        return self.filter(Q(service_id__in=roles.managed_service_ids(user)) | Q(person__people=user)
                           | Q(shared_by__people=user)).distinct()


def is_person_account(user) -> bool:
    """Whether this is a person's or family member's own account: linked to a supported person, no staff role.

    Such an account sees only the funds and plans of the person it is linked to
    (:func:`funds_visible_to`); it lands on their fund after signing in and is
    kept out of the rest of the site (``goldenthread.providers.middleware``).
    Any role, Django staff flag or superuser makes an account staff, never a
    person account, so staff are unaffected by being linked.
    """
    from goldenthread.core import roles

    if not user.is_authenticated or user.is_staff or user.is_superuser or roles.user_roles(user):
        return False
    return SupportedPerson.objects.filter(people=user).exists()


def funds_visible_to(user):
    """The funds this user may read: all (administrators), their services' (managers), their own (person, family)."""
    return Fund.objects.visible_to(user)


def landing_url_for(user) -> str:
    """Where a person account goes after signing in: the easy-read statement of their fund's latest month (the full
    statement and the fund are a link away), or the list of their funds if they have several."""
    funds = list(funds_visible_to(user)[:2])
    if len(funds) != 1:
        return reverse("providers:index")
    year, month = funds[0].latest_month()
    return reverse("providers:easy_statement", args=[funds[0].pk, year, month])


class Fund(models.Model):
    """An Individual Service Fund: a person's allocation, held by the provider and spent as the person decides.

    ``weekly_hours`` and ``weekly_money`` are the current allocation; every
    change to them is kept in :class:`AllocationChange`. The balances
    (:meth:`balances`) are always summed from the ledger.
    """

    name = models.CharField(max_length=160, help_text='For example "Sally\'s fund" or "Elm Road shared tenancy".')
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="funds")
    person = models.ForeignKey(SupportedPerson, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="funds", help_text="Empty for a shared allocation.")
    shared_by = models.ManyToManyField(SupportedPerson, blank=True, related_name="shared_funds")
    split_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="splits",
                                   help_text="The shared fund this one was re-divided from.")
    weekly_hours = models.DecimalField(**HOURS, default=ZERO, help_text="Standard hours a week.")
    weekly_money = models.DecimalField(**MONEY, default=ZERO, help_text="Money a week, in pounds.")
    hourly_rate = models.DecimalField(**MONEY, default=ZERO,
                                      help_text="What one standard hour of direct support costs, in pounds.")
    management_percent = models.DecimalField(
        "Management and service costs as a share of the whole fund", max_digits=5, decimal_places=2, null=True,
        blank=True, help_text="In per cent, for example 8. Leave empty if they are a fixed amount a week, or none.")
    management_weekly = models.DecimalField(
        "Management and service costs a week", **MONEY, null=True, blank=True,
        help_text="A fixed amount in pounds, instead of a share. Never taken from the person's own money.")
    starts_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    #: Bumped inside every spending transaction so that concurrent spends queue on this row (see services.locked).
    lock_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("providers:fund", args=[self.pk])

    @property
    def is_shared(self) -> bool:
        return self.person_id is None

    def balances(self, until=None) -> dict[str, Decimal]:
        """Hours, money and banked hours left: the sum of the ledger (up to and including ``until``)."""
        entries = self.entries.all()
        if until is not None:
            entries = entries.filter(occurred_on__lte=until)
        got = entries.aggregate(hours=Sum("hours"), money=Sum("money"), bank=Sum("bank_hours"))
        from goldenthread.providers.flex import hours, money

        return {"hours": hours(got["hours"] or ZERO), "money": money(got["money"] or ZERO),
                "bank": hours(got["bank"] or ZERO)}

    def management_balance(self, until=None) -> Decimal:
        """What is left of the provider's declared management and service costs: kept apart from the person's money."""
        entries = self.entries.all()
        if until is not None:
            entries = entries.filter(occurred_on__lte=until)
        from goldenthread.providers.flex import money

        return money(entries.aggregate(m=Sum("management"))["m"] or ZERO)

    @property
    def direct_weekly_value(self) -> Decimal:
        """What a week of the person's own allocation is worth: its standard hours at the hourly rate, and its money."""
        from goldenthread.providers.flex import money

        return money(self.weekly_hours * self.hourly_rate + self.weekly_money)

    def weekly_management(self) -> Decimal:
        """The declared management and service costs for one week: the fixed amount, or the share of the whole fund.

        A share of *the whole fund* (the person's allocation and the management together): 8% of the whole means the
        person's allocation is the other 92%, so the management is allocation × 8 / 92, to the penny.
        """
        from goldenthread.providers.flex import money

        if self.management_weekly is not None:
            return money(self.management_weekly)
        if self.management_percent:
            share = self.management_percent
            return money(self.direct_weekly_value * share / (Decimal("100") - share))
        return ZERO

    def describe_management(self) -> str:
        """The declared management and service costs in one plain sentence."""
        from goldenthread.providers.flex import fmt_money

        if self.management_weekly is not None:
            return (f"Management and service costs are a fixed {fmt_money(self.management_weekly)} a week, "
                    "kept apart from the person's own hours and money.")
        if self.management_percent:
            share = f"{self.management_percent.normalize():f}%"
            return (f"Management and service costs are {share} of the whole fund: "
                    f"{fmt_money(self.weekly_management())} a week beside the person's "
                    f"{fmt_money(self.direct_weekly_value)} a week, kept apart from their own hours and money.")
        return "No management and service costs have been declared for this fund."

    def latest_month(self) -> tuple[int, int]:
        """The latest month with a ledger line (not after today), or this month if there is none."""
        import datetime as dt

        today = dt.date.today()
        last = self.entries.filter(occurred_on__lte=today).order_by("-occurred_on").values_list(
            "occurred_on", flat=True).first() or today
        return last.year, last.month

    def rules(self):
        return self.flex_rules.filter(active=True)


class AllocationChange(models.Model):
    """A change to a fund's weekly allocation (append-only), so the history survives re-dividing."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="allocation_changes")
    effective_from = models.DateField()
    weekly_hours = models.DecimalField(**HOURS)
    weekly_money = models.DecimalField(**MONEY, default=ZERO)
    management_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    management_weekly = models.DecimalField(**MONEY, null=True, blank=True)
    reason = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_from", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Allocation history cannot be changed; record a new change instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Allocation history cannot be deleted.")


class RuleKind(models.TextChoices):
    TIME_BAND = "time_band", "Different rate at some times"
    BANKING = "banking", "Banking unused hours"
    CONVERSION = "conversion", "Turning unused hours into money"


class FlexRule(models.Model):
    """One flexible-hours rule of a fund, as data.

    * *Time band*: ``name`` (e.g. "after 11 pm") and ``multiplier`` (1.5 = time and a half).
    * *Banking*: ``limit_hours`` is the most the bank may hold (empty = no limit).
    * *Conversion*: ``rate`` is the money one unused standard hour becomes;
      ``limit_hours`` is the most that may be converted in a month (empty = no limit).
    """

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="flex_rules")
    kind = models.CharField(max_length=20, choices=RuleKind.choices)
    name = models.CharField(max_length=80, blank=True)
    multiplier = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    limit_hours = models.DecimalField(**HOURS, null=True, blank=True)
    rate = models.DecimalField(**MONEY, null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.describe()

    def clean(self):
        if self.kind == RuleKind.TIME_BAND and (self.multiplier is None or self.multiplier <= 0 or not self.name):
            raise ValidationError("A time band needs a name (such as 'after 11 pm') and a multiplier above 0.")
        if self.kind == RuleKind.CONVERSION and (self.rate is None or self.rate <= 0):
            raise ValidationError("Turning hours into money needs a rate above £0.")

    def describe(self) -> str:
        from goldenthread.providers.flex import fmt_hours, fmt_money, fmt_multiplier

        if self.kind == RuleKind.TIME_BAND:
            return f"Support {self.name} is paid at {fmt_multiplier(self.multiplier)}."
        if self.kind == RuleKind.BANKING:
            if self.limit_hours is not None:
                return (f"At the end of each week, unused hours go to the bank, which holds at most "
                        f"{fmt_hours(self.limit_hours)}; hours that do not fit lapse.")
            return "At the end of each week, unused hours go to the bank to use later."
        limit = f", up to {fmt_hours(self.limit_hours)} a month" if self.limit_hours is not None else ""
        return f"Unused hours can become money at {fmt_money(self.rate)} an hour{limit}."


class Approval(models.Model):
    """A recorded decision to let a fund or bank go below nothing, by a manager, with the reason.

    The line it lets through must be recorded by someone else: the manager who
    records an overspend cannot approve it (see ``services._check``).
    """

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="approvals")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=500)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("An approval cannot be changed once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("An approval cannot be deleted.")


class IssuedStatement(models.Model):
    """A monthly statement sent to the person: issuing it closes that month, and every month before, for new lines.

    A line that belongs to a closed month is recorded in an open month, as a
    correction or a new line saying which day it was for, so a statement
    already sent never changes (see ``services.check_date``).
    """

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="issued_statements")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month"]
        constraints = [models.UniqueConstraint(fields=["fund", "year", "month"], name="one_issue_per_fund_month")]

    def __str__(self) -> str:
        import calendar

        return f"{self.fund} statement for {calendar.month_name[self.month]} {self.year}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("An issued statement cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("An issued statement cannot be withdrawn: record a correction in an open month.")


class EntryKind(models.TextChoices):
    ALLOCATION = "allocation", "Allocation"
    DELIVERED = "delivered", "Support delivered"
    PURCHASE = "purchase", "Something bought"
    MANAGEMENT = "management", "Management and service costs"
    BANKED = "banked", "Hours saved in the bank"
    FROM_BANK = "from_bank", "Hours taken from the bank"
    CONVERTED = "converted", "Hours turned into money"
    LAPSED = "lapsed", "Unused hours that lapsed"
    TRANSFER = "transfer", "Re-divided allocation"
    CORRECTION = "correction", "Put right"


class Category(models.TextChoices):
    DIRECT = "direct", "Direct support"
    MANAGEMENT = "management", "Management and service costs"
    NONE = "none", "Not a cost"


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("Ledger entries cannot be changed; record a correction instead.")

    def delete(self):
        raise ValidationError("Ledger entries cannot be deleted; record a correction instead.")


class LedgerEntry(models.Model):
    """One line of a fund's ledger. Append-only: saving an existing row or deleting one is refused.

    ``hours``, ``money`` and ``bank_hours`` are signed changes (a delivery is
    negative hours; banking is negative hours and positive bank hours).
    ``management`` is the provider's declared management and service costs, a
    column of its own: each week's allocation adds the declared amount and a
    management charge takes it away, so management is never paid from the
    person's own hours or money.
    ``actual_hours`` is the support actually given when a time band changed its
    cost (4 late hours used 6 standard hours). ``explanation`` is the sentence
    the statement prints.
    """

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.NONE)
    occurred_on = models.DateField()
    description = models.CharField(max_length=300)
    with_whom = models.CharField(max_length=120, blank=True)
    hours = models.DecimalField(**HOURS, default=ZERO)
    money = models.DecimalField(**MONEY, default=ZERO)
    bank_hours = models.DecimalField(**HOURS, default=ZERO)
    management = models.DecimalField(**MONEY, default=ZERO,
                                     help_text="Management and service costs: kept apart from the person's money.")
    actual_hours = models.DecimalField(**HOURS, null=True, blank=True)
    band = models.CharField(max_length=80, blank=True)
    end_of_week = models.BooleanField(default=False, help_text="Made when a week ended: its unused hours went to "
                                                                "the bank or lapsed, as the fund's rules say.")
    explanation = models.CharField(max_length=500, blank=True)
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="corrected_by")
    approval = models.ForeignKey(Approval, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}: {self.description}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Ledger entries cannot be changed; record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Ledger entries cannot be deleted; record a correction instead.")

    @property
    def cost(self) -> Decimal:
        """What this line cost in money: the money spent, or standard hours used valued at the fund's rate."""
        from goldenthread.providers.flex import money

        if self.kind == EntryKind.DELIVERED or (self.kind == EntryKind.FROM_BANK and self.category == Category.DIRECT):
            used = -(self.hours + self.bank_hours)
            return money(used * self.fund.hourly_rate)
        if self.kind == EntryKind.PURCHASE:
            return -self.money
        if self.kind == EntryKind.MANAGEMENT:
            return -self.management
        return ZERO


class PlanLine(models.Model):
    """One line of a costed support plan: what, when, with whom, how many hours and at what rate."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="plan_lines")
    what = models.CharField(max_length=200, help_text='For example "Dancing at the Roxy".')
    when = models.CharField(max_length=120, help_text='For example "Friday nights, 9 pm to 1 am".')
    with_whom = models.CharField(max_length=120, blank=True, help_text="Who the person wants to support them.")
    hours_per_week = models.DecimalField(**HOURS, default=ZERO)
    rate = models.DecimalField(**MONEY, default=ZERO,
                               help_text="The standard rate in pounds an hour (or the cost, if not hours).")
    band = models.CharField(max_length=80, blank=True,
                            help_text="A time band of this fund: its multiplier is applied to the standard rate.")

    class Meta:
        ordering = ["pk"]

    @property
    def multiplier(self) -> Decimal:
        """The multiplier of this line's time band (1 for the standard rate, or a band the fund no longer has)."""
        if not self.band or not self.fund_id:
            return Decimal("1")
        rule = self.fund.flex_rules.filter(kind=RuleKind.TIME_BAND, name=self.band).order_by("-active").first()
        return rule.multiplier if rule else Decimal("1")

    @property
    def standard_hours(self) -> Decimal:
        """Standard hours of the allocation this line uses a week: 4 hours at time and a half use 6."""
        from goldenthread.providers.flex import hours

        return hours(self.hours_per_week * self.multiplier)

    @property
    def weekly_cost(self) -> Decimal:
        """Hours × the standard rate × the band's multiplier (4 × £21 × 1.5 = £126), or the cost if not hours."""
        from goldenthread.providers.flex import money

        return money(self.hours_per_week * self.rate * self.multiplier) if self.hours_per_week else money(self.rate)

    def explain(self) -> str:
        from goldenthread.providers.flex import fmt_hours, fmt_money

        if not self.hours_per_week:
            return f"{fmt_money(self.weekly_cost)} a week."
        if self.multiplier == 1:
            return f"{fmt_hours(self.hours_per_week)} × {fmt_money(self.rate)} = {fmt_money(self.weekly_cost)}."
        m = self.multiplier.normalize()
        standard = fmt_hours(self.standard_hours).replace("hour", "standard hour")
        return (f"{fmt_hours(self.hours_per_week)} {self.band} × {fmt_money(self.rate)} × {m:f} = "
                f"{fmt_money(self.weekly_cost)}; they use {standard}.")


class Redivision(models.Model):
    """A shared allocation re-divided: from what total, into which funds, by whom. The total is always kept."""

    source = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="redivisions")
    effective_from = models.DateField()
    total_hours = models.DecimalField(**HOURS)
    reason = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class RedivisionShare(models.Model):
    redivision = models.ForeignKey(Redivision, on_delete=models.PROTECT, related_name="shares")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    weekly_hours = models.DecimalField(**HOURS)


# --- matching staff ----------------------------------------------------------------------------------------------

class Wishes(models.Model):
    """What a person wants from the people who support them (one per person). One item a line."""

    person = models.OneToOneField(SupportedPerson, on_delete=models.CASCADE, related_name="wishes")
    must_have_skills = models.TextField(blank=True, help_text="Skills every supporter must have. One a line.")
    wanted_skills = models.TextField(blank=True, help_text="Skills that would be good. One a line.")
    wanted_characteristics = models.TextField(blank=True, help_text="For example: calm, chatty. One a line.")
    unwanted_characteristics = models.TextField(blank=True, help_text="Characteristics the person does not want.")
    interests = models.TextField(blank=True, help_text="Interests the person would like to share. One a line.")
    times_needed = models.TextField(blank=True, help_text='For example "after 11 pm", "weekends". One a line.')
    languages = models.TextField(blank=True, help_text="Languages every supporter must speak. One a line.")
    hours_needed = models.DecimalField(**HOURS, default=ZERO, help_text="Hours of support a week.")
    min_team = models.PositiveSmallIntegerField(default=1, help_text="The fewest people on the person's team.")

    def as_plain(self):
        from goldenthread.providers import matching

        return matching.Wishes.make(
            self.person.name, must_have_skills=lines(self.must_have_skills), wanted_skills=lines(self.wanted_skills),
            wanted_characteristics=lines(self.wanted_characteristics),
            unwanted_characteristics=lines(self.unwanted_characteristics), interests=lines(self.interests),
            times_needed=lines(self.times_needed), languages=lines(self.languages),
            hours_needed=float(self.hours_needed), min_team=self.min_team)


class StaffMember(models.Model):
    """A member of staff, described for matching: skills, characteristics, interests, times and hours available."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="matching_staff")
    name = models.CharField(max_length=120)
    skills = models.TextField(blank=True)
    characteristics = models.TextField(blank=True)
    interests = models.TextField(blank=True)
    times_available = models.TextField(blank=True)
    languages = models.TextField(blank=True, help_text="Languages this person speaks. One a line.")
    hours_available = models.DecimalField(**HOURS, default=ZERO)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def as_plain(self):
        from goldenthread.providers import matching

        return matching.Staff.make(self.name, skills=lines(self.skills), characteristics=lines(self.characteristics),
                                   interests=lines(self.interests), times_available=lines(self.times_available),
                                   languages=lines(self.languages), hours_available=float(self.hours_available))


def words_in_use(service) -> dict[str, list[str]]:
    """The skills, times and languages already written for a service's staff and people, for its pick-lists."""
    used: dict[str, list[str]] = {"SKILLS": [], "TIMES": [], "LANGUAGES": []}
    for s in StaffMember.objects.filter(service=service):
        used["SKILLS"] += lines(s.skills)
        used["TIMES"] += lines(s.times_available)
        used["LANGUAGES"] += lines(s.languages)
    for w in Wishes.objects.filter(person__service=service):
        used["SKILLS"] += lines(w.must_have_skills) + lines(w.wanted_skills)
        used["TIMES"] += lines(w.times_needed)
        used["LANGUAGES"] += lines(w.languages)
    return used


# --- person-centred team tools ----------------------------------------------------------------------------------

class FourPlusOne(models.Model):
    """The "4 plus 1 questions" asked about a person's plan: tried, learned, pleased, concerned — and what next."""

    person = models.ForeignKey(SupportedPerson, on_delete=models.CASCADE, related_name="four_plus_ones")
    held_on = models.DateField()
    tried = models.TextField("What have we tried?")
    learned = models.TextField("What have we learned?")
    pleased = models.TextField("What are we pleased about?")
    concerned = models.TextField("What are we concerned about?")
    next_steps = models.TextField("What will we do next?")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]


class LearningLog(models.Model):
    """A learning log entry: what the person did, what went well, what did not, and what to do differently."""

    person = models.ForeignKey(SupportedPerson, on_delete=models.CASCADE, related_name="learning_logs")
    happened_on = models.DateField()
    activity = models.CharField("What did the person do?", max_length=200)
    who_was_there = models.CharField("Who was there?", max_length=200, blank=True)
    went_well = models.TextField("What went well? What did the person enjoy?")
    did_not_go_well = models.TextField("What did not go well? What did they not enjoy?", blank=True)
    differently = models.TextField("What do we need to do differently next time?", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-happened_on", "-pk"]


class Doughnut(models.Model):
    """The "doughnut" of one role in a person's support: core responsibilities, judgement and creativity, not our job.

    It and the person's plan and wishes make the person-centred job specification.
    """

    person = models.ForeignKey(SupportedPerson, on_delete=models.CASCADE, related_name="doughnuts")
    role = models.CharField(max_length=120, help_text='For example "Personal assistant".')
    core = models.TextField("Core responsibilities", help_text="What staff must always do. One a line.")
    judgement = models.TextField("Where staff use judgement and creativity", help_text="One a line.")
    not_our_job = models.TextField("Not our job", blank=True,
                                   help_text="What staff should leave to others. One a line.")

    class Meta:
        ordering = ["role"]


# --- inviting family (their own account, made by them from an e-mail) ---------------------------------------------

class FamilyInvitationQuerySet(models.QuerySet):
    def open(self):
        """Invitations not yet used, not withdrawn and not past their expiry."""
        from django.utils import timezone

        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now())


class FamilyInvitation(models.Model):
    """An invitation e-mailed to a person or a family member to make their own account for one person's fund.

    Only a hash of the link's token is kept: the link in the e-mail is the only copy of the token. The link
    works once, until ``expires_at``. The account it makes is linked to ``person`` and to no one else, and has
    no role, so it reads that person's fund, statements and plan and nothing else.
    """

    person = models.ForeignKey(SupportedPerson, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", help_text="The account made when the invitation was accepted.")

    objects = FamilyInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-invited_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation #{self.pk}"
