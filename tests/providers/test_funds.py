"""Individual Service Funds: worked examples from the providers' guide, and the guards on the ledger."""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goldenthread.providers import services as s
from goldenthread.providers.models import EntryKind, FlexRule, Fund, LedgerEntry, RuleKind
from goldenthread.providers.statements import monthly_statement, statement_pdf

NOV = [dt.date(2026, 11, d) for d in (2, 9, 16, 23)]


def test_sallys_late_night_costs_six_standard_hours_of_her_twenty_four(people, make_fund, manager):
    fund = make_fund(people["Sally"], weekly_hours=D("24"), weekly_money=D("10.00"), hourly_rate=D("21.00"))
    FlexRule.objects.create(fund=fund, kind=RuleKind.TIME_BAND, name="after 11 pm", multiplier=D("1.5"))
    s.credit_week(fund, NOV[0], manager)
    s.record_delivery(fund, dt.date(2026, 11, 3), "6", by=manager, description="Cooking", with_whom="Cara")
    s.record_delivery(fund, dt.date(2026, 11, 6), "4", by=manager, band="after 11 pm", description="Night club",
                      with_whom="Amira")
    s.record_management(fund, dt.date(2026, 11, 7), "4.20", by=manager, description="rota planning")
    st_ = monthly_statement(fund, 2026, 11)
    rows = [(l.occurred_on.day, l.kind, l.hours, l.money, l.hours_left, l.money_left, l.explanation) for l in st_.lines]
    assert rows == [
        (2, "allocation", D("24.00"), D("10.00"), D("24.00"), D("10.00"),
         "Your allocation for the week: 24 standard hours and £10.00."),
        (3, "delivered", D("-6.00"), D("0.00"), D("18.00"), D("10.00"), "6 hours at the standard rate."),
        (6, "delivered", D("-6.00"), D("0.00"), D("12.00"), D("10.00"),
         "4 hours after 11 pm at time and a half use 6 standard hours (4 × 1.5 = 6)."),
        (7, "management", D("0.00"), D("0.00"), D("12.00"), D("10.00"),
         "£4.20 for management and service costs: rota planning. Paid from the provider's declared share, not from "
         "the person's money. This fund has no declared share for them yet: declare one with its allocation."),
    ]
    assert st_.closing == {"hours": D("12.00"), "money": D("10.00"), "bank": D("0.00")}
    assert st_.direct_cost == D("252.00")  # 12 standard hours at £21
    assert st_.management_cost == D("4.20") and st_.hours_delivered == D("10.00")
    easy = st_.easy_lines()
    assert ("moon", "Night club with Amira: once, 4 hours.",
            "These hours cost more: 4 hours use 6 standard hours. For example: 4 hours after 11 pm at time and a "
            "half use 6 standard hours (4 × 1.5 = 6).") in easy
    text = _pdf_text(statement_pdf(st_, easy_read=True))
    assert "Picture: a moon and a star, for late at night" in text and "Night club with Amira: once, 4 hours." in text
    assert "You have 12 hours left." in text and "You have £10.00 to spend as you choose." in text
    table = _pdf_text(statement_pdf(st_))
    assert "4 hours after 11 pm at time and a half use 6 standard hours (4 × 1.5 = 6)." in table
    assert "Management and service costs: £4.20" in table


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_paul_moves_out_of_the_shared_tenancy_with_thirty_of_its_two_hundred_and_ten_hours(people, make_fund,
                                                                                            manager):
    shared = make_fund(name="Elm Road", weekly_hours=D("210"))
    shared.shared_by.set([people[n] for n in ("Paul", "Ade", "Colin", "Dev")])
    s.credit_week(shared, dt.date(2026, 10, 26), manager)
    s.record_delivery(shared, dt.date(2026, 10, 27), "200", by=manager)
    s.redivide(shared, dt.date(2026, 11, 1), {people["Paul"]: D("30")}, by=manager, reason="Own home")
    shared.refresh_from_db()
    paul = Fund.objects.get(person=people["Paul"])
    assert (paul.weekly_hours, shared.weekly_hours) == (D("30.00"), D("180.00"))
    assert paul.weekly_hours + shared.weekly_hours == D("210")
    assert set(shared.shared_by.values_list("name", flat=True)) == {"Ade", "Colin", "Dev"}
    assert paul.split_from == shared
    assert shared.balances()["hours"] == D("10.00")  # the shared history stays with the shared fund
    assert [c.weekly_hours for c in shared.allocation_changes.all()] == [D("180.00")]
    with pytest.raises(s.FundError, match="does not share"):
        s.redivide(shared, dt.date(2026, 12, 1), {people["Paul"]: D("1")}, by=manager, reason="again")

    # Paul banks 5 hours a week for travel, then uses 12 of them on a trip.
    FlexRule.objects.create(fund=paul, kind=RuleKind.BANKING, limit_hours=D("40"))
    for week in NOV:
        s.credit_week(paul, week, manager)
        s.record_delivery(paul, week + dt.timedelta(days=1), "25", by=manager, description="Support at home")
        s.bank_hours(paul, week + dt.timedelta(days=5), "5", by=manager, description="For York")
    s.record_delivery(paul, dt.date(2026, 11, 28), "12", by=manager, from_bank=True, description="Trip to York")
    st_ = monthly_statement(paul, 2026, 11)
    banked = [l for l in st_.lines if l.kind == EntryKind.BANKED]
    assert [l.bank_left for l in banked] == [D("5.00"), D("10.00"), D("15.00"), D("20.00")]
    assert banked[-1].explanation == "5 hours saved in the bank. The bank now holds 20 hours."
    trip = st_.lines[-1]
    assert (trip.hours, trip.bank, trip.bank_left) == (D("0.00"), D("-12.00"), D("8.00"))
    assert trip.explanation == "12 hours at the standard rate. Taken from the bank."
    assert st_.closing == {"hours": D("0.00"), "money": D("0.00"), "bank": D("8.00")}
    with pytest.raises(s.FundError, match="bank would go below nothing"):
        s.record_delivery(paul, dt.date(2026, 11, 29), "9", by=manager, from_bank=True)
    s.credit_week(paul, dt.date(2026, 11, 30), manager)
    s.credit_week(paul, dt.date(2026, 12, 7), manager)  # the week of 30 November's 30 unused hours go to the bank
    assert paul.balances() == {"hours": D("30.00"), "money": D("0.00"), "bank": D("38.00")}
    with pytest.raises(s.FundError, match="The bank can hold at most 40 hours; this would make it 41 hours"):
        s.bank_hours(paul, dt.date(2026, 12, 8), "3", by=manager)


