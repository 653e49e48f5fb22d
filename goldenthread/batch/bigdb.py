"""Fill a database quickly with invented reviews, to see how the pages and the batch cope at scale.

Everything is made up here from short templates of our own with variation
(a topic, a subject, a place, a feeling, a time): no real person, no sentence
from anywhere else. Reviews and statements go in with ``bulk_create`` in
batches, so a million statements take minutes, not hours.

Shape: cycles of a few thousand reviews each (the first, which gets the workshop, 100) (five yearly cycles per invented
council, each linked to the year before with ``previous``); each review has 3
to 9 statements (up to three prioritised per ranked kind, sometimes "important
now"); one cycle also gets a workshop with a main board per kind, named
clusters (themes) and every chosen statement as a card, so the workshop pages
and the batch's "known themes" have something to work on.
"""
from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.db import transaction

from goldenthread.core.models import Area, Kind, Perspective, Service, UserGroup
from goldenthread.reviews.models import ProgrammeCycle, Review, Statement
from goldenthread.workshops.models import BOARD_KINDS, Board, Cluster, Placement, Workshop, WorkshopCard

#: Our own invented topics: (theme name, statement templates) per kind. ``{x}`` is filled from SUBJECTS.
TOPICS: dict[str, list[tuple[str, list[str]]]] = {
    Kind.WORKING: [
        ("I like my home", ["I like living in my {x} flat", "My room at the {x} feels like mine",
                            "I chose the colours in my {x} home"]),
        ("I see my friends", ["I meet my friends at the {x} every week", "My friend from the {x} visits me",
                              "I go to the {x} club with my mates"]),
        ("My staff know me", ["The staff at the {x} know what I like", "My support worker listens to me about the {x}",
                              "Staff help me plan trips to the {x}"]),
        ("I have a job", ["I work two days at the {x}", "I help out at the {x} café",
                          "I get paid for my work at the {x}"]),
        ("I keep healthy", ["I walk to the {x} most mornings", "I swim at the {x} pool",
                            "I cook healthy food with help at the {x}"]),
    ],
    Kind.NOT_WORKING: [
        ("I cannot get out", ["The bus to the {x} does not come often", "I cannot get to the {x} on my own",
                              "There is no transport to the {x} at weekends"]),
        ("I feel lonely", ["I am on my own at the {x} most evenings", "Nobody visits me at the {x}",
                           "I miss people since the {x} closed"]),
        ("Staff keep changing", ["New staff at the {x} every week", "Agency staff at the {x} do not know me",
                                 "I have to explain myself again at the {x}"]),
        ("Money is hard", ["My money runs out before the {x} trip", "I cannot pay for the {x}",
                           "Nobody explains my bills from the {x}"]),
        ("I am not listened to", ["People at the {x} decide for me", "My choice about the {x} was ignored",
                                  "Nobody asked me about moving from the {x}"]),
    ],
    Kind.FUTURE: [
        ("I want a job", ["I want a paid job at the {x}", "I would like to train at the {x}",
                          "I hope to work at the {x} next year"]),
        ("I want my own place", ["I want my own flat near the {x}", "I would like to live closer to the {x}",
                                 "I want a home with a garden like the {x}"]),
        ("I want to learn", ["I want to learn to cook at the {x}", "I want to do a course at the {x}",
                             "I want to learn to use the bus to the {x}"]),
        ("I want to travel", ["I want a holiday by the {x}", "I would like a day trip to the {x}",
                              "I want to visit my family near the {x}"]),
    ],
    Kind.IMPORTANT_NOW: [
        ("Seeing family", ["Seeing my sister near the {x}", "Phoning my dad from the {x}", "My family visiting the {x}"]),
        ("My routine", ["Going to the {x} on Tuesdays", "My morning walk past the {x}", "Tea at the {x} at four"]),
    ],
}
#: Reviews in the cycle that gets the workshop.
WORKSHOP_REVIEWS = 100
SUBJECTS = ["library", "day centre", "park", "college", "market", "church hall", "leisure centre", "garden centre",
            "community café", "seafront", "farm", "museum", "allotment", "sports ground", "cinema", "bowling alley"]
TAILS = ["", "", "", " and it matters to me", " most of the time", " since last spring", " which makes me happy",
         " and I want that to stay", " every single week", " when it rains"]
AREAS = ["Northfield", "Southgate", "Eastmoor", "Westbrook", "Millbank", "Ashcombe", "Brackley Vale", "Copper Hill",
         "Dunmere", "Elmstead", "Fernside", "Greywater"]
USER_GROUPS = ["Learning disability", "Older people", "Mental health", "Physical disability", "Autistic people",
               "Young adults in transition"]
SERVICES = [f"{name} {kind}" for name in ("Oak", "Willow", "Beacon", "Harbour", "Meadow")
            for kind in ("Supported Living", "Day Service", "Home Care", "Residential Home")]
COUNCILS = ["Harfield", "Lowmarsh", "Kestrel Bay", "Stonebridge", "Wyvern", "Thornwick", "Ravensby", "Oldcastle"]


@dataclass
class Made:
    cycles: int
    reviews: int
    statements: int
    cards: int
    seconds: float


def _sentence(rng: random.Random, kind: str) -> tuple[int, str]:
    topics = TOPICS[kind]
    t = rng.randrange(len(topics))
    text = rng.choice(topics[t][1]).format(x=rng.choice(SUBJECTS)) + rng.choice(TAILS)
    return t, text + "."


