"""Everything that changes a fund: one function per job, each in one transaction.

Every function here:

* locks the fund's row first (:func:`locked`), so two spends at the same time
  queue rather than both reading the same balance: an ``UPDATE`` of the fund's
  ``lock_version`` (which on SQLite takes the database's write lock at once, as
  ``BEGIN IMMEDIATE`` would, and on PostgreSQL locks the row) and then
  ``select_for_update``;
* works out the change with the fund's own rules (:mod:`goldenthread.providers.flex`);
* refuses anything that would take hours, money or the bank below nothing,
  unless a manager's :class:`~goldenthread.providers.models.Approval` is given
  (each approval can be used once, and never by the person who gave it: an
  overspend needs two people);
* refuses a line dated before the fund began, after it ended, more than
  :data:`FUTURE_DAYS` days ahead, or in a month whose statement has been
  issued (:func:`check_date`): a statement already sent never changes, so a
  late line is recorded in an open month, or as a correction dated there;
* appends ledger rows — it never changes or deletes one.

Errors are :class:`FundError`, whose message is a plain sentence for the page
and whose ``field`` names the form field it is about (or None).
"""
from __future__ import annotations

import calendar
import contextlib
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.db.models import F, Sum

from goldenthread.providers import flex
from goldenthread.providers.models import (
    ZERO,
    AllocationChange,
    Approval,
    FamilyInvitation,
    IssuedStatement,
    Category,
    EntryKind,
    FlexRule,
    Fund,
    LedgerEntry,
    Redivision,
    RedivisionShare,
    RuleKind,
    SupportedPerson,
)
from goldenthread.core import roles


class FundError(ValueError):
    """A change the fund's rules or balances do not allow; the message says why in plain words.

    ``field`` is the form field the error is about ("occurred_on", "approval"), or None for the whole form.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


#: A line may be dated at most this many days after today (an allocation for the coming weeks).
FUTURE_DAYS = 31


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def closed_until(fund: Fund) -> dt.date | None:
    """The last day of the latest month whose statement has been issued (that month and all before it are closed)."""
    last = IssuedStatement.objects.filter(fund=fund).order_by("-year", "-month").first()
    if last is None:
        return None
    return dt.date(last.year, last.month, calendar.monthrange(last.year, last.month)[1])


def check_date(fund: Fund, on, *, today: dt.date | None = None) -> None:
    """Refuse a ledger date outside the fund's life, far ahead, or in a month already closed by a statement."""
    if not isinstance(on, dt.date):
        raise FundError("Enter the date as a real date, for example 3 11 2026.", "occurred_on")
    today = today or dt.date.today()
    if on < fund.starts_on:
        raise FundError(f"The date must be on or after {_day(fund.starts_on)}, when this fund began.", "occurred_on")
    if fund.closed_on is not None and on > fund.closed_on:
        raise FundError(f"The date must be on or before {_day(fund.closed_on)}, when this fund ended.",
                        "occurred_on")
    if on > today + dt.timedelta(days=FUTURE_DAYS):
        raise FundError(f"The date must be no later than {_day(today + dt.timedelta(days=FUTURE_DAYS))} "
                        f"(at most {FUTURE_DAYS} days from today).", "occurred_on")
    closed = closed_until(fund)
    if closed is not None and on <= closed:
        reopen = closed + dt.timedelta(days=1)
        raise FundError(f"The statement for {closed:%B %Y} has been issued, so {closed:%B %Y} and the months before "
                        f"it are closed. Date this line {_day(reopen)} or later and say in the description which "
                        f"day it was for, or correct the line it puts right.", "occurred_on")


def issue_statement(fund: Fund, year: int, month: int, *, by, today: dt.date | None = None) -> IssuedStatement:
    """Record that a month's statement was sent to the person: the month (and every month before it) closes."""
    if by is None or not may_manage(by, fund):
        raise FundError("Only a provider manager of this service or an administrator can issue a statement.")
    today = today or dt.date.today()
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise FundError("There is no such month.")
    last_day = dt.date(year, month, calendar.monthrange(year, month)[1])
    if last_day >= today:
        raise FundError(f"{last_day:%B %Y} has not ended yet: issue its statement from "
                        f"{_day(last_day + dt.timedelta(days=1))}.")
    with locked(fund) as f:
        if IssuedStatement.objects.filter(fund=f, year=year, month=month).exists():
            raise FundError(f"The statement for {last_day:%B %Y} has already been issued.")
        return IssuedStatement.objects.create(fund=f, year=year, month=month, issued_by=by)


@contextlib.contextmanager
def locked(fund: Fund):
    """A transaction holding the fund's row lock; yields the freshly read fund."""
    with transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(lock_version=F("lock_version") + 1)
        yield Fund.objects.select_for_update().get(pk=fund.pk)


