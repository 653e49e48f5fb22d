"""Issue 26, parts 1-3: the guide's Sally, Paul and Brian worked through a whole month.

Money that is the person's (management and service costs kept apart, a costed plan that uses the time bands and
the allocation), hour rules that bite (unused hours banked up to the limit or lapsing at the end of each week) and
statements people can trust (mistakes put right without negative spending, "Correction: Correction:" or "-11 hours").
"""
import datetime as dt
import io
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from goldenthread.providers import services as s
from goldenthread.providers.models import EntryKind, FlexRule, Fund, PlanLine, RuleKind
from goldenthread.providers.statements import monthly_statement, statement_pdf

TODAY = dt.date(2026, 12, 5)
MON = [dt.date(2026, 11, d) for d in (2, 9, 16, 23, 30)]
NEGATIVE = re.compile(r"(-£|£-|-\d)")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def _easy_text(st_) -> str:
    return " ".join([sentence for _, sentence in st_.summary()]
                    + [f"{sentence} {how}" for _, sentence, how in st_.easy_lines()] + st_.spending_sentences)


@pytest.fixture
def sally(people, make_fund):
    fund = make_fund(people["Sally"], weekly_hours=D("24"), weekly_money=D("15.00"), hourly_rate=D("21.00"),
                     management_weekly=D("12.00"))
    FlexRule.objects.create(fund=fund, kind=RuleKind.TIME_BAND, name="after 11 pm", multiplier=D("1.5"))
    FlexRule.objects.create(fund=fund, kind=RuleKind.BANKING, limit_hours=D("10"))
    return fund


# --- Sally: 24 - 2 - 6 = 16, the month, a mistake put right, the bank at the ends of the weeks --------------------

def test_sallys_month_banks_up_to_ten_hours_lapses_the_rest_and_keeps_management_apart(sally, manager):
    f = sally
    s.credit_week(f, MON[0], manager)
    s.record_delivery(f, dt.date(2026, 11, 6), "2", by=manager, description="Dancing at the Roxy")
    s.record_delivery(f, dt.date(2026, 11, 6), "4", by=manager, band="after 11 pm", description="Dancing late")
    assert f.balances()["hours"] == D("16.00")  # 24 - 2 - 6 (4 hours at time and a half) = 16
    s.record_delivery(f, dt.date(2026, 11, 3), "10", by=manager, description="Cooking")
    # Week 2: the 6 unused hours go to the bank; a 12-hour line typed instead of 2 is put right the same day.
    s.credit_week(f, MON[1], manager)
    wrong = s.record_delivery(f, dt.date(2026, 11, 13), "12", by=manager, description="Dancing at the Roxy")
    fix = s.correct(wrong, by=manager, reason="It was 2 hours, not 12.", on=dt.date(2026, 11, 13))
    assert fix.description == "It was 2 hours, not 12." and fix.get_kind_display() == "Put right"
    s.record_delivery(f, dt.date(2026, 11, 13), "2", by=manager, description="Dancing at the Roxy")
    s.record_delivery(f, dt.date(2026, 11, 13), "4", by=manager, band="after 11 pm", description="Dancing late")
    assert f.balances() == {"hours": D("16.00"), "money": D("30.00"), "bank": D("6.00")}
    # Week 3: 16 unused, room for 4 in the bank of at most 10: 4 banked, 12 lapse. Not banking cannot bypass it.
    s.credit_week(f, MON[2], manager)
    assert f.balances() == {"hours": D("24.00"), "money": D("45.00"), "bank": D("10.00")}
    s.record_delivery(f, dt.date(2026, 11, 17), "20", by=manager, description="Cooking")
    # Week 4: the bank is full, so the 4 unused hours lapse; a concert from the bank; management £48.
    s.credit_week(f, MON[3], manager)
    s.record_delivery(f, dt.date(2026, 11, 24), "24", by=manager, description="Cooking")
    s.record_delivery(f, dt.date(2026, 11, 28), "6", by=manager, from_bank=True, description="A concert")
    s.record_purchase(f, dt.date(2026, 11, 28), "20.00", by=manager, description="a concert ticket")
    s.record_management(f, dt.date(2026, 11, 28), "48.00", by=manager, description="rota planning and payroll")
    s.credit_week(f, MON[4], manager)

    st_ = monthly_statement(f, 2026, 11)
    assert st_.closing == {"hours": D("24.00"), "money": D("55.00"), "bank": D("4.00")}  # 5 × £15 - £20
    assert (st_.week_end_banked, st_.week_end_lapsed) == (D("10.00"), D("16.00"))
    assert st_.week_end_sentence == "10 hours banked, 16 hours lapsed"
    lapsed = [l for l in st_.lines if l.kind == EntryKind.LAPSED]
    assert lapsed[0].explanation == ("12 hours not used in the week before 16 November 2026 lapsed: the bank holds "
                                     "at most 10 hours.")
    # Management is the provider's declared £12 a week, apart: Sally's £15 a week pays none of it.
    assert (st_.management_declared, st_.management_cost, st_.management_left) == \
        (D("60.00"), D("48.00"), D("12.00"))
    standard_hours = 2 + 6 + 10 + 2 + 6 + 20 + 24 + 6  # the 12-hour mistake nets out
    assert st_.direct_cost == D(standard_hours) * D("21.00") + D("20.00")
    easy = st_.easy_lines()
    assert ("pencil", "Put right: Dancing at the Roxy on 13 November was a mistake, so it is not counted.",
            "Why: It was 2 hours, not 12.") in easy
    assert ("piggy", "Hours you did not use by the end of the week: 10 hours banked, 16 hours lapsed.",
            "Hours you do not use go to your bank at the end of the week. Your bank holds at most 10 hours, so "
            "hours that do not fit lapse.") in easy
    assert ("office", "Organising your support cost £48.00.",
            "This pays for planning the rota and paying staff. It comes from the provider's own share, not from "
            "your hours or money.") in easy
    for text in (_easy_text(st_), _pdf_text(statement_pdf(st_, easy_read=True))):
        assert "You have 24 hours left." in text and "You have £55.00 to spend as you choose." in text
        assert "12 hours" not in text.replace("12 hours not used", "")  # the mistaken line is not on it
        assert not NEGATIVE.search(text), NEGATIVE.search(text)
        assert "Correction:" not in text
    full = _pdf_text(statement_pdf(st_))
    assert "Correction: Correction" not in full and "Put right: It was 2 hours, not 12." in full
    assert "Unused hours at the ends of the weeks: 10 hours banked, 16 hours lapsed." in full

    # November is issued; in December a November line is found to be wrong and is put right.
    s.issue_statement(f, 2026, 11, by=manager, today=TODAY)
    cooking = f.entries.get(occurred_on=dt.date(2026, 11, 17), kind=EntryKind.DELIVERED)
    s.correct(cooking, by=manager, reason="Cara was ill; the shopping was not done.", on=dt.date(2026, 12, 1))
    dec = monthly_statement(f, 2026, 12)
    assert dec.direct_cost == D("0.00") and dec.put_right_value == D("420.00")  # 20 hours at £21 given back
    assert dec.spending_sentences[:2] == ["Money spent on your support: £0.00.",
                                          "Put right from earlier months: £420.00 of support given back to you."]
    assert ("pencil", "Put right: Cooking on 17 November was a mistake: you got 20 hours back.",
            "Why: Cara was ill; the shopping was not done.") in dec.easy_lines()
    assert not NEGATIVE.search(_pdf_text(statement_pdf(dec, easy_read=True)))


