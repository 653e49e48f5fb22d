"""Flexible hours: the arithmetic of a person's Individual Service Fund, with no Django.

An Individual Service Fund (ISF) gives a person an allocation — standard hours
of support a week, money, or both — that the provider holds for them and spends
only as they decide. The person can use those hours flexibly, and each fund has
its own *rules* (stored as data, see :class:`goldenthread.providers.models.FlexRule`):

* **time bands** — support at some times costs more: with staff paid time and a
  half after 11 pm, one late hour uses 1.5 standard hours, so 6 standard hours
  buy 4 late hours (Sally);
* **banking** — unused hours can be saved in a bank for later, up to a limit
  (Paul saves hours for when he travels);
* **conversion** — unused hours can become money at a stated rate, for things
  the person chooses (Brian's gym sessions and massages);
* **re-dividing** a shared allocation between the people who share it, keeping
  the total (a shared tenancy's 210 hours becoming 30 + 180).

Rounding rules (the same everywhere, so a statement can always be re-worked by hand):

* **Hours** are kept to the hundredth of an hour (36 seconds), halves to even
  (``ROUND_HALF_EVEN``, "banker's rounding", so rounding does not drift one way).
* **Money** is kept to the penny, halves to even.
* "How many late hours can I have for these standard hours?" is the *largest*
  number of hundredths whose rounded cost is not more than what is available,
  so the answer never overspends (:func:`hours_affordable`).
* "How many standard hours does £X cost?" is the *smallest* number of
  hundredths whose rounded value is at least £X (:func:`hours_for_money`).

Every function returns a plain-words explanation beside its number, and those
words go onto the person's statement unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

HOUR = Decimal("0.01")
PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


class RuleError(ValueError):
    """A conversion the fund's rules do not allow (the message says why, in plain words)."""


def to_decimal(value) -> Decimal:
    """A Decimal from a Decimal, int or string; floats are refused (they cannot hold 0.1 exactly)."""
    if isinstance(value, float):
        raise TypeError("Use Decimal or a string for money and hours, never a float.")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def hours(value) -> Decimal:
    """Hours to the hundredth of an hour, halves to even."""
    return to_decimal(value).quantize(HOUR, rounding=ROUND_HALF_EVEN)


def money(value) -> Decimal:
    """Money to the penny, halves to even."""
    return to_decimal(value).quantize(PENNY, rounding=ROUND_HALF_EVEN)


def fmt_hours(value: Decimal) -> str:
    """'4 hours', '1 hour', '2.5 hours', '0.25 hours' — plain, with no trailing zeros."""
    v = hours(value).normalize()
    text = f"{v:f}"
    return f"{text} hour" if v == 1 else f"{text} hours"


def fmt_money(value: Decimal) -> str:
    v = money(value)
    return f"-£{-v:,.2f}" if v < 0 else f"£{v:,.2f}"


def fmt_multiplier(multiplier: Decimal) -> str:
    names = {Decimal("1"): "the standard rate", Decimal("1.5"): "time and a half", Decimal("2"): "double time"}
    m = to_decimal(multiplier).normalize()
    return names.get(m, f"{m:f} times the standard rate")


@dataclass(frozen=True)
class Conversion:
    """The result of a conversion: the amounts and the sentence that explains them."""

    amount_in: Decimal
    amount_out: Decimal
    explanation: str


# --- time bands -------------------------------------------------------------------------------------------------

def standard_cost(actual_hours, multiplier, band_name: str = "") -> Conversion:
    """Standard hours used by ``actual_hours`` of support in a band paid at ``multiplier``.

    >>> standard_cost("4", "1.5", "after 11 pm").explanation
    '4 hours after 11 pm at time and a half use 6 standard hours (4 × 1.5 = 6).'
    """
    actual, m = hours(actual_hours), to_decimal(multiplier)
    if actual < 0:
        raise RuleError("Hours of support cannot be less than nothing.")
    if m <= 0:
        raise RuleError("A time band's multiplier must be more than 0.")
    cost = hours(actual * m)
    where = f" {band_name}" if band_name else ""
    if m == 1:
        text = f"{fmt_hours(actual)}{where} at the standard rate."
    else:
        text = (f"{fmt_hours(actual)}{where} at {fmt_multiplier(m)} use "
                f"{fmt_hours(cost).replace('hour', 'standard hour')}"
                f" ({actual.normalize():f} × {m.normalize():f} = {cost.normalize():f}).")
    return Conversion(actual, cost, text)