def may_manage(user, fund: Fund) -> bool:
    """Administrators and the provider managers of the fund's service may change it; the person and family read."""
    return roles.is_administrator(user) or fund.service_id in roles.managed_service_ids(user)


def approve(fund: Fund, by, reason: str) -> Approval:
    """Record a manager's approval to go below nothing once (the person's own account cannot approve).

    The approval is for someone else's line: the manager who records the line cannot use their own approval.
    """
    if by is None or not may_manage(by, fund):
        raise FundError("Only a provider manager of this service or an administrator can approve this.")
    if not reason.strip():
        raise FundError("Say why going below nothing is approved.")
    return Approval.objects.create(fund=fund, approved_by=by, reason=reason.strip())


def unused_approvals(fund: Fund, for_user=None):
    """Approvals for this fund that no line has used yet, less those given by ``for_user`` (who cannot use them)."""
    approvals = Approval.objects.filter(fund=fund, entries__isnull=True).select_related("approved_by")
    if for_user is not None:
        approvals = approvals.exclude(approved_by=for_user)
    return approvals.order_by("-approved_at", "-pk")


def _check(fund: Fund, *, hours=ZERO, money=ZERO, bank=ZERO, approval: Approval | None = None, by=None) -> None:
    """Refuse a change that takes any balance below nothing, unless it carries an unused approval for this fund
    given by someone other than ``by`` (the person recording the line)."""
    if approval is not None:
        if approval.fund_id != fund.pk:
            raise FundError("That approval is for another fund.", "approval")
        if approval.entries.exists():
            raise FundError("That approval has already been used; record a new one.", "approval")
        if by is not None and approval.approved_by_id == by.pk:
            raise FundError("You cannot approve your own overspend: another manager or an administrator must "
                            "approve it.", "approval")
        return
    now = fund.balances()
    after = {"hours": now["hours"] + hours, "money": now["money"] + money, "bank": now["bank"] + bank}
    if after["hours"] < 0:
        raise FundError(f"Not enough hours: {flex.fmt_hours(now['hours'])} left, this needs "
                        f"{flex.fmt_hours(-hours)}. Going below nothing needs a recorded approval.")
    if after["money"] < 0:
        raise FundError(f"Not enough money: {flex.fmt_money(now['money'])} left, this needs "
                        f"{flex.fmt_money(-money)}. Going below nothing needs a recorded approval.")
    try:
        flex.check_bank(after["bank"])
    except flex.RuleError as err:
        raise FundError(str(err)) from None


def _entry(fund: Fund, by, **fields) -> LedgerEntry:
    return LedgerEntry.objects.create(fund=fund, recorded_by=by, **fields)


def _rule(fund: Fund, kind: str, name: str | None = None) -> FlexRule | None:
    rules = fund.flex_rules.filter(active=True, kind=kind)
    if name is not None:
        rules = rules.filter(name=name)
    return rules.first()


def _positive(value, what: str) -> Decimal:
    """Hours (to the hundredth) or money (to the penny), which must be more than 0."""
    from decimal import InvalidOperation

    try:
        v = flex.hours(value) if what == "hours" else flex.money(value)
    except InvalidOperation:
        raise FundError(f"Enter {what} as a number.") from None
    if v <= 0:
        raise FundError(f"Enter {what} more than 0.")
    return v


def _end_of_week(f: Fund, week_starting: dt.date, by) -> list[LedgerEntry]:
    """The hours left unused when a new week begins go to the bank, up to its limit, or lapse (the fund's rules).

    Without this a fund whose banking is off, or whose bank is full, would carry every unused hour forward for
    ever, and the bank's limit would mean nothing. The lines are dated the Monday the new week starts, just before
    its allocation, and their sentences go onto the statement as they are.
    """
    left = f.balances()["hours"]
    if left <= ZERO:
        return []
    rule = _rule(f, RuleKind.BANKING)
    bank_now = f.balances()["bank"]
    to_bank = ZERO
    if rule is not None:
        room = left if rule.limit_hours is None else max(ZERO, flex.hours(rule.limit_hours) - bank_now)
        to_bank = min(left, room)
    lapse = left - to_bank
    week = f"the week before {_day(week_starting)}"
    out = []
    if to_bank:
        out.append(_entry(f, by, kind=EntryKind.BANKED, occurred_on=week_starting,
                          description=f"The week before {_day(week_starting)}", hours=-to_bank, bank_hours=to_bank,
                          end_of_week=True,
                          explanation=f"{flex.fmt_hours(to_bank)} not used in {week} went to the bank. "
                                      f"The bank now holds {flex.fmt_hours(bank_now + to_bank)}."))
    if lapse:
        if rule is None:
            why = "this fund's rules do not save unused hours"
        else:
            why = f"the bank holds at most {flex.fmt_hours(rule.limit_hours)}"
        out.append(_entry(f, by, kind=EntryKind.LAPSED, occurred_on=week_starting,
                          description=f"The week before {_day(week_starting)}", hours=-lapse, end_of_week=True,
                          explanation=f"{flex.fmt_hours(lapse)} not used in {week} lapsed: {why}."))
    return out


