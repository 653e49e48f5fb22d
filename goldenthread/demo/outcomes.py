"""Invented demo data for the outcomes pages: a six-area outcome framework, a year of activity and results
measures for each demo cycle, and the links from the workshops' themes to the outcomes (suggested by the
theme engine, then decided as a commissioner would). Safe to run again. Every figure is made up.
"""
from __future__ import annotations

from goldenthread.reviews.importing import Table

FRAMEWORK = [
    ("O1", "I have friends and people I can count on", "Friendships, relationships and not feeling alone."),
    ("O2", "I spend my days doing things I enjoy", "Clubs, trips, evenings out and weekends that are not empty."),
    ("O3", "I have a job or something useful to do", "Paid work, volunteering and helping out."),
    ("O4", "I stay as healthy as I can", "Health, food and getting help from a doctor when I need it."),
    ("O5", "I live in a home that suits me, near the people I love", "Where I live and seeing my family."),
    ("O6", "I am supported by people who know me well", "Staff who stay, have time and know what matters to me."),
]

#: (outcome, measure, kind, unit, value in 2025, value in 2026, area, user group)
MEASURES = [
    ("O1", "People using befriending schemes", "activity", "people", 140, 185, "", ""),
    ("O1", "Adults who say they have as much social contact as they want", "results", "%", 38, 41, "", ""),
    ("O2", "Hours of community activity funded", "activity", "hours", 9200, 10400, "", ""),
    ("O2", "Evening and weekend sessions run", "activity", "sessions", 120, 210, "", ""),
    ("O2", "Evening and weekend sessions run", "activity", "sessions", 22, 58, "Harford", ""),
    ("O3", "People with a learning disability in paid work", "results", "%", 5.1, 6.4, "", "Learning disability"),
    ("O3", "Supported employment places", "activity", "places", 30, 42, "", "Learning disability"),
    ("O4", "Annual health checks done", "activity", "checks", 610, 702, "", "Learning disability"),
    ("O4", "Emergency admissions per 1,000 people", "results", "per 1,000", 31.5, 29.8, "", "Older people"),
    ("O5", "People moved into a home of their own", "activity", "people", 12, 19, "", ""),
    ("O5", "Admissions to care homes, aged 65 and over, per 100,000", "results", "per 100,000", 560, 541, "",
     "Older people"),
    ("O6", "Hours of home care delivered", "activity", "hours", 412000, 398500, "", ""),
    ("O6", "Care staff who left in the year", "results", "%", 29, 24, "", ""),
]

#: A commissioner's decisions on the engine's suggestions: theme names (any year) that speak to each outcome.
CONFIRM = {
    "O1": ["I am lonely", "I have good friends", "I want to make friends", "I want a girlfriend or boyfriend"],
    "O2": ["I am bored at weekends and at the centre", "I enjoy my clubs and groups", "I want to go out in the evenings",
           "I want trips out", "I can get out and about now", "I can get out and about"],
    "O3": ["I want a job", "I like helping out"],
    "O4": ["I struggle with my health", "I want to keep my sugar under control", "My meals are not right for me",
           "I can't get through to my doctor"],
    "O5": ["I want a home that suits me", "I want to see my family more", "I want to move nearer my mum",
           "My family matters to me"],
    "O6": ["My staff know me well", "Staff keep changing", "My carers are rushed", "I want to choose my own staff"],
}


def load_outcomes_demo() -> list[str]:
    from django.contrib.auth.models import User

    from goldenthread.outcomes import services
    from goldenthread.outcomes.models import OutcomeArea, ThemeOutcome
    from goldenthread.reviews.models import ProgrammeCycle
    from goldenthread.workshops.models import Cluster

    if OutcomeArea.objects.filter(code="O1").exists():
        return ["Outcomes: already loaded."]
    services.import_outcomes(Table(["code", "statement", "description"], [
        (f"Row {n}", {"code": c, "statement": s, "description": d}) for n, (c, s, d) in enumerate(FRAMEWORK, 2)]))
    cycles = {c.year: c.slug for c in ProgrammeCycle.objects.filter(slug__in=["ashdown-2025", "ashdown-2026"])}
    rows = []
    for outcome, name, kind, unit, before, after, area, group in MEASURES:
        for year, value in ((2025, before), (2026, after)):
            if year in cycles:
                rows.append({"outcome": outcome, "name": name, "kind": kind, "unit": unit, "value": str(value),
                             "period": f"{year - 1}-{str(year)[2:]}", "cycle": cycles[year], "area": area,
                             "user_group": group})
    services.import_measures(Table(list(rows[0]), [(f"Row {n}", r) for n, r in enumerate(rows, 2)]))
    commissioner = User.objects.filter(username="commissioner").first()
    suggested = 0
    for cycle in ProgrammeCycle.objects.filter(slug__in=cycles.values()):
        for workshop in cycle.workshops.all():
            suggested += services.suggest_links(workshop)
    outcomes = {o.code: o for o in OutcomeArea.objects.all()}
    wanted = {(name.casefold(), code) for code, names in CONFIRM.items() for name in names}
    confirmed = 0
    for link in ThemeOutcome.objects.select_related("cluster", "outcome"):
        link.decide(commissioner, same=(link.cluster.name.casefold(), link.outcome.code) in wanted)
        confirmed += link.status == ThemeOutcome.Status.CONFIRMED
    # Themes the engine did not put with the right outcome: the commissioner links them by hand.
    for cluster in Cluster.objects.filter(board__is_main=True, name__gt="",
                                          board__workshop__cycle__slug__in=cycles.values()):
        for code, names in CONFIRM.items():
            if cluster.name.casefold() in {n.casefold() for n in names} and not ThemeOutcome.objects.filter(
                    cluster=cluster, outcome=outcomes[code], status=ThemeOutcome.Status.CONFIRMED).exists():
                services.link_by_hand(cluster, outcomes[code], commissioner)
                confirmed += 1
    return [f"Outcomes: {len(FRAMEWORK)} outcome areas, {len(rows)} measures, {suggested} links suggested by the "
            f"theme engine and {confirmed} confirmed."]