def test_brian_turns_unused_hours_into_money_for_the_gym(people, make_fund, manager):
    fund = make_fund(people["Brian"], weekly_hours=D("35"), hourly_rate=D("18.50"))
    FlexRule.objects.create(fund=fund, kind=RuleKind.CONVERSION, rate=D("18.50"), limit_hours=D("10"))
    for week in NOV[:2]:
        s.credit_week(fund, week, manager)  # the first week's 6 unused hours lapse when the second begins
        s.record_delivery(fund, week + dt.timedelta(days=1), "29", by=manager, description="Support at home")
    s.convert_hours(fund, dt.date(2026, 11, 12), "6", by=manager, description="Gym and massage")
    s.record_purchase(fund, dt.date(2026, 11, 13), "30.00", by=manager, description="a gym session")
    s.record_purchase(fund, dt.date(2026, 11, 14), "35.00", by=manager, description="a massage")
    st_ = monthly_statement(fund, 2026, 11)
    tail = [(l.kind, l.hours, l.money, l.hours_left, l.money_left, l.explanation) for l in st_.lines[-3:]]
    assert tail == [
        ("converted", D("-6.00"), D("111.00"), D("0.00"), D("111.00"),
         "6 unused standard hours at £18.50 an hour become £111.00 to spend as you choose."),
        ("purchase", D("0.00"), D("-30.00"), D("0.00"), D("81.00"), "£30.00 spent on a gym session."),
        ("purchase", D("0.00"), D("-35.00"), D("0.00"), D("46.00"), "£35.00 spent on a massage."),
    ]
    assert ("coins", "You turned 6 hours into £111.00.",
            "6 unused standard hours at £18.50 an hour become £111.00 to spend as you choose.") in st_.easy_lines()
    with pytest.raises(s.FundError, match="Not enough money"):
        s.record_purchase(fund, dt.date(2026, 11, 15), "46.01", by=manager, description="games")
    s.credit_week(fund, NOV[2], manager)
    with pytest.raises(s.FundError, match="At most 10 hours a month can become money; 6 hours already have"):
        s.convert_hours(fund, dt.date(2026, 11, 16), "5", by=manager)


