"""Every providers page, for each role: managers of the service, administrators, the person, and everyone else."""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from goldenthread.providers import services as s
from goldenthread.providers.models import Doughnut, FlexRule, LedgerEntry, RuleKind, StaffMember, Wishes
from goldenthread.core import roles


@pytest.fixture
def setup(people, make_fund, manager, make_user, service):
    from django.contrib.auth.models import User

    sally = people["Sally"]
    fund = make_fund(sally, weekly_hours=D("24"), weekly_money=D("5"))
    FlexRule.objects.create(fund=fund, kind=RuleKind.TIME_BAND, name="after 11 pm", multiplier=D("1.5"))
    s.credit_week(fund, dt.date(2026, 11, 2), manager)
    entry = s.record_delivery(fund, dt.date(2026, 11, 3), "4", by=manager, band="after 11 pm",
                              description="=HYPERLINK(\"x\")")
    shared = make_fund(name="Elm Road", weekly_hours=D("210"))
    shared.shared_by.set([people["Paul"], people["Ade"]])
    Wishes.objects.create(person=sally, must_have_skills="first aid", interests="dancing", hours_needed=D("10"))
    staff = StaffMember.objects.create(service=service, name="Amira", skills="first aid", interests="dancing",
                               hours_available=D("20"))
    doughnut = Doughnut.objects.create(person=sally, role="Personal assistant", core="Keep Sally safe",
                                       judgement="Which songs", not_our_job="Her money")
    person_user = User.objects.create_user("sally", password="a-long-pass-phrase")
    sally.people.add(person_user)
    other = User.objects.create_user("stranger", password="a-long-pass-phrase")
    admin = make_user(roles.ADMINISTRATOR, "admin")
    viewer = make_user(roles.VIEWER, "viewer")
    other_manager = make_user(roles.PROVIDER_MANAGER, "other-manager")
    return {"fund": fund, "entry": entry, "shared": shared, "sally": sally, "doughnut": doughnut, "staff": staff,
            "users": {"manager": manager, "admin": admin, "person": person_user, "stranger": other,
                      "viewer": viewer, "other_manager": other_manager}, "service": service}


def read_pages(x):
    f, p = x["fund"], x["sally"]
    return [reverse("providers:person", args=[p.pk]), reverse("providers:fund", args=[f.pk]),
            reverse("providers:statement", args=[f.pk, 2026, 11]),
            reverse("providers:easy_statement", args=[f.pk, 2026, 11]),
            reverse("providers:statement_pdf", args=[f.pk, 2026, 11]),
            reverse("providers:easy_statement_pdf", args=[f.pk, 2026, 11]),
            reverse("providers:fund_export", args=[f.pk, "csv"]), reverse("providers:fund_export", args=[f.pk, "xlsx"]),
            reverse("providers:job_spec", args=[p.pk, x["doughnut"].pk]),
            reverse("providers:statement_json", args=[f.pk, 2026, 11])]


def manage_pages(x):
    f, p = x["fund"], x["sally"]
    return [reverse("providers:record", args=[f.pk]), reverse("providers:correct", args=[f.pk, x["entry"].pk]),
            reverse("providers:plan_line_new", args=[f.pk]), reverse("providers:redivide", args=[x["shared"].pk]),
            reverse("providers:matching", args=[p.pk]), reverse("providers:team", args=[x["service"].pk]),
            reverse("providers:four_plus_one_new", args=[p.pk]), reverse("providers:learning_log_new", args=[p.pk]),
            reverse("providers:doughnut_new", args=[p.pk]), reverse("providers:wishes", args=[p.pk]),
            reverse("providers:staff_new", args=[x["service"].pk]),
            reverse("providers:staff_edit", args=[x["service"].pk, x["staff"].pk])]


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_managers_of_the_service_and_administrators_open_every_page(client, setup, who):
    client.force_login(setup["users"][who])
    for url in read_pages(setup) + manage_pages(setup) + [reverse("providers:index")]:
        assert client.get(url).status_code == 200, url


def test_the_person_reads_their_own_fund_but_changes_nothing(client, setup):
    client.force_login(setup["users"]["person"])
    for url in read_pages(setup):
        assert client.get(url).status_code == 200, url
    for url in manage_pages(setup):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("providers:fund", args=[setup["shared"].pk])).status_code == 403
    index = client.get(reverse("providers:index")).content.decode()
    assert "Sally" in index and "Elm Road" not in index