def credit_week(fund: Fund, week_starting: dt.date, by=None) -> LedgerEntry:
    """Add one week's allocation to the fund (once per week), after the last week's unused hours are banked or lapse.

    The week's declared management and service costs go into their own column, apart from the person's money.
    """
    with locked(fund) as f:
        check_date(f, week_starting)
        if f.entries.filter(kind=EntryKind.ALLOCATION, occurred_on=week_starting).exists():
            raise FundError(f"The allocation for the week starting {week_starting:%-d %B %Y} is already added.")
        if f.entries.filter(kind=EntryKind.ALLOCATION, occurred_on__gt=week_starting).exists():
            raise FundError(f"A later week's allocation is already added: add the week starting "
                            f"{week_starting:%-d %B %Y} before it, or record a correction.", "occurred_on")
        _end_of_week(f, week_starting, by)
        parts = []
        if f.weekly_hours:
            parts.append(flex.fmt_hours(f.weekly_hours).replace("hour", "standard hour"))
        if f.weekly_money:
            parts.append(flex.fmt_money(f.weekly_money))
        return _entry(f, by, kind=EntryKind.ALLOCATION, occurred_on=week_starting,
                      description=f"Allocation for the week starting {week_starting:%-d %B}",
                      hours=f.weekly_hours, money=f.weekly_money, management=f.weekly_management(),
                      explanation="Your allocation for the week: " + " and ".join(parts or ["nothing"]) + ".")


def record_delivery(fund: Fund, on: dt.date, actual_hours, *, by, description: str = "Support", with_whom: str = "",
                    band: str = "", from_bank: bool = False, approval: Approval | None = None) -> LedgerEntry:
    """Support given: ``actual_hours`` at the standard rate, or in a time band of this fund (which changes the cost)."""
    actual = _positive(actual_hours, "hours")
    multiplier = Decimal("1")
    if band:
        rule = _rule(fund, RuleKind.TIME_BAND, band)
        if rule is None:
            raise FundError(f"This fund has no time band called “{band}”.")
        multiplier = rule.multiplier
    conversion = flex.standard_cost(actual, multiplier, band)
    cost = conversion.amount_out
    with locked(fund) as f:
        check_date(f, on)
        if from_bank:
            _check(f, bank=-cost, approval=approval, by=by)
            change = {"bank_hours": -cost}
            explanation = conversion.explanation + " Taken from the bank."
        else:
            _check(f, hours=-cost, approval=approval, by=by)
            change = {"hours": -cost}
            explanation = conversion.explanation
        return _entry(f, by, kind=EntryKind.DELIVERED, category=Category.DIRECT, occurred_on=on,
                      description=description, with_whom=with_whom, actual_hours=actual, band=band,
                      explanation=explanation, approval=approval, **change)


def record_purchase(fund: Fund, on: dt.date, amount, *, by, description: str,
                    approval: Approval | None = None) -> LedgerEntry:
    """Something the person chose to buy with their fund's money (direct support)."""
    value = _positive(amount, "money")
    with locked(fund) as f:
        check_date(f, on)
        _check(f, money=-value, approval=approval, by=by)
        return _entry(f, by, kind=EntryKind.PURCHASE, category=Category.DIRECT, occurred_on=on,
                      description=description, money=-value, approval=approval,
                      explanation=f"{flex.fmt_money(value)} spent on {description}.")


def record_management(fund: Fund, on: dt.date, amount, *, by, description: str) -> LedgerEntry:
    """The provider's management and service costs for this person's support: taken from the declared management
    share (its own column), never from the person's hours or money, so it is never refused for want of them.

    Costs above the declared share are recorded too (the share then shows below nothing on the manager's pages and
    the full statement): that is the provider's overspend to explain, not the person's.
    """
    value = _positive(amount, "money")
    with locked(fund) as f:
        check_date(f, on)
        left = f.management_balance() - value
        if not f.weekly_management() and not f.entries.filter(management__gt=0).exists():
            over = " This fund has no declared share for them yet: declare one with its allocation."
        elif left < 0:
            over = f" That is {flex.fmt_money(-left)} more than the declared share so far."
        else:
            over = ""
        return _entry(f, by, kind=EntryKind.MANAGEMENT, category=Category.MANAGEMENT, occurred_on=on,
                      description=description, management=-value,
                      explanation=f"{flex.fmt_money(value)} for management and service costs: {description}. "
                                  f"Paid from the provider's declared share, not from the person's money.{over}")