def test_ledger_lines_cannot_be_changed_or_deleted(people, make_fund, manager):
    fund = make_fund(people["Sally"], weekly_hours=D("24"))
    entry = s.credit_week(fund, NOV[0], manager)
    entry.description = "changed"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        LedgerEntry.objects.filter(pk=entry.pk).update(hours=D("99"))
    with pytest.raises(ValidationError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).hours == D("24.00")


def test_a_correction_is_a_new_line_pointing_at_the_one_it_corrects(people, make_fund, manager):
    fund = make_fund(people["Sally"], weekly_hours=D("24"))
    s.credit_week(fund, NOV[0], manager)
    wrong = s.record_delivery(fund, NOV[0], "5", by=manager)
    fix = s.correct(wrong, by=manager, reason="it was 3 hours", on=NOV[0])
    assert fix.corrects == wrong and fix.hours == D("5.00") and fix.recorded_by == manager
    assert fund.balances()["hours"] == D("24.00")
    assert fund.entries.count() == 3
    with pytest.raises(s.FundError, match="already been corrected"):
        s.correct(wrong, by=manager, reason="again")


def test_overspending_needs_a_recorded_approval_used_once(people, make_fund, manager, second_manager):
    fund = make_fund(people["Sally"], weekly_hours=D("2"))
    s.credit_week(fund, NOV[0], manager)
    with pytest.raises(s.FundError, match="Not enough hours: 2 hours left, this needs 3 hours"):
        s.record_delivery(fund, NOV[0], "3", by=manager)
    approval = s.approve(fund, second_manager, "Hospital visit agreed with Sally")
    entry = s.record_delivery(fund, NOV[0], "3", by=manager, approval=approval)
    assert entry.approval == approval and fund.balances()["hours"] == D("-1.00")
    with pytest.raises(s.FundError, match="already been used"):
        s.record_delivery(fund, NOV[0], "1", by=manager, approval=approval)
    from django.contrib.auth.models import User

    sally = User.objects.create_user("sally-herself")
    people["Sally"].people.add(sally)
    with pytest.raises(s.FundError, match="Only a provider manager"):
        s.approve(fund, sally, "I say so")


def test_a_corrected_line_is_marked_and_the_statement_says_what_was_put_right(people, make_fund, manager):
    fund = make_fund(people["Sally"], weekly_hours=D("24"))
    s.credit_week(fund, NOV[0], manager)
    wrong = s.record_delivery(fund, dt.date(2026, 11, 3), "5", by=manager, description="Swimming")
    s.correct(wrong, by=manager, reason="Sally was ill; the session did not happen", on=dt.date(2026, 11, 4))
    st_ = monthly_statement(fund, 2026, 11)
    assert [(l.kind, l.hours, l.hours_left, l.corrected) for l in st_.lines] == [
        ("allocation", D("24.00"), D("24.00"), False), ("delivered", D("-5.00"), D("19.00"), True),
        ("correction", D("5.00"), D("24.00"), False)]
    assert st_.lines[2].explanation == ("Cancels the line of 3 November “Swimming”: "
                                        "Sally was ill; the session did not happen")
    assert st_.hours_delivered == D("0.00") and st_.direct_cost == D("0.00")
    assert ("pencil", "Put right: Swimming on 3 November was a mistake, so it is not counted.",
            "Why: Sally was ill; the session did not happen") in st_.easy_lines()
    assert not any("Swimming" in sentence and "Put right" not in sentence for _, sentence, _ in st_.easy_lines())