def test_a_twelve_hour_overspend_never_reads_as_minus_eleven_hours_and_nets_out_once_put_right(
        people, make_fund, manager, second_manager):
    f = make_fund(people["Sally"], weekly_hours=D("1"))
    s.credit_week(f, MON[0], manager)
    approval = s.approve(f, second_manager, "Agreed with Sally for a hospital stay")
    wrong = s.record_delivery(f, dt.date(2026, 11, 3), "12", by=manager, description="Hospital", approval=approval)
    st_ = monthly_statement(f, 2026, 11)
    assert st_.closing["hours"] == D("-11.00")
    assert st_.summary()[0] == ("clock", "You have nothing left: you used 11 hours more than you had, and your "
                                         "provider agreed to that.")
    assert "-11" not in _pdf_text(statement_pdf(st_, easy_read=True))
    s.correct(wrong, by=manager, reason="Entered against the wrong person.", on=dt.date(2026, 11, 4))
    st_ = monthly_statement(f, 2026, 11)
    assert st_.summary()[0] == ("clock", "You have 1 hour left.")
    assert [sentence for _, sentence, _ in st_.easy_lines() if "Hospital" in sentence] == \
        ["Put right: Hospital on 3 November was a mistake, so it is not counted."]
    assert st_.direct_cost == D("0.00") and st_.hours_delivered == D("0.00")


def test_management_costs_on_an_hours_only_fund_are_recorded_apart_and_never_make_money_negative(
        people, make_fund, manager):
    f = make_fund(people["Sally"], weekly_hours=D("24"), hourly_rate=D("21.00"), management_percent=D("10"))
    assert f.weekly_management() == D("56.00")  # 10% of the whole: £504 of support is the other 90%
    s.credit_week(f, MON[0], manager)
    s.record_management(f, dt.date(2026, 11, 6), "50.00", by=manager, description="payroll")
    assert f.balances()["money"] == D("0.00") and f.management_balance() == D("6.00")
    s.record_management(f, dt.date(2026, 11, 7), "10.00", by=manager, description="training")  # over the share
    assert f.balances()["money"] == D("0.00") and f.management_balance() == D("-4.00")
    st_ = monthly_statement(f, 2026, 11)
    assert st_.management_cost == D("60.00") and not st_.has_money  # no "£-50.00 to spend as you choose"
    text = _pdf_text(statement_pdf(st_, easy_read=True))
    assert "to spend as you choose" not in text and not NEGATIVE.search(text)
    assert "Money spent on organising it: £60.00. This is the provider's own share, not your money." in text


