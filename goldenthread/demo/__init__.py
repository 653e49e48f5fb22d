"""The invented demo data set: two yearly cycles of reviews for the made-up Ashdown County Council.

Every person, place, service and statement here was written for this project.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from goldenthread.core import roles

DATA_DIR = Path(__file__).resolve().parent
DEMO_PASSWORD = "golden-thread-demo"

CYCLES = [
    {
        "slug": "ashdown-2025",
        "name": "Ashdown adult social care, 2025",
        "year": 2025,
        "file": "cycle_2025.json",
        "purpose": "Find out what is working and not working for people with learning disabilities and older "
                   "people in Ashdown, to shape next year's commissioning plan.",
        "scope": "People supported in Northbrook, Kelsey Vale and Harford who had a person-centred review this year.",
        "people_involved": "Commissioners, provider managers, people who use services, family carers and the "
                           "Ashdown self-advocacy group.",
    },
    {
        "slug": "ashdown-2026",
        "name": "Ashdown adult social care, 2026",
        "year": 2026,
        "file": "cycle_2026.json",
        "purpose": "Repeat the 2025 work: see what changed after last year's actions and what people want next.",
        "scope": "People supported in Northbrook, Kelsey Vale and Harford who had a person-centred review this year.",
        "people_involved": "Commissioners, provider managers, people who use services, family carers and the "
                           "Ashdown self-advocacy group.",
    },
]

DEMO_USERS = [
    ("admin", roles.ADMINISTRATOR),
    ("facilitator", roles.FACILITATOR),
    ("commissioner", roles.COMMISSIONER),
    ("provider", roles.PROVIDER_MANAGER),
    ("reviewer", roles.REVIEW_FACILITATOR),
    ("viewer", roles.VIEWER),
]


@dataclass
class DemoSummary:
    lines: list[str] = field(default_factory=list)
    users: list[tuple[str, str]] = field(default_factory=list)


def create_demo_users() -> list[tuple[str, str]]:
    from django.contrib.auth.models import Group, User

    roles.ensure_roles()
    for username, role in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = role == roles.ADMINISTRATOR
        user.save()
        user.groups.set([Group.objects.get(name=role)])
    return list(DEMO_USERS)


@transaction.atomic
def load_demo() -> DemoSummary:
    """Create the demo cycles, import their review files, create the demo accounts and the demo workshops.

    Idempotent: running it again adds nothing.
    """
    from goldenthread.reviews.importing import import_reviews
    from goldenthread.reviews.models import ProgrammeCycle

    summary = DemoSummary()
    previous = None
    for spec in CYCLES:
        cycle, _ = ProgrammeCycle.objects.update_or_create(
            slug=spec["slug"],
            defaults={k: spec[k] for k in ("name", "year", "purpose", "scope", "people_involved")}
            | {"previous": previous},
        )
        path = DATA_DIR / spec["file"]
        result = import_reviews(cycle, path.read_bytes(), path.name)
        summary.lines.append(f"{cycle.name}: {result.summary()}")
        previous = cycle
    summary.users = create_demo_users()
    from django.contrib.auth.models import User

    from goldenthread.demo.workshops import load_demo_workshops

    summary.lines += load_demo_workshops(User.objects.get(username="facilitator"))
    from goldenthread.demo.programme import load_demo_programme

    summary.lines += load_demo_programme(User.objects.get(username="facilitator"),
                                         User.objects.get(username="commissioner"))
    return summary
