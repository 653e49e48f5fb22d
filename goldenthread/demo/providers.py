"""Invented demo data for the providers' pages: funds for Sally, Paul, Brian and a shared tenancy, staff to match,
and team notes. Safe to run again (nothing is added twice).

The three stories follow the providers' guide: Sally's late nights out (time
and a half after 11 pm), Paul banking hours for travel after moving out of a
shared tenancy of four (210 hours a week re-divided into 30 + 180, a bank of at
most 20 hours), and Brian turning unused hours into money for the gym and
massages. Management and service costs are declared per fund (a fixed amount
a week, or a share) and kept apart from each person's money. All names invented.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.db import transaction

#: The person's own account: signs in to see their own fund and statements.
PERSON_ACCOUNTS = {"sally": "P-ISF-01", "paul": "P-ISF-02"}

STAFF = [
    ("Amira Khan", ["driving", "first aid"], ["calm", "chatty"], ["dancing", "football", "cooking"],
     ["after 11 pm", "weekends"], 30),
    ("Ben Ola", ["driving"], ["loud", "funny"], ["football", "gym"], ["weekdays"], 25),
    ("Cara Ellis", ["first aid", "travel planning"], ["calm", "patient"], ["travel", "trains", "cooking"],
     ["weekends", "weekdays"], 37.5),
    ("Dan Price", ["first aid"], ["patient", "funny"], ["gym", "computer games"], ["weekdays", "evenings"], 20),
    ("Eve Tran", ["driving", "first aid"], ["chatty"], ["dancing", "music"], ["after 11 pm", "evenings"], 16),
    ("Femi Cole", ["travel planning"], ["calm"], ["trains", "travel", "football"], ["weekends"], 24),
]

WISHES = {
    "P-ISF-01": dict(must_have_skills="first aid", wanted_characteristics="chatty\ncalm",
                     unwanted_characteristics="loud",
                     interests="dancing\nfootball\ncooking\nmusic", times_needed="after 11 pm\nweekends",
                     hours_needed=D("24"), min_team=2),
    "P-ISF-02": dict(must_have_skills="travel planning", wanted_skills="first aid", wanted_characteristics="patient",
                     interests="travel\ntrains", times_needed="weekends", hours_needed=D("30"), min_team=2),
    "P-ISF-03": dict(wanted_skills="driving", wanted_characteristics="funny", interests="gym\ncomputer games",
                     times_needed="weekdays", hours_needed=D("35"), min_team=2),
    # Dev signs: no one on the staff does yet, so his matching page says so and leads to recruiting.
    "P-ISF-06": dict(must_have_skills="first aid", interests="trains\ncooking",
                     languages="British Sign Language", times_needed="weekends", hours_needed=D("8"), min_team=1),
}
#: The languages each member of staff speaks.
STAFF_LANGUAGES = {"Amira Khan": "English\nUrdu", "Ben Ola": "English", "Cara Ellis": "English\nPolish",
                   "Dan Price": "English", "Eve Tran": "English", "Femi Cole": "English"}


@transaction.atomic
def load_providers_demo() -> list[str]:
    from django.contrib.auth.models import Group, User

    from goldenthread.providers import services as s
    from goldenthread.providers.models import (
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
    )
    from goldenthread.demo import DEMO_GROUP, DEMO_PASSWORD, is_demo_account
    from goldenthread.core.models import Service, StaffProfile

    if SupportedPerson.objects.filter(ref="P-ISF-01").exists():
        return ["Individual Service Funds: already loaded."]
    manager = User.objects.filter(username="provider").first()
    profile = StaffProfile.objects.filter(user=manager).first() if manager else None
    service = (profile.services.first() if profile else None) \
        or Service.objects.get_or_create(name="Brookside Support")[0]
    by = manager

    def person(ref, name):
        return SupportedPerson.objects.create(ref=ref, name=name, service=service)

    sally, paul, brian = person("P-ISF-01", "Sally"), person("P-ISF-02", "Paul"), person("P-ISF-03", "Brian")
    stay = [person(f"P-ISF-0{i}", n) for i, n in ((4, "Ade"), (5, "Colin"), (6, "Dev"))]
    demo_group, _ = Group.objects.get_or_create(name=DEMO_GROUP)
    for username, ref in PERSON_ACCOUNTS.items():
        user, created = User.objects.get_or_create(username=username)
        if not created and not is_demo_account(user):
            continue  # a real account with this name is never given the demo password or linked to a fund
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(demo_group)
        SupportedPerson.objects.get(ref=ref).people.add(user)

    oct1, nov1 = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
    weeks_oct = [dt.date(2026, 10, d) for d in (5, 12, 19, 26)]
    weeks_nov = [dt.date(2026, 11, d) for d in (2, 9, 16, 23, 30)]

    # Sally: 24 standard hours a week and £15 a week; time and a half after 11 pm; unused hours are banked at the
    # end of each week, up to 10 hours, and the rest lapse. Management and service costs: a fixed £12 a week,
    # apart from her own money. Every line is recorded in date order, as a week's timesheets would be.
    f = Fund.objects.create(name="Sally's fund", service=service, person=sally, weekly_hours=D("24"),
                            weekly_money=D("15.00"), hourly_rate=D("21.00"), management_weekly=D("12.00"),
                            starts_on=oct1)
    FlexRule.objects.create(fund=f, kind=RuleKind.TIME_BAND, name="after 11 pm", multiplier=D("1.5"))
    FlexRule.objects.create(fund=f, kind=RuleKind.BANKING, limit_hours=D("10"))
    PlanLine.objects.create(fund=f, what="Dancing at the Roxy", when="Friday nights, 9 pm to 11 pm",
                            with_whom="Amira or Eve", hours_per_week=D("2"), rate=D("21.00"))
    PlanLine.objects.create(fund=f, what="Dancing after 11 pm", when="Friday nights, 11 pm to 3 am",
                            with_whom="Amira or Eve", hours_per_week=D("4"), rate=D("21.00"), band="after 11 pm")
    PlanLine.objects.create(fund=f, what="Cooking and shopping", when="Tuesday and Thursday daytime",
                            with_whom="Cara", hours_per_week=D("12"), rate=D("21.00"))
    for week in weeks_oct + weeks_nov:
        s.credit_week(f, week, by)
        if week == dt.date(2026, 11, 16):  # entered twice by mistake, and put right the same day
            twice = s.record_delivery(f, week + dt.timedelta(days=1), "12", by=by, description="Cooking and shopping",
                                      with_whom="Cara")
            s.correct(twice, by=by, reason="The same timesheet was entered twice.", on=week + dt.timedelta(days=1))
        s.record_delivery(f, week + dt.timedelta(days=1), "12", by=by, description="Cooking and shopping",
                          with_whom="Cara")
        s.record_delivery(f, week + dt.timedelta(days=4), "2", by=by, description="Dancing at the Roxy",
                          with_whom="Amira")
        s.record_delivery(f, week + dt.timedelta(days=4), "4", by=by, band="after 11 pm",
                          description="Dancing after 11 pm", with_whom="Amira")
        if week == dt.date(2026, 10, 26):
            s.record_management(f, dt.date(2026, 10, 31), "48.00", by=by, description="rota planning and payroll")
        if week == dt.date(2026, 11, 23):
            s.record_delivery(f, dt.date(2026, 11, 28), "6", by=by, from_bank=True,
                              description="A concert in town", with_whom="Eve")
            s.record_purchase(f, dt.date(2026, 11, 28), "24.00", by=by, description="a concert ticket")
            s.record_management(f, dt.date(2026, 11, 30), "48.00", by=by, description="rota planning and payroll")

    # The shared tenancy: 210 hours a week for four; Paul moves to his own home on 1 November with 30 of them.
    shared = Fund.objects.create(name="Elm Road shared tenancy", service=service, weekly_hours=D("210"),
                                 hourly_rate=D("19.50"), management_percent=D("8"), starts_on=oct1)
    shared.shared_by.set([paul, *stay])
    for week in weeks_oct:
        s.credit_week(shared, week, by)
        s.record_delivery(shared, week + dt.timedelta(days=6), "205", by=by, description="Support at Elm Road")
    s.redivide(shared, nov1, {paul: D("30")}, by=by, reason="Paul moves to his own home.")
    paul_fund = Fund.objects.get(person=paul)
    # Paul saves the hours he does not use for travel: the bank holds at most 20 hours.
    FlexRule.objects.create(fund=paul_fund, kind=RuleKind.BANKING, limit_hours=D("20"))
    PlanLine.objects.create(fund=paul_fund, what="Support at home and out with friends", when="When Paul chooses",
                            with_whom="Cara or Femi", hours_per_week=D("25"), rate=D("19.50"))
    PlanLine.objects.create(fund=paul_fund, what="Saved for travel", when="Left in the bank each week",
                            hours_per_week=D("5"), rate=D("19.50"))
    for week, used in zip(weeks_nov, ("22", "20", "27", "30", "20")):
        s.credit_week(paul_fund, week, by)
        s.record_delivery(paul_fund, week + dt.timedelta(days=2), used, by=by, description="Support at home and out",
                          with_whom="Cara")
    s.record_delivery(paul_fund, dt.date(2026, 11, 28), "12", by=by, from_bank=True,
                      description="Trip to York by train", with_whom="Femi")
    for week in weeks_nov:
        s.credit_week(shared, week, by)
        s.record_delivery(shared, week + dt.timedelta(days=6), "178", by=by, description="Support at Elm Road")

    # Brian: 35 hours a week; unused hours can become money (£20 an hour, up to 10 hours a month). Management and
    # service costs: 8% of the whole fund.
    b = Fund.objects.create(name="Brian's fund", service=service, person=brian, weekly_hours=D("35"),
                            weekly_money=D("15.00"), hourly_rate=D("18.50"), management_percent=D("8"),
                            starts_on=oct1)
    FlexRule.objects.create(fund=b, kind=RuleKind.CONVERSION, rate=D("20.00"), limit_hours=D("10"))
    PlanLine.objects.create(fund=b, what="Support at home", when="Every day", with_whom="Dan or Ben",
                            hours_per_week=D("30"), rate=D("18.50"))
    PlanLine.objects.create(fund=b, what="Personal trainer at the gym", when="Wednesdays", rate=D("30.00"))
    for week in weeks_oct + weeks_nov:
        s.credit_week(b, week, by)
        s.record_delivery(b, week + dt.timedelta(days=3), "30", by=by, description="Support at home", with_whom="Dan")
        if week == dt.date(2026, 11, 9):
            s.convert_hours(b, dt.date(2026, 11, 10), "5", by=by, description="For gym sessions and a massage")
            s.record_purchase(b, dt.date(2026, 11, 11), "30.00", by=by,
                              description="a personal trainer session at the gym")
            s.record_purchase(b, dt.date(2026, 11, 14), "35.00", by=by, description="a massage")
    s.record_management(b, dt.date(2026, 11, 30), "52.00", by=by, description="rota planning and payroll")

    # Matching staff, team notes and a doughnut.
    for name, skills, chars, interests, times, hours in STAFF:
        StaffMember.objects.create(service=service, name=name, skills="\n".join(skills),
                                   characteristics="\n".join(chars), interests="\n".join(interests),
                                   times_available="\n".join(times), languages=STAFF_LANGUAGES.get(name, ""),
                                   hours_available=D(str(hours)))
    for ref, wishes in WISHES.items():
        Wishes.objects.create(person=SupportedPerson.objects.get(ref=ref), **wishes)
    FourPlusOne.objects.create(
        person=sally, held_on=dt.date(2026, 11, 20), recorded_by=by,
        tried="Going to the Roxy on Fridays with Amira; cooking a new recipe each Tuesday.",
        learned="Sally dances longest when she arrives before 10 pm; she likes to choose the recipe herself.",
        pleased="Sally has been out every Friday this month and has made two new friends.",
        concerned="The last bus leaves at 12.30 am; a taxi costs more than Sally expected.",
        next_steps="Work out with Sally what late nights cost from her 24 hours; ask Eve about Saturday nights.")
    LearningLog.objects.create(
        person=sally, happened_on=dt.date(2026, 11, 13), activity="Night out at the Roxy", who_was_there="Amira",
        went_well="Sally danced to every song she asked for and chatted to the DJ.",
        did_not_go_well="The queue was long and cold.", differently="Go 30 minutes earlier; take a warmer coat.",
        recorded_by=by)
    Doughnut.objects.create(
        person=SupportedPerson.objects.get(ref="P-ISF-06"), role="Personal assistant",
        core="Sign with Dev in British Sign Language\nKnow Dev's first-aid plan",
        judgement="Which train trips to plan with Dev", not_our_job="Choosing Dev's friends")
    Doughnut.objects.create(
        person=sally, role="Personal assistant",
        core="Support Sally to get ready and travel safely to and from nights out\nKnow Sally's first-aid plan",
        judgement="Which songs to request with Sally\nHow long to stay if Sally is tired",
        not_our_job="Choosing Sally's friends\nManaging Sally's money for her")
    # Sally's one-page profile, shared with the service that supports her: it feeds her plan and job specification.
    from goldenthread.reviews.person_reviews import save_profile

    save_profile("P-ISF-01", {"name": "Sally", "service": service, "shared_with_supporters": True,
                              "appreciate": "Always up for a dance\nRemembers everyone's birthday",
                              "important": "Friday nights out dancing\nCooking my own tea\nSeeing my sister",
                              "support": "Let me pick the music and the recipe\nMeet me at the door, not inside\n"
                                         "Tell me the plan for the night before we go"}, user=by)
    return [f"Individual Service Funds: {Fund.objects.count()} funds for Sally, Paul, Brian and the Elm Road "
            f"shared tenancy; {StaffMember.objects.count()} staff to match.",
            f"Person accounts (see their own fund only): {', '.join(PERSON_ACCOUNTS)}."]
