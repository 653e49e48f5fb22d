"""Issue 22, part 8: closed months, two people for an overspend, and dates within the fund's life."""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from goldenthread.providers import services as s
from goldenthread.providers.models import IssuedStatement, LedgerEntry
from goldenthread.providers.statements import monthly_statement

NOV = [dt.date(2026, 11, d) for d in (2, 9, 16, 23)]
TODAY = dt.date(2026, 12, 5)


@pytest.fixture
def fund(people, make_fund, manager):
    fund = make_fund(people["Sally"], weekly_hours=D("10"), weekly_money=D("50.00"))
    s.credit_week(fund, NOV[0], manager)
    return fund


# --- months close when a statement is issued ----------------------------------------------------------------------

def test_a_back_dated_line_in_a_month_whose_statement_was_issued_is_refused(fund, manager):
    s.record_delivery(fund, dt.date(2026, 11, 3), "2", by=manager, description="Swimming")
    s.issue_statement(fund, 2026, 11, by=manager, today=TODAY)
    sent = monthly_statement(fund, 2026, 11)
    with pytest.raises(s.FundError, match="statement for November 2026 has been issued") as err:
        s.record_purchase(fund, dt.date(2026, 11, 20), "15.00", by=manager, description="a cinema ticket")
    assert err.value.field == "occurred_on"
    with pytest.raises(s.FundError, match="has been issued"):
        s.record_delivery(fund, dt.date(2026, 10, 30), "1", by=manager)  # months before it are closed too
    with pytest.raises(s.FundError, match="has been issued"):
        s.credit_week(fund, NOV[1], manager)
    again = monthly_statement(fund, 2026, 11)
    assert [(l.occurred_on, l.hours, l.money) for l in again.lines] == \
        [(l.occurred_on, l.hours, l.money) for l in sent.lines]
    assert again.closing == sent.closing


def test_a_line_of_a_closed_month_is_put_right_by_a_correction_dated_in_an_open_month(fund, manager):
    wrong = s.record_delivery(fund, dt.date(2026, 11, 3), "2", by=manager, description="Swimming")
    s.issue_statement(fund, 2026, 11, by=manager, today=TODAY)
    with pytest.raises(s.FundError, match="has been issued"):
        s.correct(wrong, by=manager, reason="did not happen", on=dt.date(2026, 11, 30))
    fix = s.correct(wrong, by=manager, reason="did not happen", on=dt.date(2026, 12, 1))
    assert fix.occurred_on == dt.date(2026, 12, 1) and fix.corrects == wrong
    assert monthly_statement(fund, 2026, 11).closing["hours"] == D("8.00")  # the sent statement is unchanged
    assert monthly_statement(fund, 2026, 12).closing["hours"] == D("10.00")


def test_a_statement_is_issued_once_and_only_for_a_month_that_has_ended(fund, manager, people):
    with pytest.raises(s.FundError, match="has not ended yet"):
        s.issue_statement(fund, 2026, 12, by=manager, today=TODAY)
    s.issue_statement(fund, 2026, 11, by=manager, today=TODAY)
    with pytest.raises(s.FundError, match="already been issued"):
        s.issue_statement(fund, 2026, 11, by=manager, today=TODAY)
    from django.contrib.auth.models import User

    sally = User.objects.create_user("sally-herself")
    people["Sally"].people.add(sally)
    with pytest.raises(s.FundError, match="Only a provider manager"):
        s.issue_statement(fund, 2026, 10, by=sally, today=TODAY)
    assert IssuedStatement.objects.filter(fund=fund).count() == 1


# --- an overspend needs a second person ---------------------------------------------------------------------------

def test_the_manager_who_records_an_overspend_cannot_approve_it(fund, manager, second_manager):
    with pytest.raises(s.FundError, match="Not enough money"):
        s.record_purchase(fund, NOV[0], "550.00", by=manager, description="a holiday")
    own = s.approve(fund, manager, "I say so")
    with pytest.raises(s.FundError, match="cannot approve your own overspend") as err:
        s.record_purchase(fund, NOV[0], "550.00", by=manager, description="a holiday", approval=own)
    assert err.value.field == "approval"
    assert fund.balances()["money"] == D("50.00")
    other = s.approve(fund, second_manager, "Holiday agreed with Sally and her sister")
    entry = s.record_purchase(fund, NOV[0], "550.00", by=manager, description="a holiday", approval=other)
    assert entry.approval == other and fund.balances()["money"] == D("-500.00")


