"""The invented programme around the 2025 demo workshop: plan, sample check, delegates, evaluation, follow-up.

* ashdown-2025 gets the planning meeting's decisions, a sample size, the
  population by area (Harford is under-represented among the people reviewed),
  a delegate list with access needs and the day's details, delegates'
  evaluations, and a year of progress notes, milestones and comments on its
  actions.
* ashdown-2026 gets a plan copied from 2025, with the open actions carried in.

Every name and sentence was written for this project. Safe to run again.
"""
from __future__ import annotations

import datetime as dt

from goldenthread.programme import services
from goldenthread.programme.models import CarriedAction, Comment, Invitee, Milestone, Plan, PopulationCount
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops.models import Status

INVITEES = [
    # name, organisation, group, manager, reply, needs
    ("Dylan Price", "Ashdown self-advocacy group", "person", False, "coming", {"easy_read": True}),
    ("Precious Adeyemi", "", "person", False, "coming", {"easy_read": True, "step_free": True}),
    ("Rhiannon Ellis", "", "person", False, "coming", {"induction_loop": True}),
    ("Joe Marsh", "Speaking Up Ashdown (advocate)", "person", False, "coming", {}),
    ("Margaret Doyle", "Carers' forum", "family", False, "coming", {}),
    ("Tomasz Nowak", "", "family", False, "coming", {"interpreter": "Polish"}),
    ("Ifeoma Chukwu", "Parents' group", "family", False, "declined", {}),
    ("Sunita Rao", "Larkhill Supported Living", "provider", True, "coming", {}),
    ("Gareth Hughes", "Ashdown Home Care", "provider", True, "coming", {}),
    ("Bea Lindqvist", "Brackenridge Day Centre", "provider", True, "coming", {"step_free": True}),
    ("Kwame Mensah", "Larkhill Supported Living (support worker)", "provider", False, "coming", {}),
    ("Helen Walsh", "Transport commissioning lead", "commissioner", False, "coming", {}),
    ("Olu Bankole", "Learning disability commissioner", "commissioner", False, "coming", {}),
    ("Priya Sandhu", "Head of commissioning", "commissioner", False, "coming", {}),
    ("Dr Anna Kerr", "Northbrook GP practice", "other", False, "coming", {}),
    ("Sam Fielding", "Community nursing", "other", False, "invited", {}),
    ("Lena Ortiz", "Ashdown Advocacy", "other", False, "coming", {"other_needs": "Needs to leave at 2pm"}),
]

EVALUATIONS = [
    ("Hearing the cards read out loud, in people's own words", "The room was too hot after lunch",
     "Send the easy-read papers a week before"),
    ("Hearing what people actually said made it real", "Voting felt rushed at the end",
     "Leave more time for the voting"),
    ("Everyone got a say, not just the managers", "Some words on the cards were hard to read",
     "Bigger print on the cards"),
    ("Working out the reasons why together", "It was a long day for me", "A longer break in the middle of the day"),
    ("Sitting with commissioners and talking as equals", "", "Invite people from health next time too"),
    ("The timer kept us moving", "Too many cards about the same bus", "More time for the actions"),
]

#: Progress notes for each 2025 action, in the order the demo workshop made them: (date, status, note).
UPDATES = [
    [("2025-04-20", Status.UNDERWAY, "Asked the bus company for a price for three evenings a week."),
     ("2025-07-01", Status.UNDERWAY, "Trial route agreed. It starts in August."),
     ("2025-09-15", Status.DONE, "The evening link runs three nights a week. 46 trips in the first month.")],
    [("2025-05-10", Status.UNDERWAY, "Evening hours added to the rotas in two of the five houses.")],
    [("2025-06-01", Status.UNDERWAY, "Eight people have signed up to be buddies."),
     ("2025-11-20", Status.UNDERWAY, "Six pairs go out together at least once a month.")],
    [],
]
MILESTONES = [
    [("Price agreed with the bus company", "2025-06-30", "2025-06-20"), ("First evening trip", "2025-08-31",
                                                                         "2025-08-08")],
    [("Evening hours on every rota", "2025-09-30", None)],
    [("Buddy training day", "2025-07-31", "2025-07-19"), ("Ten pairs going out", "2025-11-30", None)],
    [],
]
COMMENTS = [
    (0, "reviewed", "The evening bus means I can go to my drama group now. Please keep it.", True),
    (2, "family", "Could buddies also go to football on Saturdays?", True),
    (1, "reviewed", "My house still has no evening staff on Fridays.", False),
]


