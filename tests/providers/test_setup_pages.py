"""The pages that set people, funds, rules and accounts up (they were in the admin only), and person accounts.

For each page: who may open it (the service's provider manager, administrators)
and who is refused (the person's own account, another person's account, a
stranger, a Viewer, a manager of another service); bad input named per field;
and every change written to the audit log with who made it.
"""
import datetime as dt
import io
from html import unescape
from decimal import Decimal as D

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.providers import services as s
from goldenthread.providers.models import (
    Doughnut,
    FlexRule,
    FourPlusOne,
    Fund,
    LearningLog,
    PlanLine,
    RuleKind,
    SupportedPerson,
    is_person_account,
)

PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def x(people, make_fund, manager, make_user, service):
    from django.contrib.auth.models import User

    from goldenthread.core.models import Service, StaffProfile

    sally, brian = people["Sally"], people["Brian"]
    fund = make_fund(sally, weekly_hours=D("24"))
    FlexRule.objects.create(fund=fund, kind=RuleKind.TIME_BAND, name="after 11 pm", multiplier=D("1.5"))
    brians = make_fund(brian, weekly_hours=D("35"))
    line = PlanLine.objects.create(fund=fund, what="Dancing", when="Fridays", hours_per_week=D("4"), rate=D("20"))
    four = FourPlusOne.objects.create(person=sally, held_on=dt.date(2026, 11, 5), tried="Salsa", learned="Loves it",
                                      pleased="Made a friend", concerned="Late buses", next_steps="Taxi home",
                                      recorded_by=manager)
    log = LearningLog.objects.create(person=sally, happened_on=dt.date(2026, 11, 6), activity="Cinema",
                                     went_well="The film")
    doughnut = Doughnut.objects.create(person=sally, role="Personal assistant", core="Keep Sally safe\nBe on time",
                                       judgement="Which songs to play", not_our_job="Her money")
    person_user = User.objects.create_user("sally", password=PASSWORD)
    sally.people.add(person_user)
    brian_user = User.objects.create_user("brian", password=PASSWORD)
    brian.people.add(brian_user)
    other_service = Service.objects.create(name="Elsewhere Care")
    other_manager = make_user(roles.PROVIDER_MANAGER, "other-manager")
    StaffProfile.objects.create(user=other_manager).services.add(other_service)
    return {"sally": sally, "brian": brian, "fund": fund, "brians": brians, "line": line, "four": four, "log": log,
            "doughnut": doughnut, "service": service, "other_service": other_service,
            "users": {"manager": manager, "admin": make_user(roles.ADMINISTRATOR, "admin"), "person": person_user,
                      "brian": brian_user, "stranger": User.objects.create_user("stranger", password=PASSWORD),
                      "viewer": make_user(roles.VIEWER, "viewer"), "other_manager": other_manager}}


def manage_pages(x):
    p, f = x["sally"], x["fund"]
    band = f.flex_rules.get(kind=RuleKind.TIME_BAND)
    return [reverse("providers:person_edit", args=[p.pk]), reverse("providers:fund_new", args=[p.pk]),
            reverse("providers:accounts", args=[p.pk]), reverse("providers:rules", args=[f.pk]),
            reverse("providers:band_new", args=[f.pk]), reverse("providers:band_edit", args=[f.pk, band.pk]),
            reverse("providers:allocation", args=[f.pk]),
            reverse("providers:plan_line_edit", args=[f.pk, x["line"].pk]),
            reverse("providers:four_plus_one_edit", args=[p.pk, x["four"].pk]),
            reverse("providers:learning_log_edit", args=[p.pk, x["log"].pk]),
            reverse("providers:doughnut_edit", args=[p.pk, x["doughnut"].pk])]


def changes(obj):
    return LogEntry.objects.get_for_object(obj)