def bank_hours(fund: Fund, on: dt.date, amount, *, by, description: str = "Saved for later") -> LedgerEntry:
    """Move unused standard hours into the fund's bank, within its banking rule's limit."""
    h = _positive(amount, "hours")
    with locked(fund) as f:
        check_date(f, on)
        rule = _rule(f, RuleKind.BANKING)
        if rule is None:
            raise FundError("This fund's rules do not allow banking hours.")
        _check(f, hours=-h)
        after = f.balances()["bank"] + h
        try:
            flex.check_bank(after, rule.limit_hours)
        except flex.RuleError as err:
            raise FundError(str(err)) from None
        return _entry(f, by, kind=EntryKind.BANKED, occurred_on=on, description=description, hours=-h, bank_hours=h,
                      explanation=f"{flex.fmt_hours(h)} saved in the bank. The bank now holds {flex.fmt_hours(after)}.")


def use_bank(fund: Fund, on: dt.date, amount, *, by, description: str = "Taken from the bank",
             approval: Approval | None = None) -> LedgerEntry:
    """Move banked hours back into the hours available this week."""
    h = _positive(amount, "hours")
    with locked(fund) as f:
        check_date(f, on)
        _check(f, bank=-h, approval=approval, by=by)
        after = f.balances()["bank"] - h
        return _entry(f, by, kind=EntryKind.FROM_BANK, occurred_on=on, description=description, hours=h,
                      bank_hours=-h, approval=approval,
                      explanation=f"{flex.fmt_hours(h)} taken from the bank to use now. "
                                  f"The bank now holds {flex.fmt_hours(after)}.")


def convert_hours(fund: Fund, on: dt.date, amount, *, by, description: str = "Unused hours turned into money") \
        -> LedgerEntry:
    """Turn unused standard hours into money at the fund's conversion rate, within its monthly limit."""
    h = _positive(amount, "hours")
    with locked(fund) as f:
        check_date(f, on)
        rule = _rule(f, RuleKind.CONVERSION)
        if rule is None:
            raise FundError("This fund's rules do not allow turning hours into money.")
        if rule.limit_hours is not None:
            month = f.entries.filter(kind=EntryKind.CONVERTED, occurred_on__year=on.year,
                                     occurred_on__month=on.month).aggregate(s=Sum("hours"))["s"] or ZERO
            if -month + h > rule.limit_hours:
                raise FundError(f"At most {flex.fmt_hours(rule.limit_hours)} a month can become money; "
                                f"{flex.fmt_hours(-month)} already have this month.")
        _check(f, hours=-h)
        conversion = flex.hours_to_money(h, rule.rate)
        return _entry(f, by, kind=EntryKind.CONVERTED, occurred_on=on, description=description, hours=-h,
                      money=conversion.amount_out, explanation=conversion.explanation)


def correct(entry: LedgerEntry, *, by, reason: str, on: dt.date | None = None,
            approval: Approval | None = None) -> LedgerEntry:
    """Cancel a ledger line with a new line that points at it (the original stays, marked as corrected).

    The new line's description is the reason alone: its kind already says "Put right".
    """
    if not reason.strip():
        raise FundError("Say why this line is being corrected.")
    if entry.kind == EntryKind.CORRECTION:
        raise FundError("A correction cannot itself be corrected; record the right line again instead.")
    with locked(entry.fund) as f:
        on = on or dt.date.today()
        check_date(f, on)
        if LedgerEntry.objects.filter(corrects=entry).exists():
            raise FundError("This line has already been corrected.")
        _check(f, hours=-entry.hours, money=-entry.money, bank=-entry.bank_hours, approval=approval, by=by)
        return _entry(f, by, kind=EntryKind.CORRECTION, category=entry.category, occurred_on=on,
                      description=reason.strip(), hours=-entry.hours, money=-entry.money,
                      bank_hours=-entry.bank_hours, management=-entry.management, corrects=entry, approval=approval,
                      explanation=f"Cancels the line of {entry.occurred_on:%-d %B} “{entry.description}”: "
                                  f"{reason.strip()}")


_KEEP = object()


def _management(percent, weekly) -> tuple[Decimal | None, Decimal | None]:
    """A declared management share: a percentage of the whole fund or a fixed amount a week, not both."""
    percent = None if percent in (None, "") else flex.money(percent)
    weekly = None if weekly in (None, "") else flex.money(weekly)
    if percent is not None and weekly is not None:
        raise FundError("Enter management and service costs as a share or as an amount a week, not both.",
                        "management_weekly")
    if percent is not None and not ZERO <= percent < 100:
        raise FundError("The management share must be 0% or more and less than 100%.", "management_percent")
    if weekly is not None and weekly < 0:
        raise FundError("Management and service costs a week must be £0 or more.", "management_weekly")
    return percent, weekly