def test_a_correction_that_overspends_also_needs_someone_elses_approval(fund, manager, second_manager):
    s.record_purchase(fund, NOV[0], "50.00", by=manager, description="shoes")
    allocation = LedgerEntry.objects.get(fund=fund, kind="allocation")
    own = s.approve(fund, manager, "mine")
    with pytest.raises(s.FundError, match="cannot approve your own"):
        s.correct(allocation, by=manager, reason="wrong week", on=NOV[0], approval=own)
    s.correct(allocation, by=manager, reason="wrong week", on=NOV[0],
              approval=s.approve(fund, second_manager, "agreed"))


def test_the_record_page_offers_only_approvals_given_by_someone_else(fund, manager, second_manager):
    s.approve(fund, manager, "My own approval")
    theirs = s.approve(fund, second_manager, "Approved by the other manager")
    client = Client()
    client.force_login(manager)
    page = client.get(reverse("providers:record", args=[fund.pk])).content.decode()
    assert "Approved by the other manager" in page and "My own approval" not in page
    response = client.post(reverse("providers:record", args=[fund.pk]), {
        "kind": "purchase", "occurred_on_0": "2", "occurred_on_1": "11", "occurred_on_2": "2026",
        "amount": "300.00", "description": "a holiday", "approval": theirs.pk})
    assert response.status_code == 302
    assert fund.balances()["money"] == D("-250.00")


def test_a_second_manager_records_an_approval_on_its_own_page(fund, second_manager):
    client = Client()
    client.force_login(second_manager)
    url = reverse("providers:approval_new", args=[fund.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Trip agreed at the review"}).status_code == 302
    assert fund.approvals.get().approved_by == second_manager


# --- dates within the fund's life ---------------------------------------------------------------------------------

@pytest.mark.parametrize("on, words", [
    (dt.date(2099, 1, 6), "no later than"),
    (dt.date(2026, 9, 30), "on or after 1 October 2026, when this fund began"),
])
def test_a_line_dated_far_ahead_or_before_the_fund_began_is_refused(fund, manager, on, words):
    with pytest.raises(s.FundError, match=words) as err:
        s.record_purchase(fund, on, "5.00", by=manager, description="bus fare")
    assert err.value.field == "occurred_on"
    assert not LedgerEntry.objects.filter(fund=fund, kind="purchase").exists()


def test_a_line_dated_after_the_fund_ended_is_refused(fund, manager):
    fund.closed_on = dt.date(2026, 11, 15)
    fund.save(update_fields=["closed_on"])
    with pytest.raises(s.FundError, match="on or before 15 November 2026, when this fund ended"):
        s.record_delivery(fund, dt.date(2026, 11, 20), "1", by=manager)


@pytest.mark.parametrize("day, month, year, words", [
    ("6", "1", "2099", "no later than"),
    ("30", "9", "2026", "when this fund began"),
])
def test_the_record_page_names_the_date_field_in_its_error(fund, manager, day, month, year, words):
    client = Client()
    client.force_login(manager)
    response = client.post(reverse("providers:record", args=[fund.pk]), {
        "kind": "purchase", "occurred_on_0": day, "occurred_on_1": month, "occurred_on_2": year,
        "amount": "5.00", "description": "bus fare"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'href="#id_occurred_on' in page and words in page
    assert not LedgerEntry.objects.filter(fund=fund, kind="purchase").exists()


def test_issuing_a_statement_on_its_page_closes_the_month(fund, manager):
    client = Client()
    client.force_login(manager)
    response = client.post(reverse("providers:statement_issue", args=[fund.pk, 2026, 11]))
    assert response.status_code == 302
    assert IssuedStatement.objects.filter(fund=fund, year=2026, month=11).exists()
    page = client.get(reverse("providers:statement", args=[fund.pk, 2026, 11])).content.decode()
    assert "This statement was issued" in page