# --- who may open what --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["manager", "admin"])
def test_the_services_manager_and_administrators_open_every_new_page(client, x, who):
    client.force_login(x["users"][who])
    for url in manage_pages(x) + [reverse("providers:person_new"),
                                  reverse("providers:job_spec_pdf", args=[x["sally"].pk, x["doughnut"].pk])]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["person", "brian", "stranger", "viewer", "other_manager"])
def test_everyone_else_is_refused_every_new_page(client, x, who):
    client.force_login(x["users"][who])
    for url in manage_pages(x):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    line = x["line"]
    assert client.post(reverse("providers:plan_line_remove", args=[x["fund"].pk, line.pk])).status_code == 403
    assert PlanLine.objects.filter(pk=line.pk).exists()


@pytest.mark.parametrize("who", ["person", "brian", "stranger", "viewer"])
def test_only_managers_and_administrators_may_add_a_person(client, x, who):
    client.force_login(x["users"][who])
    assert client.get(reverse("providers:person_new")).status_code == 403
    assert client.post(reverse("providers:person_new"),
                       {"name": "Zed", "ref": "P-99", "service": x["service"].pk}).status_code == 403
    assert not SupportedPerson.objects.filter(ref="P-99").exists()


def test_a_manager_cannot_add_a_person_to_a_service_they_do_not_manage(client, x):
    client.force_login(x["users"]["other_manager"])
    page = client.post(reverse("providers:person_new"), {"name": "Zed", "ref": "P-99", "service": x["service"].pk})
    assert page.status_code == 200
    assert "Choose one of the services you manage" in unescape(page.content.decode())
    assert not SupportedPerson.objects.filter(ref="P-99").exists()


def test_the_job_specification_pdf_is_for_the_person_and_their_managers_only(client, x):
    from pypdf import PdfReader

    url = reverse("providers:job_spec_pdf", args=[x["sally"].pk, x["doughnut"].pk])
    client.force_login(x["users"]["person"])
    got = client.get(url)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(got.content)).pages).split())
    for words in ["Personal assistant, supporting Sally", "Keep Sally safe", "Be on time", "Which songs to play",
                  "Her money", "Dancing (Fridays)", "Not your job"]:
        assert words in text, words
    for who in ["brian", "stranger", "other_manager"]:
        client.force_login(x["users"][who])
        assert client.get(url).status_code == 403, who


# --- person and family accounts -----------------------------------------------------------------------------------

def test_a_person_account_lands_on_the_easy_read_statement_of_its_fund_after_signing_in(client, x):
    page = client.post(reverse("login"), {"username": "sally", "password": PASSWORD}, follow=True)
    landing = reverse("providers:easy_statement", args=[x["fund"].pk, *x["fund"].latest_month()])
    assert page.redirect_chain[-1][0] == landing
    html = unescape(page.content.decode())
    assert "Sally: your support in" in html and "Sign out" in html
    full = reverse("providers:statement", args=[x["fund"].pk, *x["fund"].latest_month()])
    assert f'href="{full}"' in html and f'href="{x["fund"].get_absolute_url()}"' in html  # a link away
    assert ">Cycles<" not in html and ">People<" not in html


def test_a_person_account_sees_nothing_but_their_own_fund_and_plan(client, x):
    client.force_login(x["users"]["person"])
    assert client.get("/").url == reverse("providers:easy_statement", args=[x["fund"].pk, *x["fund"].latest_month()])
    for url in [reverse("people"), reverse("admin:index"), "/api/v1/cycles"]:
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("providers:fund", args=[x["brians"].pk])).status_code == 403
    assert client.get(reverse("providers:person", args=[x["brian"].pk])).status_code == 403
    assert client.get(reverse("providers:person", args=[x["sally"].pk])).status_code == 200
    assert client.get(reverse("providers:fund_export", args=[x["brians"].pk, "csv"])).status_code == 403


def test_a_person_with_two_funds_lands_on_the_list_of_them(client, x, make_fund):
    make_fund(x["sally"], name="Sally's holiday fund", weekly_hours=D("2"))
    client.force_login(x["users"]["person"])
    assert client.get("/").url == reverse("providers:index")
    html = unescape(client.get(reverse("providers:index")).content.decode())
    assert "Sally's holiday fund" in html and "Brian" not in html