def change_allocation(fund: Fund, on: dt.date, weekly_hours, weekly_money=None, *, by, reason: str,
                      management_percent=_KEEP, management_weekly=_KEEP) -> AllocationChange:
    """Change a fund's weekly allocation (and, if given, its declared management share) from a date; the change is
    kept in the fund's history."""
    with locked(fund) as f:
        f.weekly_hours = flex.hours(weekly_hours)
        if weekly_money is not None:
            f.weekly_money = flex.money(weekly_money)
        if management_percent is not _KEEP or management_weekly is not _KEEP:
            f.management_percent, f.management_weekly = _management(
                None if management_percent is _KEEP else management_percent,
                None if management_weekly is _KEEP else management_weekly)
        f.save(update_fields=["weekly_hours", "weekly_money", "management_percent", "management_weekly"])
        return AllocationChange.objects.create(fund=f, effective_from=on, weekly_hours=f.weekly_hours,
                                               weekly_money=f.weekly_money, management_percent=f.management_percent,
                                               management_weekly=f.management_weekly, reason=reason, recorded_by=by)


# --- the costed support plan ----------------------------------------------------------------------------------------

def plan_totals(fund: Fund, lines=None) -> dict:
    """The costed plan against the allocation: standard hours and money a week, what is left, and any warning.

    Each line is costed with its time band (4 hours after 11 pm at £21 and time and a half: £126, 6 standard hours).
    """
    lines = list(fund.plan_lines.all()) if lines is None else lines
    hours_used = sum((line.standard_hours for line in lines), ZERO)
    cost = sum((line.weekly_cost for line in lines), ZERO)
    value = fund.direct_weekly_value
    warnings = []
    if hours_used > fund.weekly_hours:
        warnings.append(f"The plan uses {flex.fmt_hours(hours_used).replace('hour', 'standard hour')} a week, "
                        f"{flex.fmt_hours(hours_used - fund.weekly_hours)} more than the "
                        f"{flex.fmt_hours(fund.weekly_hours)} of the allocation.")
    if cost > value:
        warnings.append(f"The plan costs {flex.fmt_money(cost)} a week, {flex.fmt_money(cost - value)} more than "
                        f"the allocation's {flex.fmt_money(value)}.")
    return {"hours": hours_used, "cost": cost, "allocation_hours": fund.weekly_hours, "allocation_value": value,
            "hours_left": fund.weekly_hours - hours_used, "money_left": value - cost, "warnings": warnings}


def check_plan_line(fund: Fund, line) -> None:
    """Refuse a plan line that would take the plan past the fund's weekly allocation, naming the field to change."""
    others = [p for p in fund.plan_lines.all() if p.pk != line.pk]
    before = plan_totals(fund, others)
    after = plan_totals(fund, others + [line])
    if line.hours_per_week and after["hours"] > fund.weekly_hours:
        raise FundError(
            f"Hours a week: this line uses {flex.fmt_hours(line.standard_hours).replace('hour', 'standard hour')} a "
            f"week, but only {flex.fmt_hours(max(before['hours_left'], ZERO))} of the fund's "
            f"{flex.fmt_hours(fund.weekly_hours)} a week are not planned yet.", "hours_per_week")
    if after["cost"] > after["allocation_value"]:
        field = "hours_per_week" if line.hours_per_week else "rate"
        label = "Hours a week" if line.hours_per_week else "Rate in pounds"
        raise FundError(f"{label}: this line costs {flex.fmt_money(line.weekly_cost)} a week, but only "
                        f"{flex.fmt_money(max(before['money_left'], ZERO))} of the allocation's "
                        f"{flex.fmt_money(after['allocation_value'])} a week is not planned yet.", field)