# --- Paul: 210 → 30 + 180, a bank of at most 20 hours ---------------------------------------------------------------

def test_pauls_thirty_hours_bank_what_he_does_not_use_up_to_twenty_and_the_rest_lapses(people, make_fund, manager):
    shared = make_fund(name="Elm Road", weekly_hours=D("210"), hourly_rate=D("19.50"))
    shared.shared_by.set([people[n] for n in ("Paul", "Ade", "Colin", "Dev")])
    s.redivide(shared, dt.date(2026, 11, 1), {people["Paul"]: D("30")}, by=manager, reason="His own home")
    shared.refresh_from_db()
    paul = Fund.objects.get(person=people["Paul"])
    assert (paul.weekly_hours, shared.weekly_hours) == (D("30.00"), D("180.00"))
    FlexRule.objects.create(fund=paul, kind=RuleKind.BANKING, limit_hours=D("20"))
    s.credit_week(paul, MON[0], manager)
    s.record_delivery(paul, dt.date(2026, 11, 4), "18", by=manager, description="At home")
    s.credit_week(paul, MON[1], manager)  # 12 unused: banked
    s.record_delivery(paul, dt.date(2026, 11, 11), "17", by=manager, description="At home")
    s.credit_week(paul, MON[2], manager)  # 13 unused, room for 8: 8 banked, 5 lapse
    assert paul.balances() == {"hours": D("30.00"), "money": D("0.00"), "bank": D("20.00")}
    s.record_delivery(paul, dt.date(2026, 11, 21), "12", by=manager, from_bank=True, description="Trip to York")
    s.record_delivery(paul, dt.date(2026, 11, 18), "30", by=manager, description="At home")
    s.credit_week(paul, MON[3], manager)  # nothing unused
    s.record_delivery(paul, dt.date(2026, 11, 25), "26", by=manager, description="At home")
    s.credit_week(paul, MON[4], manager)  # 4 unused: banked
    st_ = monthly_statement(paul, 2026, 11)
    assert st_.week_end_sentence == "24 hours banked, 5 hours lapsed"
    assert st_.closing == {"hours": D("30.00"), "money": D("0.00"), "bank": D("12.00")}
    banked = [l.explanation for l in st_.lines if l.end_of_week]
    assert banked == [
        "12 hours not used in the week before 9 November 2026 went to the bank. The bank now holds 12 hours.",
        "8 hours not used in the week before 16 November 2026 went to the bank. The bank now holds 20 hours.",
        "5 hours not used in the week before 16 November 2026 lapsed: the bank holds at most 20 hours.",
        "4 hours not used in the week before 30 November 2026 went to the bank. The bank now holds 12 hours."]


def test_with_banking_off_unused_hours_lapse_each_week_instead_of_piling_up(people, make_fund, manager):
    f = make_fund(people["Paul"], weekly_hours=D("30"))
    for week in MON[:3]:
        s.credit_week(f, week, manager)
        s.record_delivery(f, week + dt.timedelta(days=1), "20", by=manager)
    assert f.balances() == {"hours": D("10.00"), "money": D("0.00"), "bank": D("0.00")}  # not 30
    st_ = monthly_statement(f, 2026, 11)
    assert st_.week_end_sentence == "20 hours lapsed"
    assert "Hours not used by the end of each week lapse: this fund does not save them." in st_.rules
    with pytest.raises(s.FundError, match="A later week's allocation is already added") as err:
        s.credit_week(f, dt.date(2026, 11, 2) - dt.timedelta(days=7), manager)
    assert err.value.field == "occurred_on"


# --- Brian: 5 hours × £20 -------------------------------------------------------------------------------------------