@pytest.mark.parametrize("who", ["manager", "admin", "viewer", "stranger"])
def test_staff_and_other_accounts_are_unaffected(client, x, who):
    user = x["users"][who]
    x["sally"].people.add(user)  # even a staff account linked to a person stays a staff account
    assert is_person_account(user) is (who == "stranger")
    if who == "stranger":
        return
    page = client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True)
    assert page.redirect_chain[-1][0] == reverse("home")
    assert ">Cycles<" in page.content.decode()


def test_an_account_linked_to_no_one_is_not_a_person_account(x):
    assert not is_person_account(x["users"]["stranger"])
    assert is_person_account(x["users"]["person"]) and is_person_account(x["users"]["brian"])


# --- adding a person, opening a fund ------------------------------------------------------------------------------

def test_a_manager_adds_a_person_and_it_is_audited(client, x):
    client.force_login(x["users"]["manager"])
    page = client.post(reverse("providers:person_new"), {"name": "Zed", "ref": " P-99 ", "service": x["service"].pk})
    zed = SupportedPerson.objects.get(ref="P-99")
    assert page.url == zed.get_absolute_url() and zed.service == x["service"]
    assert changes(zed).get().actor == x["users"]["manager"]


def test_a_person_reference_must_be_unique_and_is_named(client, x):
    client.force_login(x["users"]["manager"])
    page = client.post(reverse("providers:person_new"), {"name": "", "ref": "p-0", "service": x["service"].pk})
    html = unescape(page.content.decode())
    assert "There is a problem" in html
    assert "Person reference is already used by someone else" in html and 'href="#id_ref"' in html
    assert "Enter name" in html and 'href="#id_name"' in html


def test_opening_a_fund_keeps_exact_decimals_and_is_audited(client, x):
    client.force_login(x["users"]["manager"])
    page = client.post(reverse("providers:fund_new", args=[x["brian"].pk]), {
        "name": "Brian's second fund", "weekly_hours": "7.25", "weekly_money": "12.50", "hourly_rate": "18.50",
        "starts_on": "2026-12-07"})
    fund = Fund.objects.get(name="Brian's second fund")
    assert page.url == fund.get_absolute_url()
    assert (fund.person, fund.service, fund.weekly_hours, fund.weekly_money, fund.hourly_rate) == \
        (x["brian"], x["service"], D("7.25"), D("12.50"), D("18.50"))
    assert changes(fund).get().actor == x["users"]["manager"]


@pytest.mark.parametrize("field, value, message", [
    ("weekly_hours", "-3", "Standard hours a week must be 0 or more"),
    ("weekly_hours", "100000", "Standard hours a week must be 500 or less"),
    ("weekly_hours", "twenty", "Standard hours a week must be a number, like 24 or 7.5"),
    ("weekly_hours", "NaN", "Standard hours a week must be a number, like 24 or 7.5"),
    ("weekly_hours", "1.234", "Standard hours a week can have at most 2 decimal places"),
    ("weekly_money", "-0.01", "Money a week in pounds must be £0 or more"),
    ("weekly_money", "1e9", "Money a week in pounds must be £10,000 or less"),
    ("hourly_rate", "", "Enter the rate for an hour of support"),
    ("hourly_rate", "999", "Rate for an hour of support must be £500 or less"),
    ("name", "x" * 161, "Name of the fund must be 160 characters or fewer"),
    ("starts_on", "31/02/2026", "Starts on"),
])
def test_bad_fund_numbers_are_named_per_field(client, x, field, value, message):
    client.force_login(x["users"]["manager"])
    data = {"name": "New", "weekly_hours": "10", "weekly_money": "", "hourly_rate": "20", "starts_on": "2026-12-07"}
    page = client.post(reverse("providers:fund_new", args=[x["brian"].pk]), {**data, field: value})
    html = unescape(page.content.decode())
    assert page.status_code == 200 and "There is a problem" in html
    first_box = "_0" if field == "starts_on" else ""  # a date links to its day box
    assert message in html and f'href="#id_{field}{first_box}"' in html
    assert not Fund.objects.filter(name="New").exists()