OPS = st.lists(st.tuples(st.sampled_from(["credit", "deliver", "late", "bank", "unbank", "convert", "buy", "manage",
                                          "correct"]),
                         st.decimals(min_value=D("0.01"), max_value=D("40"), places=2)), max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
def test_balances_always_equal_the_ledger_and_never_go_below_nothing(people, make_fund, manager, ops):
    fund = make_fund(people["Paul"], name="prop", weekly_hours=D("30"), weekly_money=D("5"))
    FlexRule.objects.create(fund=fund, kind=RuleKind.BANKING, limit_hours=D("50"))
    FlexRule.objects.create(fund=fund, kind=RuleKind.CONVERSION, rate=D("17.33"))
    FlexRule.objects.create(fund=fund, kind=RuleKind.TIME_BAND, name="late", multiplier=D("1.33"))
    day = dt.date(2026, 11, 2)
    for i, (op, amount) in enumerate(ops):
        try:
            if op == "credit":
                s.credit_week(fund, day + dt.timedelta(weeks=i), manager)
            elif op == "deliver":
                s.record_delivery(fund, day, amount, by=manager)
            elif op == "late":
                s.record_delivery(fund, day, amount, by=manager, band="late", from_bank=i % 2 == 0)
            elif op == "bank":
                s.bank_hours(fund, day, amount, by=manager)
            elif op == "unbank":
                s.use_bank(fund, day, amount, by=manager)
            elif op == "convert":
                s.convert_hours(fund, day, amount, by=manager)
            elif op == "buy":
                s.record_purchase(fund, day, amount, by=manager, description="x")
            elif op == "manage":
                s.record_management(fund, day, amount, by=manager, description="x")
            else:
                last = fund.entries.exclude(kind=EntryKind.CORRECTION).filter(corrected_by__isnull=True).last()
                if last:
                    s.correct(last, by=manager, reason="test", on=day)
        except s.FundError:
            pass
        b = fund.balances()
        rows = list(fund.entries.values_list("hours", "money", "bank_hours"))
        assert b == {"hours": sum((r[0] for r in rows), D("0.00")), "money": sum((r[1] for r in rows), D("0.00")),
                     "bank": sum((r[2] for r in rows), D("0.00"))}
        assert min(b.values()) >= 0
        assert b["bank"] <= 50


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 5), st.data())
def test_redividing_a_shared_allocation_keeps_the_total_and_every_history(people, make_fund, manager, n, data):
    from goldenthread.providers.models import SupportedPerson

    total = data.draw(st.decimals(min_value=D("1"), max_value=D("400"), places=2))
    members = [SupportedPerson.objects.create(ref=f"R-{SupportedPerson.objects.count()}", name=f"M{i}",
                                              service=people["Sally"].service) for i in range(n + 1)]
    shared = make_fund(name="Shared house", weekly_hours=total)
    shared.shared_by.set(members)
    s.credit_week(shared, dt.date(2026, 10, 5), manager)
    before = list(shared.entries.values_list("pk", "hours"))
    leaving = {}
    left = total
    for m in members[:n]:
        share = data.draw(st.decimals(min_value=D("0.01"), max_value=max(left, D("0.01")), places=2))
        if share > left:
            break
        leaving[m] = share
        left -= share
    if not leaving:
        return
    s.redivide(shared, dt.date(2026, 11, 1), leaving, by=manager, reason="moving")
    shared.refresh_from_db()
    new = Fund.objects.filter(split_from=shared)
    assert shared.weekly_hours + sum(f.weekly_hours for f in new) == total
    assert list(shared.entries.values_list("pk", "hours")) == before  # the shared ledger is untouched
    assert all(f.allocation_changes.count() == 1 for f in new)
    assert shared.redivisions.get().shares.count() == len(leaving) + 1
