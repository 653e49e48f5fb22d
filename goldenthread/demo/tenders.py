"""Invented demo data for tenders: one tender for evening and weekend support in Harford, drawn from the 2025
workshop's themes, with "what success looks like", four questions, three bids and a people's panel of four who
have scored every bid. Safe to run again. Every name, bid and score is made up.
"""
from __future__ import annotations

NAME = "Evening and weekend support in Harford"
SERVICE_TYPE = ("Evening and weekend support",
                "Support to go out in the evenings and at weekends: clubs, discos, trips out with friends, and a "
                "safe way home at night.")
PURPOSE = ("Support for adults with a learning disability in Harford to go out in the evenings and at weekends, "
           "with people they like, and to get home safely afterwards.")
#: (a theme's name, the question the panel answers, its weight)
CRITERIA = [
    ("I can't get home at night", "Will people get home safely after a night out?", 3),
    ("I want to go out in the evenings", "Can people go out on the evenings they choose?", 3),
    ("I am bored at weekends and at the centre", "Will there be things to do at weekends that people enjoy?", 2),
    ("I am lonely", "Will people meet friends and make new ones?", 2),
]
TYPED_SUCCESS = ["I choose where I go, and who I go with.",
                 "The staff who go out with me know me and what I like."]
BIDS = [
    ("Harford Nights Co-operative", "A team of support workers who work from 4pm to midnight, seven days a week. "
     "A minibus with a wheelchair lift takes people home after clubs and discos. Members plan the trips together "
     "every month."),
    ("Kestrel Care Group", "Day centre staff stay on until 9pm on two evenings a week. People go out in groups of "
     "six on set nights. Taxis home can be booked for an extra charge."),
    ("Open Doors Community Interest Company", "Volunteers and paid staff match people with a buddy who likes the "
     "same things. Buddies go out together on any night and travel home together. A weekend club meets in the "
     "library every Saturday."),
]
#: (name, role, scores per bid per criterion): invented, each bid's scores in CRITERIA order.
PANEL = [
    ("Dylan", "person", [[4, 4, 3, 3], [1, 1, 2, 2], [3, 4, 3, 4]]),
    ("Precious", "person", [[4, 3, 3, 2], [2, 1, 1, 1], [3, 3, 4, 4]]),
    ("Margaret", "family", [[4, 4, 2, 3], [2, 2, 2, 1], [2, 3, 3, 3]]),
    ("Tomasz", "family", [[3, 4, 3, 2], [1, 2, 2, 2], [3, 3, 2, 4]]),
]


def load_tenders_demo() -> list[str]:
    from django.contrib.auth.models import User

    from goldenthread.core.models import Area, UserGroup
    from goldenthread.market.models import ServiceType
    from goldenthread.tenders import services
    from goldenthread.tenders.models import Tender
    from goldenthread.workshops.models import Cluster, SuccessStatement

    if Tender.objects.filter(name=NAME).exists():
        return ["Tenders: already loaded."]
    area = Area.objects.filter(name="Harford").first()
    themes = {c.name: c for c in Cluster.objects.themes().filter(board__workshop__cycle__slug="ashdown-2025",
                                                                 name__in=[n for n, _, _ in CRITERIA])}
    if area is None or len(themes) < len(CRITERIA):
        return ["Tenders: not loaded (the demo workshops' themes are missing)."]
    service_type, _ = ServiceType.objects.get_or_create(name=SERVICE_TYPE[0],
                                                        defaults={"description": SERVICE_TYPE[1]})
    tender = Tender.objects.create(name=NAME, service_type=service_type, area=area, purpose=PURPOSE,
                                   user_group=UserGroup.objects.filter(name="Learning disability").first(),
                                   created_by=User.objects.filter(username="commissioner").first())
    tender.themes.set(themes.values())
    for statement in SuccessStatement.objects.filter(cluster__in=themes.values(),
                                                     perspective=SuccessStatement.Perspective.PEOPLE):
        services.add_success(tender, "", statement)
    for text in TYPED_SUCCESS:
        services.add_success(tender, text)
    criteria = [services.add_criterion(tender, themes[name], text, weight) for name, text, weight in CRITERIA]
    bids = [services.add_bid(tender, bidder, summary) for bidder, summary in BIDS]
    members = [services.add_member(tender, name, role)[0] for name, role, _ in PANEL]
    services.set_status(tender, Tender.Status.SCORING)
    for member, (_, _, scores) in zip(members, PANEL):
        for bid, row in zip(bids, scores):
            for criterion, value in zip(criteria, row):
                services.record_score(member, bid, criterion, value)
    return [f"Tenders: \"{NAME}\" with {len(criteria)} questions, {len(bids)} bids and a panel of {len(PANEL)} who "
            "have scored every bid (scoring still open: make a member a new link on the tender's page to try the "
            "panel's screen)."]