def load_demo_programme(facilitator, commissioner) -> list[str]:
    """Fill in the programme around the 2025 demo workshop; carry its open actions into 2026."""
    cycle = ProgrammeCycle.objects.filter(slug="ashdown-2025").first()
    later = ProgrammeCycle.objects.filter(slug="ashdown-2026").first()
    if cycle is None or Plan.objects.filter(cycle=cycle).exists():
        return []
    workshop = cycle.workshops.order_by("created_at").first()
    Plan.objects.create(
        cycle=cycle, scope_type=Plan.ScopeType.LOCALITY, meeting_date=dt.date(2024, 11, 12), top_three=True,
        information="Each person's top three working, not working and important for the future, and what they "
                    "would like to change about their support.",
        whose_reviews="Adults with a learning disability and older people supported by Ashdown's three main "
                      "providers, who had their yearly review between December and February.",
        existing_facilitators=True, train_facilitators=True, sample_target=40,
        delegate_groups={"person": 4, "family": 3, "provider": 4, "commissioner": 3, "other": 3})
    # The population in scope. Harford is the big town: more than two thirds of the people in scope live
    # there, but only a third of the people reviewed do, so the check flags it as under-represented.
    for area, n in (("Northbrook", 150), ("Kelsey Vale", 130), ("Harford", 640)):
        PopulationCount.objects.create(cycle=cycle, dimension="area", value=area, count=n)
    for group, n in (("Learning disability", 210), ("Older people", 260)):
        PopulationCount.objects.create(cycle=cycle, dimension="user_group", value=group, count=n)
    for band, n in (("18 to 64", 230), ("65 and over", 240)):
        PopulationCount.objects.create(cycle=cycle, dimension="age_band", value=band, count=n)
    lines = [f"{cycle.name}: a preparation plan and the population by area (Harford under-represented)"]
    if workshop is None:
        return lines
    day = services.workshop_day(workshop)
    day.date, day.times, day.venue = dt.date(2025, 3, 18), "10am to 3pm", "Kelsey Vale Community Centre, Mill Lane"
    day.contact = "Helen Walsh, 01632 960 418"
    day.save()
    for name, org, group, manager, reply, needs in INVITEES:
        Invitee.objects.create(workshop=workshop, name=name, organisation=org, group=group, provider_manager=manager,
                               reply=reply, **needs)
    for delegate, (worked, not_so_well, future) in zip(workshop.delegates.order_by("id"), EVALUATIONS):
        services.save_evaluation(workshop, worked=worked, not_so_well=not_so_well, future=future, delegate=delegate)
    actions = list(workshop.actions.order_by("id"))
    for action, updates, milestones in zip(actions, UPDATES, MILESTONES):
        target = action.status
        for on, status, note in updates:
            services.record_update(action, note=note, status=status, on=dt.date.fromisoformat(on), by=facilitator)
        if action.status != target:  # keep the workshop's own status if the notes disagree
            action.status = target
            action.save(update_fields=["status"])
        for text, due, done in milestones:
            Milestone.objects.create(action=action, text=text, due=dt.date.fromisoformat(due),
                                     done_on=dt.date.fromisoformat(done) if done else None)
    for index, came_from, text, approved in COMMENTS:
        if index < len(actions):
            comment = Comment.objects.create(action=actions[index], text=text, came_from=came_from)
            if approved:
                services.moderate(comment, approve=True, by=commissioner)
    lines.append(f"{workshop.name}: {len(INVITEES)} on the delegate list, {len(EVALUATIONS)} evaluations, "
                 "progress notes through the year")
    if later is not None and not Plan.objects.filter(cycle=later).exists():
        old = services.plan_for(cycle)
        Plan.objects.create(cycle=later, scope_type=old.scope_type, information=old.information,
                            top_three=old.top_three, whose_reviews=old.whose_reviews,
                            existing_facilitators=True, sample_target=40,
                            delegate_groups={g: n for g, n in _groups(workshop).items()})
        for action in actions:
            if action.status != Status.DONE:
                CarriedAction.objects.get_or_create(cycle=later, action=action)
        lines.append(f"{later.name}: plan copied from 2025, open actions carried in")
    return lines


def _groups(workshop) -> dict[str, int]:
    counts: dict[str, int] = {}
    for invitee in workshop.invitees.coming():
        counts[invitee.group] = counts.get(invitee.group, 0) + 1
    return counts
