"""Invented demo content for the individual and provider side: profiles, staff links and team planning.

Runs after the main demo loader (``goldenthread demo``); safe to run again. Every word here is made up.
"""
from __future__ import annotations

from datetime import timedelta

from django.db import transaction

PROVIDER = "Ashdown Living"
PROFILES = [
    ("Kind and patient", "Loves a joke", "Grows the best tomatoes"),
    ("My garden", "Seeing my grandson on Saturdays", "Going to the coast in the summer"),
    ("Talk to me face to face, slowly", "Help me with my tablets at breakfast", "Give me time to decide"),
]
ACTIONS = [
    ("Find a gardening club that meets on a weekday", "Key worker", "in_progress"),
    ("Book the summer trip to the coast", "Family", "done"),
    ("Ask the pharmacist about a simpler tablet box", "Key worker", "not_started"),
]
TEAMS = [
    ("Finance", "team", {"proud": ["Staff are paid on time every month", "Our invoices are simple to read"],
                         "change": [("Budgets are hard to follow", "Show each person their own budget on one page")],
                         "question": ["How do we cost support for each person?"]}),
    ("Human resources", "team", {"proud": ["People help choose their own staff"],
                                 "change": [("Staff leave in their first year", "Match staff to people by interests")],
                                 "question": ["How do we keep good staff?"]}),
    ("Maple House support team", "team", {"proud": ["People choose what they do each day"],
                                          "change": [("Evenings are boring", "Find clubs that meet in the evening")],
                                          "question": ["How can people get out more in the evening?"]}),
    ("Family forum", "family", {"pleased": ["Staff know our relatives well"],
                                "want_changed": ["We hear about changes too late"]}),
    ("Speak Up group", "self_advocacy", {"pleased": ["We chose the new staff"],
                                         "want_changed": ["Letters in easy read", "More time out in the evening"]}),
]


@transaction.atomic
def load_people_demo() -> list[str]:
    from django.contrib.auth.models import User

    from goldenthread.core.models import Service
    from goldenthread.core.models import StaffProfile
    from goldenthread.reviews.models import OnePageProfile, Review
    from goldenthread.reviews.person_reviews import save_profile
    from goldenthread.planning.services import save_plan

    lines = []
    reviews = Review.objects.filter(status=Review.Status.COMPLETE).order_by("-review_date", "reference")
    services = list(Service.objects.filter(reviews__isnull=False).distinct()[:2])
    manager = User.objects.filter(username="provider").first()
    if manager and services:
        StaffProfile.objects.get_or_create(user=manager)[0].services.set(services)
        lines.append(f"Demo provider manager manages: {', '.join(s.name for s in services)}.")
    reviewer = User.objects.filter(username="reviewer").first()
    if reviewer:
        first = list(reviews.values_list("pk", flat=True)[:5])
        Review.objects.filter(pk__in=first, facilitated_by__isnull=True).update(facilitated_by=reviewer)
    people = []
    for review in reviews.filter(service__in=services):
        if review.person_ref not in [p.person_ref for p in people]:
            people.append(review)
        if len(people) == 2:
            break
    for review in people:
        if not OnePageProfile.objects.filter(person_ref=review.person_ref).exists():
            save_profile(review.person_ref, {"name": f"Person {review.person_ref}",
                                             "appreciate": "\n".join(PROFILES[0]), "important": "\n".join(PROFILES[1]),
                                             "support": "\n".join(PROFILES[2]), "service": review.service,
                                             "shared_with_supporters": True},
                         review=review)
    # The actions agreed at their reviews, with their progress since: a next review starts from them.
    from goldenthread.reviews.models import IndividualAction

    for review in people:
        if not review.actions.exists():
            for position, (text, owner, status) in enumerate(ACTIONS):
                IndividualAction.objects.create(review=review, position=position, text=text, owner=owner,
                                                due_date=review.review_date + timedelta(days=90), status=status)
    lines.append(f"One-page profiles: {OnePageProfile.objects.count()}.")
    year = reviews.first().review_date.year if reviews.exists() else 2026
    for team, group_type, said in TEAMS:
        items = []
        for kind, texts in said.items():
            for text in texts:
                text, how = text if isinstance(text, tuple) else (text, "")
                items.append({"kind": kind, "text": text, "how": how})
        save_plan(provider=PROVIDER, team=team, group_type=group_type, year=year, items=items)
    lines.append(f"Team planning for {PROVIDER}: {len(TEAMS)} teams and groups.")
    return lines