def test_a_fund_needs_hours_or_money(client, x):
    client.force_login(x["users"]["manager"])
    page = client.post(reverse("providers:fund_new", args=[x["brian"].pk]),
                       {"name": "Empty", "weekly_hours": "0", "weekly_money": "", "hourly_rate": "",
                        "starts_on": "2026-12-07"})
    assert "Enter standard hours a week, money a week, or both" in unescape(page.content.decode())


def test_changing_the_allocation_keeps_the_history(client, x):
    client.force_login(x["users"]["manager"])
    fund = x["fund"]
    client.post(reverse("providers:allocation", args=[fund.pk]),
                {"effective_from": "2026-12-07", "weekly_hours": "30", "weekly_money": "", "reason": "More support"})
    fund.refresh_from_db()
    assert fund.weekly_hours == D("30.00")
    assert fund.allocation_changes.get().reason == "More support"


# --- flexible-hours rules -----------------------------------------------------------------------------------------

def test_banking_and_conversion_are_set_on_the_rules_page_and_audited(client, x):
    client.force_login(x["users"]["manager"])
    fund = x["fund"]
    page = client.post(reverse("providers:rules", args=[fund.pk]), {
        "banking": "on", "bank_limit": "40", "conversion": "on", "conversion_rate": "18.50",
        "conversion_limit": "10"})
    assert page.status_code == 302
    bank = fund.flex_rules.get(kind=RuleKind.BANKING, active=True)
    convert = fund.flex_rules.get(kind=RuleKind.CONVERSION, active=True)
    assert (bank.limit_hours, convert.rate, convert.limit_hours) == (D("40"), D("18.50"), D("10"))
    assert changes(bank).get().actor == x["users"]["manager"]
    html = unescape(client.get(reverse("providers:fund", args=[fund.pk])).content.decode())
    assert "unused hours go to the bank, which holds at most 40 hours" in html and "£18.50 an hour" in html
    # Switching conversion off keeps the rule (inactive) and logs the change.
    client.post(reverse("providers:rules", args=[fund.pk]), {"banking": "on", "bank_limit": "40"})
    convert.refresh_from_db()
    assert convert.active is False and changes(convert).count() == 2


def test_banking_cannot_be_switched_off_with_hours_in_the_bank(client, x):
    fund, manager = x["fund"], x["users"]["manager"]
    FlexRule.objects.create(fund=fund, kind=RuleKind.BANKING, limit_hours=D("40"))
    s.credit_week(fund, dt.date(2026, 11, 2), manager)
    s.bank_hours(fund, dt.date(2026, 11, 8), "5", by=manager)
    client.force_login(manager)
    html = unescape(client.post(reverse("providers:rules", args=[fund.pk]), {}).content.decode())
    assert "There is a problem" in html and "The bank still holds 5 hours" in html
    assert fund.flex_rules.get(kind=RuleKind.BANKING).active


@pytest.mark.parametrize("data, field, message", [
    ({"conversion": "on", "conversion_rate": ""}, "conversion_rate", "Enter the money for one unused hour"),
    ({"conversion": "on", "conversion_rate": "0"}, "conversion_rate",
     "Money for one unused hour must be more than £0"),
    ({"banking": "on", "bank_limit": "-5"}, "bank_limit", "Most hours the bank may hold must be more than 0"),
    ({"banking": "on", "bank_limit": "99999"}, "bank_limit", "Most hours the bank may hold must be 2,000 or less"),
    ({"conversion": "on", "conversion_rate": "10", "conversion_limit": "800"}, "conversion_limit",
     "Most hours turned into money in a month must be 744 or less"),
])
def test_bad_rules_are_named_per_field(client, x, data, field, message):
    client.force_login(x["users"]["manager"])
    html = unescape(client.post(reverse("providers:rules", args=[x["fund"].pk]), data).content.decode())
    first_box = "_0" if field == "starts_on" else ""  # a date links to its day box
    assert message in html and f'href="#id_{field}{first_box}"' in html
    assert not x["fund"].flex_rules.exclude(kind=RuleKind.TIME_BAND).exists()