def test_brian_turns_five_unused_hours_into_a_hundred_pounds_and_a_purchase_put_right_is_given_back(
        people, make_fund, manager):
    f = make_fund(people["Brian"], weekly_hours=D("35"), hourly_rate=D("18.50"), management_percent=D("8"))
    FlexRule.objects.create(fund=f, kind=RuleKind.CONVERSION, rate=D("20.00"), limit_hours=D("10"))
    s.credit_week(f, MON[0], manager)
    s.record_delivery(f, dt.date(2026, 11, 3), "30", by=manager, description="Support at home")
    conversion = s.convert_hours(f, dt.date(2026, 11, 4), "5", by=manager, description="Gym and a massage")
    assert conversion.money == D("100.00")  # 5 h × £20
    gym = s.record_purchase(f, dt.date(2026, 11, 5), "30.00", by=manager, description="a personal trainer session")
    s.record_purchase(f, dt.date(2026, 11, 6), "35.00", by=manager, description="a massage")
    s.record_management(f, dt.date(2026, 11, 7), "52.00", by=manager, description="rota planning and payroll")
    for week in MON[1:]:
        s.credit_week(f, week, manager)
        if week < MON[-1]:
            s.record_delivery(f, week + dt.timedelta(days=1), "35", by=manager, description="Support at home")
    st_ = monthly_statement(f, 2026, 11)
    assert st_.closing == {"hours": D("35.00"), "money": D("35.00"), "bank": D("0.00")}  # £100 - £30 - £35
    assert st_.management_declared == D("281.50")  # 5 weeks × £56.30 (8% of the whole of £647.50 + £56.30)
    assert "You have £35.00 to spend as you choose." in _easy_text(st_)
    s.issue_statement(f, 2026, 11, by=manager, today=TODAY)
    s.correct(gym, by=manager, reason="The gym refunded the session.", on=dt.date(2026, 12, 1))
    dec = monthly_statement(f, 2026, 12)
    assert dec.direct_cost == D("0.00") and dec.put_right_value == D("30.00")
    assert ("pencil", "Put right: a personal trainer session on 5 November was a mistake: you got £30.00 back.",
            "Why: The gym refunded the session.") in dec.easy_lines()


# --- the costed plan uses the time bands and the allocation ------------------------------------------------------

def test_four_hours_after_eleven_at_twenty_one_pounds_cost_126_and_six_standard_hours(sally):
    line = PlanLine.objects.create(fund=sally, what="Dancing after 11 pm", when="Fridays", hours_per_week=D("4"),
                                   rate=D("21.00"), band="after 11 pm")
    assert (line.weekly_cost, line.standard_hours) == (D("126.00"), D("6.00"))
    assert line.explain() == "4 hours after 11 pm × £21.00 × 1.5 = £126.00; they use 6 standard hours."
    PlanLine.objects.create(fund=sally, what="Roxy", when="Fridays", hours_per_week=D("2"), rate=D("21.00"))
    totals = s.plan_totals(sally)
    assert (totals["hours"], totals["cost"], totals["hours_left"]) == (D("8.00"), D("168.00"), D("16.00"))
    assert totals["warnings"] == []


def test_a_hundred_hour_plan_line_on_a_twenty_four_hour_fund_is_refused_on_its_field(client, sally, manager):
    client.force_login(manager)
    url = reverse("providers:plan_line_new", args=[sally.pk])
    page = client.post(url, {"what": "Everything", "when": "Always", "hours_per_week": "100", "rate": "21",
                             "band": ""})
    assert page.status_code == 200 and not sally.plan_lines.exists()
    html = page.content.decode()
    message = ("Hours a week: this line uses 100 standard hours a week, but only 24 hours of the fund&#x27;s "
               "24 hours a week are not planned yet.")
    assert message in html and 'href="#id_hours_per_week"' in html
    assert client.post(url, {"what": "Late", "when": "Fri", "hours_per_week": "16", "rate": "21",
                             "band": "after 11 pm"}).status_code == 302  # 16 × 1.5 = 24: fits exactly
    assert client.post(url, {"what": "One more", "when": "Sat", "hours_per_week": "1", "rate": "21",
                             "band": ""}).status_code == 200
    assert list(sally.plan_lines.values_list("what", flat=True)) == ["Late"]
    sally.weekly_hours = D("20")  # the allocation went down: the fund page warns
    sally.save()
    fund_page = client.get(sally.get_absolute_url()).content.decode()
    assert "The plan uses 24 standard hours a week, 4 hours more than the 20 hours of the allocation." in fund_page


# --- the demo: Sally's own £15 a week pays no payroll charge ----------------------------------------------------

def test_in_the_demo_no_ones_own_money_pays_management_and_no_easy_read_shows_a_negative(db):
    from goldenthread.demo.providers import load_providers_demo

    load_providers_demo()
    for fund in Fund.objects.all():
        assert fund.balances()["money"] >= 0
        for year, month in ((2026, 10), (2026, 11)):
            st_ = monthly_statement(fund, year, month)
            assert not NEGATIVE.search(_easy_text(st_)), (fund, month, _easy_text(st_))
            assert st_.direct_cost >= 0 and st_.management_cost >= 0
    sally = Fund.objects.get(name="Sally's fund")
    assert sally.balances()["money"] == D("111.00")  # 9 weeks × £15 - a £24 ticket; the £96 payroll is apart
    assert sally.management_balance() == D("12.00")  # 9 × £12 declared - £96
