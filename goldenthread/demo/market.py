"""Invented demo data for the market view: a directory of services, providers' offers and community resources
across the demo's three areas, and which *Important for the future* themes ask for which kind of support
(suggested by the theme engine, then decided as a commissioner would). Safe to run again. Everything is made up.

It is set so the market view shows both flags: no one offers help with friendships and relationships
("nothing offered"), and supported employment has far fewer places than people who want a job ("demand
outstrips capacity").
"""
from __future__ import annotations

from goldenthread.reviews.importing import Table

SERVICE_TYPES = [
    ("Supported employment", "Help to find and keep a paid job: job coaching, work trials, support at work."),
    ("Supported living and housing", "A home of my own or shared, with the support I need, near my family."),
    ("Evening and weekend activities", "Clubs, discos, bingo and things to do at night and at weekends."),
    ("Accessible transport", "Getting out and home again: evening buses, accessible taxis, travel training."),
    ("Day trips and holidays", "Trips out to the seaside, the city and holidays with support."),
    ("Friendship and relationships support", "Help to make friends, date safely and keep relationships going."),
    ("Day opportunities", "Day centres and daytime groups with things to do and people to see."),
]

#: (name, kind, service type, organisation, areas, user groups, capacity)
PROVISIONS = [
    ("Ashdown Works job coaching", "service", "Supported employment", "Ashdown Works", "Harford", "Learning disability",
     3),
    ("Kelsey Vale work trials", "provider", "Supported employment", "Larkhill Support", "Kelsey Vale",
     "Learning disability", 2),
    ("Larkhill Supported Living", "service", "Supported living and housing", "Larkhill Support",
     "Northbrook; Harford", "Learning disability", 24),
    ("Beech Court extra care", "service", "Supported living and housing", "Beech Homes", "Kelsey Vale",
     "Older people", 40),
    ("Shared Lives Ashdown", "service", "Supported living and housing", "Ashdown Council", "Northbrook; Harford; "
     "Kelsey Vale", "", None),
    ("Friday Night Club", "community", "Evening and weekend activities", "Harford Friends", "Harford", "", 30),
    ("Northbrook bingo and social", "community", "Evening and weekend activities", "St Anne's church hall",
     "Northbrook", "Older people", 25),
    ("Evening Link bus", "service", "Accessible transport", "Ashdown Community Transport", "Northbrook; Harford", "",
     16),
    ("Dial-a-Ride", "community", "Accessible transport", "Ashdown Community Transport", "Kelsey Vale", "Older people",
     None),
    ("Travel buddies", "provider", "Accessible transport", "Larkhill Support", "Northbrook; Kelsey Vale",
     "Learning disability", 6),
    ("Seaside trips", "community", "Day trips and holidays", "Harford Friends", "Harford; Kelsey Vale", "", 20),
    ("Brackenridge Day Centre", "service", "Day opportunities", "Ashdown Council", "Kelsey Vale", "", 45),
    ("Acorn day service", "provider", "Day opportunities", "Acorn Support", "Northbrook", "Learning disability", 18),
    ("Harford lunch club", "community", "Day opportunities", "Harford Friends", "Harford", "Older people", 30),
    ("Men's shed", "community", "Day opportunities", "Northbrook Men's Shed", "Northbrook", "", 12),
]

#: A commissioner's decisions: words in a future theme's name (any year) -> the service types it asks for.
CONFIRM = {
    "job": ["Supported employment"],
    "home": ["Supported living and housing"],
    "evening": ["Evening and weekend activities", "Accessible transport"],
    "trips": ["Day trips and holidays"],
    "married": ["Friendship and relationships support"],
    "girlfriend": ["Friendship and relationships support"],
    "friends": ["Friendship and relationships support"],
}


def _table(columns: list[str], rows: list[tuple]) -> Table:
    return Table(columns, [(f"Row {n}", dict(zip(columns, r))) for n, r in enumerate(rows, 2)])


def load_market_demo() -> list[str]:
    from django.contrib.auth.models import User

    from goldenthread.core.lookups import LISTS
    from goldenthread.core.models import Kind
    from goldenthread.market import services
    from goldenthread.market.models import ServiceType, ThemeServiceType
    from goldenthread.reviews.models import ProgrammeCycle
    from goldenthread.workshops.models import Cluster

    if ServiceType.objects.filter(name=SERVICE_TYPES[0][0]).exists():
        return ["Market: already loaded."]
    for area in ("Northbrook", "Harford", "Kelsey Vale"):
        LISTS["areas"].model.objects.get_or_create(name=area)
    services.import_service_types(_table(["name", "description"], SERVICE_TYPES))
    services.import_provisions(_table(["name", "kind", "service_type", "organisation", "areas", "user_groups",
                                       "capacity"], [(*p[:6], "" if p[6] is None else p[6]) for p in PROVISIONS]))
    commissioner = User.objects.filter(username="commissioner").first()
    cycles = ProgrammeCycle.objects.filter(slug__in=["ashdown-2025", "ashdown-2026"])
    suggested = sum(services.suggest_links(w) for c in cycles for w in c.workshops.all())
    types = {t.name: t for t in ServiceType.objects.all()}

    def wanted(cluster) -> set[str]:
        name = cluster.name.casefold()
        return {t for word, names in CONFIRM.items() if word in name for t in names}

    for link in ThemeServiceType.objects.select_related("cluster", "service_type"):
        link.decide(commissioner, same=link.service_type.name in wanted(link.cluster))
    # Themes the engine did not put with the right kind of support: the commissioner links them by hand.
    for cluster in Cluster.objects.filter(board__is_main=True, board__kind=Kind.FUTURE, name__gt="",
                                          board__workshop__cycle__in=cycles):
        for name in wanted(cluster):
            if not ThemeServiceType.objects.confirmed().filter(cluster=cluster, service_type=types[name]).exists():
                services.link_by_hand(cluster, types[name], commissioner)
    confirmed = ThemeServiceType.objects.confirmed().count()
    return [f"Market: {len(SERVICE_TYPES)} service types, {len(PROVISIONS)} provisions, {suggested} links from "
            f"future themes suggested by the theme engine and {confirmed} confirmed."]