def test_time_bands_are_added_changed_and_checked(client, x):
    client.force_login(x["users"]["manager"])
    fund = x["fund"]
    assert client.post(reverse("providers:band_new", args=[fund.pk]),
                       {"name": "bank holidays", "multiplier": "2", "active": "on"}).status_code == 302
    band = fund.flex_rules.get(name="bank holidays")
    assert band.multiplier == D("2") and changes(band).get().actor == x["users"]["manager"]
    for data, message in [({"name": "After 11 PM", "multiplier": "1.5"}, "already has a band called"),
                          ({"name": "weekends", "multiplier": "0"}, "Multiplier must be more than 0"),
                          ({"name": "weekends", "multiplier": "7"}, "Multiplier must be 5 or less"),
                          ({"name": "", "multiplier": "1.5"}, "Enter when the band applies")]:
        html = unescape(client.post(reverse("providers:band_new", args=[fund.pk]), data).content.decode())
        assert "There is a problem" in html and message in html, message
    client.post(reverse("providers:band_edit", args=[fund.pk, band.pk]),
                {"name": "bank holidays", "multiplier": "1.75"})
    band.refresh_from_db()
    assert band.multiplier == D("1.75") and band.active is False  # unticked: no longer in use
    assert changes(band).count() == 2


def test_a_band_of_another_fund_cannot_be_changed_through_this_one(client, x):
    other = FlexRule.objects.create(fund=x["brians"], kind=RuleKind.TIME_BAND, name="nights", multiplier=D("1.2"))
    url = reverse("providers:band_edit", args=[x["fund"].pk, other.pk])
    before = list(FlexRule.objects.order_by("pk").values()), LogEntry.objects.count()
    client.force_login(x["users"]["manager"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "weekends", "multiplier": "3", "active": "on"}).status_code == 404
    other.refresh_from_db()
    assert (other.fund, other.name, other.multiplier) == (x["brians"], "nights", D("1.2"))
    assert (list(FlexRule.objects.order_by("pk").values()), LogEntry.objects.count()) == before


# --- linking accounts ---------------------------------------------------------------------------------------------

def test_linking_a_family_account_lets_it_read_the_fund_only(client, x):
    from django.contrib.auth.models import User

    mum = User.objects.create_user("sallys-mum", password=PASSWORD)
    client.force_login(x["users"]["manager"])
    page = client.post(reverse("providers:accounts", args=[x["sally"].pk]), {"username": "sallys-mum"})
    assert page.status_code == 302 and x["sally"].people.filter(pk=mum.pk).exists()
    entry = changes(x["sally"]).latest("timestamp")
    assert entry.actor == x["users"]["manager"] and "people" in entry.changes_dict
    client.force_login(mum)
    assert client.get(reverse("providers:fund", args=[x["fund"].pk])).status_code == 200
    assert client.get(reverse("providers:record", args=[x["fund"].pk])).status_code == 403
    assert client.get(reverse("providers:fund", args=[x["brians"].pk])).status_code == 403
    client.force_login(x["users"]["manager"])
    assert client.post(reverse("providers:account_unlink", args=[x["sally"].pk, mum.pk])).status_code == 302
    client.force_login(mum)   # her only link is gone, so her account is switched off: no fund, no session
    page = client.get(reverse("providers:fund", args=[x["fund"].pk]))
    assert page.status_code == 302 and page.url.startswith(reverse("login"))


