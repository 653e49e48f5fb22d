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


#: Every account the demo makes is also in this group, so the demo can tell its own accounts from real ones.
DEMO_GROUP = "Demo accounts"


def is_demo_account(user) -> bool:
    """True for an account the demo made: in the demo group, or (from before the group existed) one of
    the demo's user names whose password is still the published demo password."""
    if user.groups.filter(name=DEMO_GROUP).exists():
        return True
    return user.username in dict(DEMO_USERS) and user.check_password(DEMO_PASSWORD)


def refusal() -> str | None:
    """Why the demo must not load into this database, or ``None`` when it may.

    The demo publishes its password and makes ``admin`` an administrator, so it
    runs only where that harms no one:

    * never on a production set-up: debug off *and* a database other than SQLite
      (there is no option to force it);
    * only into a database with no accounts, or whose accounts were all made by the demo.
    """
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection

    if not settings.DEBUG and connection.vendor != "sqlite":
        return ("this looks like a production database (GOLDENTHREAD_DEBUG is off and the database is not "
                "SQLite). The demo publishes its password, so it never loads into a production database")
    real = [u.username for u in User.objects.order_by("username") if not is_demo_account(u)]
    if real:
        shown = ", ".join(real[:5]) + (f" and {len(real) - 5} more" if len(real) > 5 else "")
        return (f"this database has {len(real)} account(s) the demo did not make ({shown}). The demo loads only "
                "into an empty database or one the demo made; use a new GOLDENTHREAD_DATA_DIR or DATABASE_URL")
    return None


def create_demo_users() -> list[tuple[str, str]]:
    """Create (or reset) the demo accounts. An existing account that is not a demo account is never touched:
    no new password, no new role, no administrator rights."""
    from django.contrib.auth.models import Group, User

    roles.ensure_roles()
    demo_group, _ = Group.objects.get_or_create(name=DEMO_GROUP)
    made = []
    for username, role in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if not created and not is_demo_account(user):
            continue
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = role == roles.ADMINISTRATOR
        user.save()
        user.groups.set([Group.objects.get(name=role), demo_group])
        made.append((username, role))
    return made


#: The demo council's fixed lists (goldenthread.core.lookups), made before any review is imported:
#: review files and forms may only use names on these lists.
DEMO_LISTS = {
    "areas": ["Harford", "Kelsey Vale", "Northbrook"],
    "services": ["Brackenridge Day Opportunities", "Cobb Lane Day Centre", "Elmcroft Residential Home",
                 "Larkhill Supported Living", "Tillbrook Home Care", "Wrenfield Shared Lives"],
    "user-groups": ["Learning disability", "Older people"],
}


def create_demo_lists() -> None:
    """Create the demo council's areas, services and user groups (those already there are kept)."""
    from goldenthread.core.lookups import LISTS

    for slug, names in DEMO_LISTS.items():
        for name in names:
            LISTS[slug].model.objects.get_or_create(name=name)


@transaction.atomic
def load_demo() -> DemoSummary:
    """Create the demo cycles, import their review files, create the demo accounts and the demo workshops.

    Idempotent: running it again adds nothing.
    """
    from goldenthread.reviews.importing import import_reviews
    from goldenthread.reviews.models import ProgrammeCycle

    summary = DemoSummary()
    create_demo_lists()
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