def redivide(shared: Fund, on: dt.date, leaving: dict[SupportedPerson, Decimal], *, by, reason: str,
             rate=None) -> Redivision:
    """Re-divide a shared allocation: each person in ``leaving`` gets their own fund with their share.

    The shared fund keeps its ledger and the rest of the hours for the people
    who stay; the shares and what stays must add up to the total exactly (a
    ``FundError`` otherwise). Nothing is moved between ledgers: what has been
    spent stays where it was spent, and each new fund starts its own history.
    """
    with locked(shared) as f:
        if not f.is_shared:
            raise FundError("Only a shared allocation can be re-divided.")
        total = f.weekly_hours
        staying_hours = total - sum((flex.hours(v) for v in leaving.values()), ZERO)
        stay_label = "the people who stay"
        try:
            parts = flex.redivide(total, {**{p.name: v for p, v in leaving.items()}, stay_label: staying_hours})
        except flex.RuleError as err:
            raise FundError(str(err)) from None
        if staying_hours < 0:
            raise FundError(f"The shares are more than the {flex.fmt_hours(total)} being shared.")
        for person in leaving:
            if not f.shared_by.filter(pk=person.pk).exists():
                raise FundError(f"{person.name} does not share this allocation.")
        redivision = Redivision.objects.create(source=f, effective_from=on, total_hours=total, reason=reason,
                                               recorded_by=by)
        for person, share in leaving.items():
            new = Fund.objects.create(name=f"{person.name}'s fund", service=f.service, person=person, split_from=f,
                                      weekly_hours=parts[person.name], hourly_rate=rate or f.hourly_rate, starts_on=on)
            AllocationChange.objects.create(fund=new, effective_from=on, weekly_hours=new.weekly_hours,
                                            reason=f"{flex.fmt_hours(new.weekly_hours)} a week from "
                                                   f"{f.name}: {reason}", recorded_by=by)
            RedivisionShare.objects.create(redivision=redivision, fund=new, weekly_hours=new.weekly_hours)
            f.shared_by.remove(person)
        f.weekly_hours = parts[stay_label]
        f.save(update_fields=["weekly_hours"])
        AllocationChange.objects.create(fund=f, effective_from=on, weekly_hours=f.weekly_hours,
                                        weekly_money=f.weekly_money,
                                        reason=f"{flex.fmt_hours(total)} re-divided: {flex.fmt_hours(f.weekly_hours)} "
                                               f"stay with {stay_label}. {reason}", recorded_by=by)
        RedivisionShare.objects.create(redivision=redivision, fund=f, weekly_hours=f.weekly_hours)
        return redivision


# --- setting funds up (pages for managers; each change is logged by django-auditlog) ------------------------------

def open_fund(person: SupportedPerson, *, name: str, weekly_hours, weekly_money, hourly_rate, starts_on: dt.date,
              by, management_percent=None, management_weekly=None) -> Fund:
    """Open a fund for one person in their service. Its ledger starts empty: add each week's allocation to it.

    Its management and service costs are declared as a share of the whole fund or a fixed amount a week (or none),
    and kept apart from the person's own hours and money.
    """
    if by is None or not (roles.is_administrator(by) or person.service_id in roles.managed_service_ids(by)):
        raise FundError("Only a provider manager of this person's service or an administrator can open a fund.")
    percent, weekly = _management(management_percent, management_weekly)
    return Fund.objects.create(name=name.strip(), service_id=person.service_id, person=person,
                               weekly_hours=flex.hours(weekly_hours), weekly_money=flex.money(weekly_money),
                               hourly_rate=flex.money(hourly_rate), starts_on=starts_on,
                               management_percent=percent, management_weekly=weekly)


def save_time_band(fund: Fund, band: FlexRule, *, by) -> FlexRule:
    """Add or change a time band of this fund (e.g. "after 11 pm" at 1.5) while no spend is being worked out."""
    if not may_manage(by, fund):
        raise FundError("Only a provider manager of this service or an administrator can change its rules.")
    with locked(fund) as f:
        band.fund, band.kind = f, RuleKind.TIME_BAND
        band.full_clean()
        band.save()
        return band


def flex_settings(fund: Fund) -> dict:
    """The fund's banking and conversion rules as the page's form shows them."""
    bank, convert = _rule(fund, RuleKind.BANKING), _rule(fund, RuleKind.CONVERSION)
    return {"banking": bank is not None, "bank_limit": bank.limit_hours if bank else None,
            "conversion": convert is not None, "conversion_rate": convert.rate if convert else None,
            "conversion_limit": convert.limit_hours if convert else None}