@pytest.mark.parametrize("username, message", [
    ("nobody", "There is no active account with the username “nobody”"),
    ("viewer", "“viewer” is a staff account"),
    ("sally", "“sally” is already linked to Sally"),
    ("", "Enter the username of the person's or family member's account"),
])
def test_bad_account_links_are_named(client, x, username, message):
    client.force_login(x["users"]["manager"])
    page = client.post(reverse("providers:accounts", args=[x["sally"].pk]), {"username": username})
    html = unescape(page.content.decode())
    assert "There is a problem" in html and message in html and 'href="#id_username"' in html


def test_an_account_unlinked_from_its_only_person_is_switched_off(client, x):
    from django.contrib.auth.models import User

    mum = User.objects.create_user("sallys-mum", password=PASSWORD)
    x["sally"].people.add(mum)
    client.force_login(x["users"]["manager"])
    assert client.post(reverse("providers:account_unlink", args=[x["sally"].pk, mum.pk])).status_code == 302
    mum.refresh_from_db()
    assert not mum.is_active
    from django.test import Client

    her_phone = Client()
    page = her_phone.post(reverse("login"), {"username": "sallys-mum", "password": PASSWORD})
    assert page.status_code == 200 and "_auth_user_id" not in her_phone.session   # she cannot sign in any more


def test_an_account_still_linked_to_someone_else_stays_on_after_one_unlink(client, x):
    from django.contrib.auth.models import User

    aunt = User.objects.create_user("family-aunt", password=PASSWORD)
    x["sally"].people.add(aunt)
    x["brian"].people.add(aunt)
    client.force_login(x["users"]["manager"])
    assert client.post(reverse("providers:account_unlink", args=[x["sally"].pk, aunt.pk])).status_code == 302
    aunt.refresh_from_db()
    assert aunt.is_active and list(aunt.supported_as.all()) == [x["brian"]]


def test_unlinking_needs_a_post(client, x):
    client.force_login(x["users"]["manager"])
    url = reverse("providers:account_unlink", args=[x["sally"].pk, x["users"]["person"].pk])
    assert client.get(url).status_code == 405
    assert x["sally"].people.filter(username="sally").exists()


# --- the costed support plan and team notes -----------------------------------------------------------------------

def test_a_plan_line_is_changed_and_removed_and_both_are_audited(client, x):
    client.force_login(x["users"]["manager"])
    fund, line = x["fund"], x["line"]
    url = reverse("providers:plan_line_edit", args=[fund.pk, line.pk])
    page = client.post(url, {"what": "Salsa at the Roxy", "when": "Fridays", "with_whom": "Amira",
                             "hours_per_week": "2", "rate": "30", "band": "after 11 pm"})
    assert page.status_code == 302
    line.refresh_from_db()
    assert (line.what, line.hours_per_week, line.weekly_cost, line.band) == \
        ("Salsa at the Roxy", D("2"), D("90.00"), "after 11 pm")  # 2 h × £30 × 1.5, the band's multiplier
    assert client.get(url).status_code == 200
    assert client.post(reverse("providers:plan_line_remove", args=[fund.pk, line.pk])).status_code == 302
    assert not PlanLine.objects.filter(pk=line.pk).exists()
    assert [e.action for e in changes(line).order_by("timestamp")] == \
        [LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE]


@pytest.mark.parametrize("field, value, message", [
    ("hours_per_week", "169", "Hours a week must be 168 or less"),
    ("hours_per_week", "-1", "Hours a week must be 0 or more"),
    ("rate", "-5", "Rate in pounds must be £0 or more"),
    ("rate", "", "Enter the rate in pounds"),
    ("band", "weekends", "Select time band from the list"),
    ("what", "", "Enter what"),
    ("what", "y" * 201, "What must be 200 characters or fewer"),
])
def test_bad_plan_lines_are_named_per_field(client, x, field, value, message):
    client.force_login(x["users"]["manager"])
    data = {"what": "Gym", "when": "Mondays", "with_whom": "", "hours_per_week": "1", "rate": "20", "band": ""}
    page = client.post(reverse("providers:plan_line_new", args=[x["fund"].pk]), {**data, field: value})
    html = unescape(page.content.decode())
    assert "There is a problem" in html and message in html and f'href="#id_{field}"' in html
    assert not PlanLine.objects.filter(what="Gym").exists()