def hours_affordable(standard_hours, multiplier, band_name: str = "") -> Conversion:
    """The most hours in a band that ``standard_hours`` can pay for, never overspending.

    >>> hours_affordable("6", "1.5", "after 11 pm").amount_out
    Decimal('4.00')
    """
    available, m = hours(standard_hours), to_decimal(multiplier)
    if available < 0:
        raise RuleError("Standard hours cannot be less than nothing.")
    if m <= 0:
        raise RuleError("A time band's multiplier must be more than 0.")
    h = (available / m).quantize(HOUR, rounding=ROUND_FLOOR)
    while hours(h * m) > available:  # rounding of the cost can push it over by a hundredth
        h -= HOUR
    while hours((h + HOUR) * m) <= available:
        h += HOUR
    where = f" {band_name}" if band_name else ""
    text = (f"{fmt_hours(available).replace('hour', 'standard hour')} buy {fmt_hours(h)}{where} "
            f"at {fmt_multiplier(m)}.")
    return Conversion(available, h, text)


# --- banking ------------------------------------------------------------------------------------------------------

def check_bank(balance_after, limit=None, *, approved: bool = False) -> None:
    """Refuse a bank that would go below nothing (unless approved) or above its limit."""
    after = hours(balance_after)
    if after < 0 and not approved:
        raise RuleError(f"The bank would go below nothing ({fmt_hours(after)}); that needs a recorded approval.")
    if limit is not None and after > hours(limit):
        raise RuleError(f"The bank can hold at most {fmt_hours(limit)}; this would make it {fmt_hours(after)}.")


# --- conversion of hours into money ---------------------------------------------------------------------------------

def hours_to_money(standard_hours, rate_per_hour) -> Conversion:
    """Money for unused standard hours at the fund's conversion rate (to the penny, halves to even).

    >>> hours_to_money("3", "18.50").explanation
    '3 unused standard hours at £18.50 an hour become £55.50 to spend as you choose.'
    """
    h, rate = hours(standard_hours), money(rate_per_hour)
    if h <= 0:
        raise RuleError("Convert more than 0 hours.")
    if rate <= 0:
        raise RuleError("This fund has no rate for turning hours into money.")
    value = money(h * rate)
    unit = "standard hour" if h == 1 else "standard hours"
    return Conversion(h, value, f"{h.normalize():f} unused {unit} at {fmt_money(rate)} an hour become "
                                f"{fmt_money(value)} to spend as you choose.")


def hours_for_money(amount, rate_per_hour) -> Conversion:
    """The fewest standard hours whose money value covers ``amount``."""
    target, rate = money(amount), money(rate_per_hour)
    if target <= 0 or rate <= 0:
        raise RuleError("Both the amount and the rate must be more than 0.")
    h = (target / rate).quantize(HOUR, rounding=ROUND_CEILING)
    while h > HOUR and money((h - HOUR) * rate) >= target:
        h -= HOUR
    while money(h * rate) < target:
        h += HOUR
    return Conversion(target, h, f"{fmt_money(target)} at {fmt_money(rate)} an hour needs "
                                 f"{fmt_hours(h).replace('hour', 'standard hour')}.")


# --- re-dividing a shared allocation ---------------------------------------------------------------------------------

def redivide(total, shares: dict[str, Decimal]) -> dict[str, Decimal]:
    """Split a shared weekly allocation; the shares must add up to the total exactly.

    >>> redivide("210", {"Paul": Decimal("30"), "The three who stay": Decimal("180")})["Paul"]
    Decimal('30.00')
    """
    whole = hours(total)
    parts = {name: hours(v) for name, v in shares.items()}
    if any(v < 0 for v in parts.values()):
        raise RuleError("No one's share can be less than nothing.")
    got = sum(parts.values(), ZERO)
    if got != whole:
        diff = whole - got
        more_or_less = "short of" if diff > 0 else "more than"
        raise RuleError(f"The shares add up to {fmt_hours(got)}, {fmt_hours(abs(diff))} {more_or_less} "
                        f"the {fmt_hours(whole)} being shared. They must add up exactly.")
    return parts