@pytest.mark.parametrize("who", ["stranger", "viewer", "other_manager"])
def test_everyone_else_is_refused(client, setup, who):
    client.force_login(setup["users"][who])
    for url in read_pages(setup) + manage_pages(setup):
        assert client.get(url).status_code == 403, (who, url)
    assert client.get(reverse("providers:funds_export", args=["csv"])).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, setup):
    response = client.get(reverse("providers:fund", args=[setup["fund"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_recording_a_late_night_shows_the_conversion(client, setup):
    client.force_login(setup["users"]["manager"])
    f = setup["fund"]
    response = client.post(reverse("providers:record", args=[f.pk]), {
        "kind": "delivered", "occurred_on": "2026-11-06", "hours": "2", "band": "after 11 pm",
        "description": "Dancing", "with_whom": "Eve"})
    assert response.status_code == 302
    page = client.get(reverse("providers:statement", args=[f.pk, 2026, 11])).content.decode()
    assert "2 hours after 11 pm at time and a half use 3 standard hours (2 × 1.5 = 3)." in page
    assert LedgerEntry.objects.filter(fund=f).count() == 3


def test_an_overspend_is_refused_with_an_error_summary(client, setup):
    client.force_login(setup["users"]["manager"])
    response = client.post(reverse("providers:record", args=[setup["fund"].pk]), {
        "kind": "delivered", "occurred_on": "2026-11-06", "hours": "40"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "Not enough hours" in page
    missing = client.post(reverse("providers:record", args=[setup["fund"].pk]), {"kind": "purchase",
                                                                                 "occurred_on": "2026-11-06"})
    assert 'href="#id_amount"' in missing.content.decode()


def test_a_correction_through_the_page_keeps_the_original(client, setup):
    client.force_login(setup["users"]["manager"])
    f, e = setup["fund"], setup["entry"]
    client.post(reverse("providers:correct", args=[f.pk, e.pk]), {"reason": "Wrong day"})
    assert LedgerEntry.objects.filter(corrects=e).exists() and LedgerEntry.objects.filter(pk=e.pk).exists()
    assert f.balances()["hours"] == D("24.00")


def test_redividing_through_the_page_keeps_the_total(client, setup):
    client.force_login(setup["users"]["manager"])
    shared, paul = setup["shared"], setup["shared"].shared_by.get(name="Paul")
    response = client.post(reverse("providers:redivide", args=[shared.pk]), {
        "effective_from": "2026-11-01", "reason": "Own home", f"share_{paul.pk}": "30"})
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.weekly_hours == D("180.00") and paul.funds.get().weekly_hours == D("30.00")


def test_exports_neutralise_formulas(client, setup):
    client.force_login(setup["users"]["manager"])
    body = client.get(reverse("providers:fund_export", args=[setup["fund"].pk, "csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body
    assert ",-6.00," in body  # numbers stay numbers


def test_the_matching_page_explains_the_ranking_and_the_team_page_proposes(client, setup):
    client.force_login(setup["users"]["manager"])
    page = client.get(reverse("providers:matching", args=[setup["sally"].pk])).content.decode()
    assert "has every must-have: first aid; shares 1 interest: dancing" in page
    team = client.get(reverse("providers:team", args=[setup["service"].pk])).content.decode()
    assert "Amira</strong>, 10 hours a week" in team


def test_one_unmeetable_must_have_is_flagged_and_everyone_else_still_gets_a_team(client, setup):
    paul = setup["shared"].shared_by.get(name="Paul")
    Wishes.objects.create(person=paul, must_have_skills="British Sign Language", hours_needed=D("5"))
    client.force_login(setup["users"]["manager"])
    team = client.get(reverse("providers:team", args=[setup["service"].pk])).content.decode()
    assert "1 person could not be given a team" in team
    assert "Paul: no staff member has British Sign Language, which is a must-have." in team
    assert "Amira</strong>, 10 hours a week" in team  # Sally's team is still proposed
    assert reverse("providers:matching", args=[paul.pk]) in team


def test_when_no_one_fits_the_page_names_the_missing_must_haves_and_leads_to_recruiting(client, setup):
    client.force_login(setup["users"]["manager"])
    sally = setup["sally"]
    client.post(reverse("providers:wishes", args=[sally.pk]), {
        "must_have_skills": ["first aid", "Makaton"], "languages": ["Polish"], "interests": "Dancing",
        "hours_needed": "10", "min_team": "1"})
    page = client.get(reverse("providers:matching", args=[sally.pk])).content.decode()
    assert "No one fits yet" in page
    summary = page[page.index("Nobody on the staff has"):page.index("To recruit")]
    assert "<li>Makaton</li>" in summary and "<li>speaks Polish</li>" in summary and "first aid" not in summary
    assert reverse("providers:job_spec", args=[sally.pk, setup["doughnut"].pk]) in page
    assert "<strong>Amira</strong>: cannot be matched: does not have Makaton and does not speak Polish" in page


def test_skills_and_times_are_ticked_from_lists_and_match_however_they_were_typed(client, setup):
    client.force_login(setup["users"]["manager"])
    form = client.get(reverse("providers:staff_new", args=[setup["service"].pk])).content.decode()
    assert 'name="times_available" class="govuk-checkboxes__input" value="after 11 pm"' in form
    assert 'name="languages" class="govuk-checkboxes__input" value="British Sign Language"' in form
    client.post(reverse("providers:staff_new", args=[setup["service"].pk]), {
        "name": "Eve Tran", "skills": ["First Aid"], "times_available": ["After 11pm"], "hours_available": "16"})
    eve = StaffMember.objects.get(name="Eve Tran")
    assert eve.skills == "first aid" and eve.times_available == "after 11 pm"
    client.post(reverse("providers:wishes", args=[setup["sally"].pk]), {
        "must_have_skills": ["first aid"], "times_needed": ["after 11 pm"], "hours_needed": "10", "min_team": "1"})
    page = client.get(reverse("providers:matching", args=[setup["sally"].pk])).content.decode()
    assert "<strong>Eve Tran</strong> (score 2): has every must-have: first aid; available after 11 pm" in page


def test_team_notes_are_recorded_against_the_person(client, setup):
    client.force_login(setup["users"]["manager"])
    p = setup["sally"]
    client.post(reverse("providers:four_plus_one_new", args=[p.pk]), {
        "held_on": "2026-11-20", "tried": "Roxy", "learned": "Early is better", "pleased": "New friends",
        "concerned": "Last bus", "next_steps": "Ask Eve"})
    page = client.get(reverse("providers:person", args=[p.pk])).content.decode()
    assert "Early is better" in page and "Ask Eve" in page
    spec = client.get(reverse("providers:job_spec", args=[p.pk, setup["doughnut"].pk])).content.decode()
    assert "Keep Sally safe" in spec and "first aid" in spec


def test_ledger_changes_are_audited(setup):
    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(setup["entry"]).exists()


def test_the_statement_is_json_too(client, setup):
    client.force_login(setup["users"]["person"])
    data = client.get(reverse("providers:statement_json", args=[setup["fund"].pk, 2026, 11])).json()
    assert data["closing"] == {"hours": "18.00", "money": "5.00", "bank": "0.00"}
    assert data["lines"][1]["explanation"] == ("4 hours after 11 pm at time and a half use 6 standard hours "
                                               "(4 × 1.5 = 6).")


def test_wishes_written_on_the_page_drive_the_ranking(client, setup):
    client.force_login(setup["users"]["manager"])
    p = setup["sally"]
    response = client.post(reverse("providers:wishes", args=[p.pk]), {
        "must_have_skills": "first aid", "interests": "dancing\ncooking", "hours_needed": "12", "min_team": "1"})
    assert response.status_code == 302
    client.post(reverse("providers:staff_new", args=[setup["service"].pk]), {
        "name": "Eve", "skills": "first aid", "interests": "cooking\ndancing", "hours_available": "16"})
    page = client.get(reverse("providers:matching", args=[p.pk])).content.decode()
    assert page.index("Eve") < page.index("Amira")
    assert "shares 2 interests: cooking, dancing" in page


def test_the_ledger_is_read_only_in_the_admin(client, setup):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", password="a-long-pass-phrase"))
    entry = setup["entry"]
    assert client.get(f"/admin/providers/ledgerentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/providers/ledgerentry/add/").status_code == 403
    assert client.post(f"/admin/providers/ledgerentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_the_spreadsheet_has_funds_ledger_and_plans_with_numbers_as_numbers(client, setup):
    import io

    from openpyxl import load_workbook

    client.force_login(setup["users"]["manager"])
    data = client.get(reverse("providers:funds_export", args=["xlsx"])).content
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Funds", "Ledger", "Support plans"]
    ledger = list(wb["Ledger"].values)
    assert ledger[0][:3] == ("fund", "date", "kind")
    delivered = [r for r in ledger if r[2] == "delivered"][0]
    assert delivered[6] == -6 and delivered[4] == "'=HYPERLINK(\"x\")"


def test_the_profile_the_person_shared_feeds_the_person_page_the_plan_and_the_job_specification(client, setup):
    from goldenthread.reviews.models import OnePageProfile

    sally = setup["sally"]
    profile = OnePageProfile.objects.create(
        person_ref=sally.ref, name="Sally", appreciate="Funny", important="Dancing on Fridays",
        support="Let me choose the music\nMeet me at the door", service=setup["service"], shared_with_supporters=True)
    client.force_login(setup["users"]["manager"])
    person = client.get(reverse("providers:person", args=[sally.pk])).content.decode()
    assert "Let me choose the music" in person and profile.get_absolute_url() in person
    fund = client.get(reverse("providers:fund", args=[setup["fund"].pk])).content.decode()
    assert "How best to support Sally, from their one-page profile" in fund and "Meet me at the door" in fund
    spec_url = reverse("providers:job_spec", args=[sally.pk, setup["doughnut"].pk])
    spec = client.get(spec_url).content.decode()
    assert "How best to support Sally, in their own words" in spec and "Meet me at the door" in spec
    pdf = client.get(reverse("providers:job_spec_pdf", args=[sally.pk, setup["doughnut"].pk]))
    from pypdf import PdfReader
    import io

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "How best to support Sally, in their own words" in text and "Let me choose the music" in text
    # Not shared with the service: none of it appears.
    OnePageProfile.objects.filter(pk=profile.pk).update(shared_with_supporters=False)
    assert "Meet me at the door" not in client.get(spec_url).content.decode()
    assert "Meet me at the door" not in client.get(reverse("providers:person", args=[sally.pk])).content.decode()