def test_team_notes_are_changed_after_adding_and_audited(client, x):
    client.force_login(x["users"]["admin"])
    p, four, log, d = x["sally"], x["four"], x["log"], x["doughnut"]
    client.post(reverse("providers:four_plus_one_edit", args=[p.pk, four.pk]), {
        "held_on": "2026-11-05", "tried": "Salsa and tango", "learned": "Loves it", "pleased": "Made a friend",
        "concerned": "Late buses", "next_steps": "Book a taxi"})
    four.refresh_from_db()
    assert four.tried == "Salsa and tango" and four.recorded_by == x["users"]["manager"]  # who first recorded it
    client.post(reverse("providers:learning_log_edit", args=[p.pk, log.pk]), {
        "happened_on": "2026-11-06", "activity": "Cinema", "went_well": "The film and popcorn"})
    client.post(reverse("providers:doughnut_edit", args=[p.pk, d.pk]), {
        "role": "Personal assistant", "core": "Keep Sally safe", "judgement": "Songs", "not_our_job": ""})
    log.refresh_from_db()
    d.refresh_from_db()
    assert log.went_well == "The film and popcorn" and d.judgement == "Songs"
    for obj in (four, log, d):
        assert changes(obj).get(action=LogEntry.Action.UPDATE).actor == x["users"]["admin"]
    html = unescape(client.get(reverse("providers:person", args=[p.pk])).content.decode())
    assert "Salsa and tango" in html and reverse("providers:four_plus_one_edit", args=[p.pk, four.pk]) in html


def test_overlong_or_missing_team_notes_are_named(client, x):
    client.force_login(x["users"]["manager"])
    p, four = x["sally"], x["four"]
    html = unescape(client.post(reverse("providers:four_plus_one_edit", args=[p.pk, four.pk]), {
        "held_on": "2026-11-05", "tried": "z" * 4001, "learned": "", "pleased": "a", "concerned": "b",
        "next_steps": "c"}).content.decode())
    assert "What have we tried? must be 4,000 characters or fewer" in html
    assert "Answer “What have we learned?”" in html and 'href="#id_learned"' in html
    four.refresh_from_db()
    assert four.tried == "Salsa"


def test_a_note_of_another_person_cannot_be_changed_through_this_one(client, x):
    other = FourPlusOne.objects.create(person=x["brian"], held_on=dt.date(2026, 11, 1), tried="a", learned="b",
                                       pleased="c", concerned="d", next_steps="e")
    url = reverse("providers:four_plus_one_edit", args=[x["sally"].pk, other.pk])
    before = list(FourPlusOne.objects.order_by("pk").values()), LogEntry.objects.count()
    client.force_login(x["users"]["manager"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"held_on": "2026-11-01", "tried": "Swimming", "learned": "b", "pleased": "c",
                             "concerned": "d", "next_steps": "e"}).status_code == 404
    other.refresh_from_db()
    assert (other.person, other.tried) == (x["brian"], "a")
    assert (list(FourPlusOne.objects.order_by("pk").values()), LogEntry.objects.count()) == before


def test_the_job_specification_pdf_prints_markup_as_text_and_runs_over_pages(x):
    from pypdf import PdfReader

    from goldenthread.providers.jobspec import job_spec_pdf, job_specification

    d = x["doughnut"]
    d.core = "\n".join(f"Duty {i} <b>&amp; not bold</b>" for i in range(60))
    d.save()
    pdf = PdfReader(io.BytesIO(job_spec_pdf(job_specification(x["sally"], d))))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) >= 2
    assert "Duty 59 <b>&amp; not bold</b>" in text and "The person we are looking for" in text