def set_banking_and_conversion(fund: Fund, *, banking: bool, bank_limit, conversion: bool, conversion_rate,
                               conversion_limit, by) -> list[FlexRule]:
    """Turn banking and converting hours to money on or off, with their limits and rate.

    A rule that is switched off is kept (``active=False``), not deleted, so the
    history of what the rules were stays in the audit log and the database.
    Banking switched off with hours still in the bank is refused: use them or
    record a correction first.
    """
    if not may_manage(by, fund):
        raise FundError("Only a provider manager of this service or an administrator can change its rules.")
    changed = []
    with locked(fund) as f:
        wanted = {RuleKind.BANKING: (banking, {"limit_hours": bank_limit}),
                  RuleKind.CONVERSION: (conversion, {"rate": conversion_rate, "limit_hours": conversion_limit})}
        if not banking and _rule(f, RuleKind.BANKING) is not None and f.balances()["bank"] > ZERO:
            raise FundError(f"The bank still holds {flex.fmt_hours(f.balances()['bank'])}: use them before "
                            "switching banking off.")
        for kind, (on, values) in wanted.items():
            rule = _rule(f, kind) or f.flex_rules.filter(kind=kind).order_by("-pk").first()
            if on:
                rule = rule or FlexRule(fund=f, kind=kind)
                if rule.pk is None or not rule.active or any(getattr(rule, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(rule, k, v)
                    rule.active = True
                    rule.full_clean()
                    rule.save()
                    changed.append(rule)
            elif rule is not None and rule.active:
                rule.active = False
                rule.save(update_fields=["active"])
                changed.append(rule)
    return changed


def link_account(person: SupportedPerson, user, *, by) -> None:
    """Let a person's or family member's account read this person's fund, statements and plan (and change nothing)."""
    if not (roles.is_administrator(by) or person.service_id in roles.managed_service_ids(by)):
        raise FundError("Only a provider manager of this person's service or an administrator can link accounts.")
    if user.is_staff or user.is_superuser or roles.user_roles(user):
        raise FundError("Staff accounts are not linked to a person; their role decides what they see.")
    person.people.add(user)


def unlink_account(person: SupportedPerson, user, *, by) -> None:
    """Stop an account reading this person's fund. An account left with no link and no role is switched off:
    it could sign in to nothing, and an unused account that still signs in is a risk."""
    if not (roles.is_administrator(by) or person.service_id in roles.managed_service_ids(by)):
        raise FundError("Only a provider manager of this person's service or an administrator can unlink accounts.")
    person.people.remove(user)
    if not user.supported_as.exists() and not roles.user_roles(user) and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])


# --- shared tenancies (pages for managers; every change is in the audit log) ---------------------------------------

def _may_manage_service(user, service_id) -> bool:
    return user is not None and user.is_authenticated and (
        roles.is_administrator(user) or service_id in roles.managed_service_ids(user))


def open_shared_fund(service, people, *, name: str, weekly_hours, weekly_money, hourly_rate, starts_on: dt.date,
                     by) -> Fund:
    """Set up a shared tenancy: one allocation held for two or more people of the same service.

    The people who share it read it as their own; the allocation can later be re-divided (:func:`redivide`).
    """
    if not _may_manage_service(by, service.pk):
        raise FundError("Only a provider manager of this service or an administrator can set up a shared tenancy.")
    people = list(people)
    if len(people) < 2:
        raise FundError("Choose at least two people who share the tenancy.", "people")
    if any(p.service_id != service.pk for p in people):
        raise FundError("Everyone sharing the tenancy must be supported by this service.", "people")
    with transaction.atomic():
        fund = Fund.objects.create(name=name.strip(), service=service, person=None,
                                   weekly_hours=flex.hours(weekly_hours or ZERO),
                                   weekly_money=flex.money(weekly_money or ZERO),
                                   hourly_rate=flex.money(hourly_rate or ZERO), starts_on=starts_on)
        fund.shared_by.add(*people)
    return fund


def add_to_shared(fund: Fund, person: SupportedPerson, *, by) -> None:
    """Add someone to a shared tenancy: they can read its fund from now on."""
    if not may_manage(by, fund):
        raise FundError("Only a provider manager of this service or an administrator can change who shares it.")
    if not fund.is_shared:
        raise FundError("Only a shared tenancy has people to add.")
    if person.service_id != fund.service_id:
        raise FundError(f"{person.name} is not supported by this service.", "person")
    if fund.shared_by.filter(pk=person.pk).exists():
        raise FundError(f"{person.name} already shares this tenancy.", "person")
    fund.shared_by.add(person)


def remove_from_shared(fund: Fund, person: SupportedPerson, *, by) -> None:
    """Take someone out of a shared tenancy. Its hours stay with the people who remain (to give the person their
    own share, re-divide instead). The last person cannot be removed: the fund would belong to no one."""
    if not may_manage(by, fund):
        raise FundError("Only a provider manager of this service or an administrator can change who shares it.")
    if not fund.is_shared or not fund.shared_by.filter(pk=person.pk).exists():
        raise FundError(f"{person.name} does not share this tenancy.")
    if fund.shared_by.count() <= 1:
        raise FundError(f"{person.name} is the only person left in this tenancy: add someone else first, or "
                        "re-divide it.")
    fund.shared_by.remove(person)


# --- inviting family by e-mail ------------------------------------------------------------------------------------

def invitation_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "GOLDENTHREAD_INVITATION_DAYS", 7))


def _token_hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