def make_big_db(statements: int = 1_000_000, cycles: int | None = None, *, seed: int = 0,
                reviews_per_cycle: int | None = None, batch_size: int = 5000, workshop: bool = True,
                echo=None) -> Made:
    """Add about ``statements`` invented statements in new cycles (``big-001``, ``big-002``, ...).

    ``cycles`` defaults to one per 3,000 reviews (6 statements a review on average).
    Returns counts and the time taken. Slugs already used are skipped over.
    """
    t0 = time.perf_counter()
    rng = random.Random(seed)
    n_reviews = max(1, round(statements / 6))
    cycles = cycles or max(1, round(n_reviews / 3000))
    per_cycle = reviews_per_cycle or -(-n_reviews // cycles)
    areas = [Area.objects.get_or_create(name=n)[0] for n in AREAS]
    groups = [UserGroup.objects.get_or_create(name=n)[0] for n in USER_GROUPS]
    services = [Service.objects.get_or_create(name=n)[0] for n in SERVICES]
    start = ProgrammeCycle.objects.filter(slug__startswith="big-").count()
    made_cycles: list[ProgrammeCycle] = []
    total_statements = total_reviews = 0
    prev = None
    c = 0
    while total_statements < statements:
        i = start + c
        council, year = COUNCILS[(i // 5) % len(COUNCILS)], 2021 + i % 5
        cycle = ProgrammeCycle.objects.create(
            name=f"Invented council {council} {i // 5 + 1}, {year}", slug=f"big-{i + 1:03d}", year=year,
            purpose="Invented data for testing at scale.", previous=prev if i % 5 else None)
        prev = cycle
        made_cycles.append(cycle)
        numbers = {k: 0 for k in Kind.values}
        # The workshop's cycle is the size a room can work through (the guide: a few dozen reviews; here up to
        # WORKSHOP_REVIEWS); the other cycles are whole councils, for the lists, reports and the batch.
        remaining = min(per_cycle, WORKSHOP_REVIEWS) if c == 0 and workshop else per_cycle
        c += 1
        done = 0
        while remaining > 0 and total_statements < statements:
            size = min(batch_size // 6, remaining)
            with transaction.atomic():
                reviews = Review.objects.bulk_create([
                    Review(cycle=cycle, reference=f"R{year}-{done + k + 1:06d}",
                           person_ref=f"P{i:03d}{done + k + 1:06d}", person_name="",
                           review_date=dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(360)),
                           area=rng.choice(areas), user_group=rng.choice(groups), service=rng.choice(services),
                           consent_given=rng.random() < 0.97, source=Review.Source.IMPORT)
                    for k in range(size)])
                rows = []
                for review in reviews:
                    position = 0
                    for kind in (Kind.WORKING, Kind.NOT_WORKING, Kind.FUTURE, Kind.IMPORTANT_NOW):
                        count = rng.randint(1, 3) if kind != Kind.IMPORTANT_NOW else rng.choice((0, 0, 1))
                        for p in range(count):
                            _, text = _sentence(rng, kind)
                            numbers[kind] += 1
                            rows.append(Statement(
                                review=review, cycle=cycle, kind=kind,
                                perspective=rng.choice((Perspective.PERSON,) * 3 + (Perspective.FAMILY,)),
                                priority=p + 1 if kind != Kind.IMPORTANT_NOW else None, text=text,
                                card_text=text, card_number=numbers[kind], position=position))
                            position += 1
                Statement.objects.bulk_create(rows, batch_size=batch_size)
            total_statements += len(rows)
            total_reviews += len(reviews)
            remaining -= size
            done += size
            if echo:
                echo(f"{cycle.slug}: {total_reviews} reviews, {total_statements} statements "
                     f"({time.perf_counter() - t0:.0f} s)")
    cards = make_workshop(made_cycles[0], rng) if workshop and made_cycles else 0
    return Made(len(made_cycles), total_reviews, total_statements, cards, time.perf_counter() - t0)


def make_workshop(cycle: ProgrammeCycle, rng: random.Random | None = None) -> int:
    """A workshop for ``cycle``: every chosen statement a card, on a main board per kind, in named themes."""
    rng = rng or random.Random(0)
    w = Workshop.objects.create(cycle=cycle, name=f"{cycle.name}: workshop", stage="naming")
    boards = {k: Board.objects.create(workshop=w, kind=k, name=f"{Kind(k).label}", is_main=True) for k in BOARD_KINDS}
    clusters = {}
    for k in BOARD_KINDS:
        for t, (name, _) in enumerate(TOPICS[k]):
            clusters[k, t] = Cluster.objects.create(board=boards[k], name=name, position=t)
    texts = {k: {tpl.split("{x}")[0]: t for t, (_, tpls) in enumerate(TOPICS[k]) for tpl in tpls} for k in BOARD_KINDS}
    n = 0
    qs = w.chosen_statements().values_list("pk", "kind", "card_text")
    batch: list[tuple] = []

    def flush():
        with transaction.atomic():
            cards = WorkshopCard.objects.bulk_create(
                [WorkshopCard(workshop=w, statement_id=pk, kind=kind, order=n + j)
                 for j, (pk, kind, _) in enumerate(batch)])
            placements = []
            for card, (_, kind, text) in zip(cards, batch):
                topic = next((t for start, t in texts[kind].items() if text.startswith(start)), 0)
                placements.append(Placement(board=boards[kind], cluster=clusters[kind, topic], card=card,
                                            position=card.order))
            Placement.objects.bulk_create(placements)

    for row in qs.iterator(chunk_size=5000):
        batch.append(row)
        if len(batch) >= 5000:
            flush()
            n += len(batch)
            batch = []
    if batch:
        flush()
        n += len(batch)
    return n
