"""The arithmetic of flexible hours: exact decimals, stated rounding, round trips the rules promise."""
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.providers import flex

hours_st = st.decimals(min_value=D("0"), max_value=D("500"), places=2)
multipliers = st.sampled_from([D("1"), D("1.25"), D("1.5"), D("1.75"), D("2"), D("1.33")])
rates = st.decimals(min_value=D("0.01"), max_value=D("200"), places=2)


def test_sallys_six_standard_hours_buy_four_hours_after_eleven():
    assert flex.hours_affordable("6", "1.5").amount_out == D("4.00")
    cost = flex.standard_cost("4", "1.5", "after 11 pm")
    assert cost.amount_out == D("6.00")
    assert cost.explanation == "4 hours after 11 pm at time and a half use 6 standard hours (4 × 1.5 = 6)."
    assert flex.hours_affordable("24", "1.5").amount_out == D("16.00")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        flex.hours(1.1)


def test_money_rounds_halves_to_even():
    assert flex.money("0.125") == D("0.12") and flex.money("0.135") == D("0.14")


@given(hours_st, multipliers)
def test_affordable_hours_never_overspend_and_are_the_most_possible(standard, m):
    h = flex.hours_affordable(standard, m).amount_out
    assert flex.standard_cost(h, m).amount_out <= standard
    assert flex.standard_cost(h + flex.HOUR, m).amount_out > standard


@given(hours_st, multipliers)
def test_paying_for_hours_then_asking_what_that_buys_gives_at_least_those_hours(h, m):
    cost = flex.standard_cost(h, m).amount_out
    assert flex.hours_affordable(cost, m).amount_out >= h


@given(st.decimals(min_value=D("0.01"), max_value=D("500"), places=2), rates)
def test_hours_for_money_is_the_fewest_hours_that_cover_it(amount, rate):
    h = flex.hours_for_money(amount, rate).amount_out
    assert flex.hours_to_money(h, rate).amount_out >= amount
    if h > flex.HOUR:
        assert flex.money((h - flex.HOUR) * rate) < amount


@given(st.lists(st.decimals(min_value=D("0"), max_value=D("100"), places=2), min_size=1, max_size=6))
def test_redividing_keeps_the_total(shares):
    total = sum(shares, D("0"))
    parts = flex.redivide(total, {f"p{i}": v for i, v in enumerate(shares)})
    assert sum(parts.values()) == total


def test_redividing_that_loses_hours_is_refused_with_the_difference():
    with pytest.raises(flex.RuleError, match="5 hours short of the 210 hours"):
        flex.redivide("210", {"Paul": D("30"), "The three who stay": D("175")})


@given(st.decimals(min_value=D("-50"), max_value=D("50"), places=2))
def test_a_bank_never_goes_below_nothing_without_approval(after):
    if after < 0:
        with pytest.raises(flex.RuleError):
            flex.check_bank(after)
        flex.check_bank(after, approved=True)
    else:
        flex.check_bank(after)