def invite_family(person: SupportedPerson, email: str, *, by, link_for) -> FamilyInvitation:
    """E-mail an invitation to make an account that reads this person's fund, statements and plan.

    ``link_for(token)`` gives the full address of the page that accepts the invitation. The token is in the
    e-mail only; the database keeps its hash. The link works once, for :func:`invitation_days` days.
    """
    import secrets

    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail
    from django.utils import timezone

    if not _may_manage_service(by, person.service_id):
        raise FundError("Only a provider manager of this person's service or an administrator can invite family.")
    email = email.strip().lower()
    if get_user_model().objects.filter(username__iexact=email).exists() or \
            get_user_model().objects.filter(email__iexact=email).exists():
        raise FundError("There is already an account with this e-mail address. Link it by its username below "
                        "instead.", "email")
    token = secrets.token_urlsafe(32)
    days = invitation_days()
    with transaction.atomic():
        person.invitations.open().filter(email__iexact=email).update(withdrawn_at=timezone.now())
        invitation = FamilyInvitation.objects.create(
            person=person, email=email, token_hash=_token_hash(token), invited_by=by,
            expires_at=timezone.now() + dt.timedelta(days=days))
    expires = timezone.localtime(invitation.expires_at)
    send_mail(
        "Your invitation to see a support fund",
        f"Hello,\n\n{person.service.name} invites you to make an account to see {person.name}'s support fund, "
        f"statements and plan in Golden Thread.\n\nOpen this link to choose your password:\n{link_for(token)}\n\n"
        f"The link works once, until {expires:%-d %B %Y at %H:%M}. If you were not expecting this e-mail, you can "
        f"ignore it: no account is made unless you open the link.\n",
        None, [email])
    return invitation


def withdraw_invitation(invitation: FamilyInvitation, *, by) -> None:
    from django.utils import timezone

    if not _may_manage_service(by, invitation.person.service_id):
        raise FundError("Only a provider manager of this person's service or an administrator can withdraw it.")
    if invitation.accepted_at is None and invitation.withdrawn_at is None:
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])


def invitation_for(token: str) -> FamilyInvitation | None:
    """The open invitation this link's token belongs to, or None (unknown, used, withdrawn or expired)."""
    if not token or len(token) > 100:
        return None
    return FamilyInvitation.objects.open().select_related("person").filter(token_hash=_token_hash(token)).first()


def accept_invitation(token: str, password: str):
    """Make the invited account with the password its owner chose, linked to the one person it was for.

    The username is the e-mail address the invitation went to. The account has no role and no staff flag, so
    it is a person account (:func:`goldenthread.providers.models.is_person_account`).
    """
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    with transaction.atomic():
        invitation = invitation_for(token)
        if invitation is None:
            raise FundError("This invitation link has expired or has already been used. Ask the person who "
                            "invited you to send a new one.")
        invitation = FamilyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise FundError("This invitation link has already been used.")
        users = get_user_model()
        if users.objects.filter(username__iexact=invitation.email).exists():
            raise FundError("There is already an account with this e-mail address. Sign in with it instead.")
        user = users.objects.create_user(username=invitation.email, email=invitation.email, password=password)
        invitation.person.people.add(user)
        invitation.accepted_at, invitation.account = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "account"])
    return user
def matching_for(person) -> dict:
    """Everything the matching page shows for one person: their wishes, the staff ranked with reasons, and, when no
    one fits, which must-haves nobody on the staff has and where to write a job specification to recruit."""
    from goldenthread.providers import matching
    from goldenthread.providers.models import StaffMember, Wishes

    wishes = Wishes.objects.filter(person=person).first()
    staff = [s.as_plain() for s in StaffMember.objects.filter(service=person.service)]
    plain = wishes.as_plain() if wishes else None
    ranking = matching.rank_staff(plain, staff) if plain else []
    no_one_fits = bool(plain) and not any(m.eligible for m in ranking)
    doughnut = person.doughnuts.first()
    return {
        "person": person, "wishes": plain, "hours_needed": wishes.hours_needed if wishes else None,
        "ranking": ranking, "no_one_fits": no_one_fits,
        "nobody_has": matching.nobody_meets(plain, staff) if no_one_fits else [],
        "recruit_url": (reverse("providers:job_spec", args=[person.pk, doughnut.pk]) if doughnut
                        else reverse("providers:doughnut_new", args=[person.pk])),
        "has_doughnut": doughnut is not None,
    }


def supporting_profile(person):
    """The person's one-page profile when they agreed that the service that supports them may see it, or None.

    It feeds the support plan (the person and fund pages) and the job specification ("how best to support me").
    """
    from django.db.models import Q

    from goldenthread.reviews.models import OnePageProfile

    return (OnePageProfile.objects.filter(person_ref=person.ref, shared_with_supporters=True)
            .filter(Q(service__isnull=True) | Q(service_id=person.service_id)).first())


def profile_link(person, user) -> str | None:
    """The address of the person's one-page profile page, if there is one this user may open."""
    from goldenthread.reviews.models import OnePageProfile

    profile = OnePageProfile.objects.filter(person_ref=person.ref).first()
    return profile.get_absolute_url() if profile is not None and profile.is_visible_to(user) else None
